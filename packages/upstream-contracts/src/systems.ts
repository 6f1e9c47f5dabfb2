import { DocumentKey } from './spec/documents';
import { Operation, PathEntry } from './spec/operation';
import { operationIndex } from './spec/operationIndex';
import {
  foldJenkinsFolders,
  jenkinsOperationIndex,
} from './jenkins/jenkinsOperations';
import { UpstreamSystem } from './types';

export type Route =
  | { document?: DocumentKey; entries: PathEntry[]; specPath: string }
  | { problem: string };

export interface SystemDefinition {
  title: string;
  route(path: string): Route;
  /** Problems with the credentials of a request to the operation. */
  checkAuth(
    method: string,
    path: string,
    headers: Record<string, string>,
    operation: Operation,
  ): string[];
  /** Whether a request body without a Content-Type header is a problem. */
  requiresContentType: boolean;
  /** The part of a response body that the response schemas describe, when it is not the whole. */
  responsePayload?(body: unknown): unknown;
}

function hasScheme(headers: Record<string, string>, scheme: string) {
  const value = headers.authorization ?? '';
  return (
    value.toLowerCase().startsWith(`${scheme.toLowerCase()} `) &&
    value.length > scheme.length + 1
  );
}

function fromDocument(document: DocumentKey, specPath: string): Route {
  return { document, entries: operationIndex(document), specPath };
}

const KUBERNETES_GROUPS: Array<[string, DocumentKey]> = [
  ['/api/v1', 'kubernetes-core-v1'],
  ['/apis/apps/v1', 'kubernetes-apps-v1'],
  ['/apis/batch/v1', 'kubernetes-batch-v1'],
  ['/apis/networking.k8s.io/v1', 'kubernetes-networking-v1'],
  ['/apis/autoscaling/v2', 'kubernetes-autoscaling-v2'],
];

function underPrefix(path: string, prefix: string) {
  return path === prefix || path.startsWith(`${prefix}/`);
}

export const SYSTEMS: Record<UpstreamSystem, SystemDefinition> = {
  argocd: {
    title: 'Argo CD',
    requiresContentType: true,
    route: path => fromDocument('argocd', path),
    checkAuth(method, path, headers) {
      if (method === 'POST' && path === '/api/v1/session') return [];
      return hasScheme(headers, 'Bearer')
        ? []
        : [
            'missing Authorization: Bearer header (Argo CD takes a bearer token)',
          ];
    },
  },
  harbor: {
    title: 'Harbor',
    requiresContentType: true,
    route(path) {
      if (!underPrefix(path, '/api/v2.0')) {
        return {
          problem:
            'no such path in the Harbor API (its paths start with /api/v2.0)',
        };
      }
      return fromDocument('harbor', path.slice('/api/v2.0'.length) || '/');
    },
    checkAuth(_method, _path, headers) {
      return hasScheme(headers, 'Basic')
        ? []
        : [
            'missing Authorization: Basic header (Harbor takes HTTP basic credentials)',
          ];
    },
  },
  vault: {
    title: 'Vault',
    // Vault reads a JSON body whatever its Content-Type says.
    requiresContentType: false,
    route(path) {
      if (!underPrefix(path, '/v1')) {
        return {
          problem: 'no such path in the Vault API (its paths start with /v1)',
        };
      }
      return fromDocument('vault', path.slice('/v1'.length) || '/');
    },
    // The generated Vault schemas describe the `data` member of Vault's response envelope
    // ({ request_id, lease_id, data, auth, warnings, ... }).
    responsePayload(body) {
      return body && typeof body === 'object' && 'data' in body
        ? (body as { data: unknown }).data
        : body;
    },
    checkAuth(_method, path, headers, operation) {
      if (
        operation.unauthenticated ||
        /^\/v1\/auth\/[^/]+\/login(\/|$)/.test(path)
      )
        return [];
      return headers['x-vault-token'] || hasScheme(headers, 'Bearer')
        ? []
        : [
            'missing X-Vault-Token header (only login endpoints work without a token)',
          ];
    },
  },
  kubernetes: {
    title: 'Kubernetes',
    requiresContentType: true,
    route(path) {
      const group = KUBERNETES_GROUPS.find(([prefix]) =>
        underPrefix(path, prefix),
      );
      if (!group) {
        return {
          problem: `no such path in the Kubernetes API documents vendored here (${KUBERNETES_GROUPS.map(
            ([p]) => p,
          ).join(', ')})`,
        };
      }
      return fromDocument(group[1], path);
    },
    checkAuth(_method, _path, headers) {
      return hasScheme(headers, 'Bearer')
        ? []
        : [
            'missing Authorization: Bearer header (Kubernetes takes a bearer token)',
          ];
    },
  },
  jenkins: {
    title: 'Jenkins',
    requiresContentType: true,
    route: path => ({
      document: 'jenkins',
      entries: jenkinsOperationIndex(),
      specPath: foldJenkinsFolders(path),
    }),
    checkAuth(method, _path, headers) {
      if (method !== 'POST') return [];
      return hasScheme(headers, 'Basic') || headers['jenkins-crumb']
        ? []
        : [
            'a POST needs HTTP basic auth (user + API token) or a Jenkins-Crumb header, or Jenkins answers 403 "No valid crumb was included in the request"',
          ];
    },
  },
};
