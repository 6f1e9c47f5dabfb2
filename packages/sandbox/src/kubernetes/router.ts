import express from 'express';
import type { Request, Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { KubeError, sendError } from './errors.ts';
import { servePodLog } from './logs.ts';
import { patchRollout } from '../rollouts/subresource.ts';
import { podMetricsRoutes } from './podMetrics.ts';
import type { KubernetesState } from './state.ts';
import { apiVersionOf, listKind } from './types.ts';

/**
 * The API server's HTTP face: bearer-token authentication, `/version`, pod metrics, and the
 * resource paths `/api/v1/…` and `/apis/{group}/{version}/…` (list, create, get, replace, patch,
 * delete, a pod's log).
 */
export function kubernetesRouter(
  ctx: SandboxContext,
  state: KubernetesState,
): Router {
  const router = express.Router();
  router.use(
    express.json({
      type: [
        'application/json',
        'application/*+json',
        'application/apply-patch+yaml',
      ],
      limit: '5mb',
    }),
  );
  router.use((req, res, next) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token || !ctx.credentials.kubernetesTokens.includes(token)) {
      res
        .status(401)
        .json(new KubeError(401, 'Unauthorized', 'Unauthorized').toStatus());
      return;
    }
    next();
  });

  router.get('/version', (_req, res) => {
    res.json({
      major: '1',
      minor: '35',
      gitVersion: 'v1.35.0',
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2025-12-17T00:00:00Z',
      goVersion: 'go1.25.5',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
  });

  podMetricsRoutes(router, state);

  const paramsOf = (req: Request) => {
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    // /api/v1/... or /apis/{group}/{version}/...
    let group = '';
    let version: string;
    let rest: string[];
    if (parts[0] === 'api') {
      version = parts[1];
      rest = parts.slice(2);
    } else if (parts[0] === 'apis') {
      group = parts[1];
      version = parts[2];
      rest = parts.slice(3);
    } else {
      return undefined;
    }
    let ns: string | undefined;
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      plural = rest[2];
      name = rest[3];
      sub = rest[4];
    } else {
      plural = rest[0];
      name = rest[1];
      sub = rest[2];
    }
    const prefix =
      parts[0] === 'api' ? `/api/${version}` : `/apis/${group}/${version}`;
    const templ = `${prefix}${
      ns !== undefined ? '/namespaces/{namespace}' : ''
    }/${plural}${name !== undefined ? `/{name}` : ''}${sub ? `/${sub}` : ''}`;
    return {
      group,
      version,
      ns,
      plural,
      name,
      sub,
      templ:
        plural === 'namespaces' && name ? `${prefix}/namespaces/{name}` : templ,
    };
  };

  router.use(async (req, res) => {
    const p = paramsOf(req);
    if (!p || !p.plural) {
      res
        .status(404)
        .json(
          new KubeError(
            404,
            'NotFound',
            'the server could not find the requested resource',
          ).toStatus(),
        );
      return;
    }
    res.locals.template = p.templ;
    try {
      const type = state.type(p.plural);
      if (type.group !== p.group || type.version !== p.version) {
        throw new KubeError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      }
      const ns = type.namespaced ? p.ns : undefined;
      if (p.sub === 'log' && type.plural === 'pods' && req.method === 'GET') {
        await servePodLog(ctx, state, req, res, ns!, p.name!);
        return;
      }
      if (p.sub && p.sub !== 'status') {
        throw new KubeError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      }
      if (p.name === undefined) {
        if (req.method === 'GET') {
          const items = state.list(
            type.plural,
            ns,
            typeof req.query.labelSelector === 'string'
              ? req.query.labelSelector
              : undefined,
            typeof req.query.fieldSelector === 'string'
              ? req.query.fieldSelector
              : undefined,
          );
          const limit = Number(req.query.limit ?? 0);
          res.json({
            kind: listKind(type),
            apiVersion: apiVersionOf(type),
            metadata: { resourceVersion: state.currentVersion() },
            items: limit > 0 ? items.slice(0, limit) : items,
          });
          return;
        }
        if (req.method === 'POST') {
          if (type.namespaced && !ns)
            throw new KubeError(
              405,
              'MethodNotAllowed',
              'the server does not allow this method on the requested resource',
            );
          const obj = state.create(type.plural, ns, req.body);
          res.status(201).json(obj);
          return;
        }
        throw new KubeError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
      }
      switch (req.method) {
        case 'GET':
          res.json(state.mustGet(type.plural, ns, p.name));
          return;
        case 'PUT':
          res.json(state.replace(type.plural, ns, p.name, req.body));
          return;
        case 'PATCH':
          if (type.plural === 'rollouts') {
            res.json(
              patchRollout(
                state,
                ns,
                p.name,
                p.sub,
                String(req.headers['content-type'] ?? ''),
                req.body,
              ),
            );
            return;
          }
          res.json(
            state.patch(
              type.plural,
              ns,
              p.name,
              String(req.headers['content-type'] ?? ''),
              req.body,
            ),
          );
          return;
        case 'DELETE': {
          const obj = state.delete(type.plural, ns, p.name);
          if (
            ['pods', 'namespaces', 'persistentvolumeclaims'].includes(
              type.plural,
            )
          ) {
            res.json(obj);
          } else {
            res.json({
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Success',
              details: {
                name: p.name,
                ...(type.group ? { group: type.group } : {}),
                kind: type.plural,
                uid: obj.metadata.uid,
              },
            });
          }
          return;
        }
        default:
          throw new KubeError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
      }
    } catch (e) {
      sendError(res, e);
    }
  });
  return router;
}
