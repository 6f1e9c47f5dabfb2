import crd from './rollout-crd.v1.9.1.schema.json';

/*
 * The contract of Argo Rollouts' `Rollout` custom resource, for tests. Rollouts is a CRD, so
 * ../shared/contracts has no document for it; the API server judges its requests by the CRD:
 * its path (`/apis/argoproj.io/v1alpha1/namespaces/{namespace}/rollouts/{name}[/status]`), the
 * generic rules of a Kubernetes custom resource (bearer token; GET without a body; PATCH with a
 * JSON, merge or apply patch, never a strategic merge patch; through `/status` only `status`
 * counts and through the object everything but `status`), and the CRD's structural OpenAPI
 * schema, against which the patched object is validated and unknown fields are pruned.
 * The schema is the v1alpha1 openAPIV3Schema of argo-rollouts v1.9.1's
 * manifests/crds/rollout-crd.yaml (see its `source` field).
 */

type Schema = Record<string, any>;

const PATH =
  /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/rollouts(?:\/([^/]+)(?:\/(status))?)?$/;
const NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

/** Problems of a value against the CRD's structural schema (unknown fields included). */
export function schemaProblems(
  value: unknown,
  schema: Schema = crd.openAPIV3Schema,
  at = '',
): string[] {
  if (value === null || value === undefined) return [];
  if (schema['x-kubernetes-int-or-string']) {
    return typeof value === 'number' || typeof value === 'string'
      ? []
      : [`${at || '/'} must be an integer or a string`];
  }
  const type = schema.type;
  const wrong = (want: string) => [`${at || '/'} must be ${want}`];
  switch (type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value))
        return wrong('an object');
      const problems: string[] = [];
      for (const required of schema.required ?? []) {
        if ((value as any)[required] === undefined) {
          problems.push(`${at}/${required} is required`);
        }
      }
      for (const [key, v] of Object.entries(value as object)) {
        const property = schema.properties?.[key];
        if (property) {
          problems.push(...schemaProblems(v, property, `${at}/${key}`));
        } else if (typeof schema.additionalProperties === 'object') {
          problems.push(
            ...schemaProblems(v, schema.additionalProperties, `${at}/${key}`),
          );
        } else if (
          schema.properties &&
          !schema['x-kubernetes-preserve-unknown-fields'] &&
          !(at === '' && ['apiVersion', 'kind', 'metadata'].includes(key))
        ) {
          problems.push(
            `${at}/${key} is not in the schema (the API server drops it)`,
          );
        }
      }
      return problems;
    }
    case 'array':
      if (!Array.isArray(value)) return wrong('an array');
      return value.flatMap((item, i) =>
        schema.items ? schemaProblems(item, schema.items, `${at}/${i}`) : [],
      );
    case 'string':
      if (typeof value !== 'string') return wrong('a string');
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) {
        return wrong('a date-time');
      }
      if (schema.enum && !schema.enum.includes(value)) {
        return wrong(`one of ${schema.enum.join(', ')}`);
      }
      return [];
    case 'integer':
      return Number.isInteger(value) ? [] : wrong('an integer');
    case 'number':
      return typeof value === 'number' ? [] : wrong('a number');
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrong('a boolean');
    default:
      return [];
  }
}

function mergePatch(target: any, patch: any): any {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return patch;
  const result: Record<string, any> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Problems of one request to the Rollout resource. `current` is the object the server holds,
 * against which a patch is applied before the result is validated.
 */
export function rolloutRequestProblems(
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string;
  },
  current?: unknown,
): string[] {
  const url = new URL(request.url, 'http://k8s');
  const path = url.pathname.replace(/^.*?(?=\/apis\/)/, '');
  const match = PATH.exec(path);
  const where = `${request.method} ${path}`;
  if (!match) return [`${where}: no such path for the Rollout resource`];
  const [, namespace, name, sub] = match;
  const problems: string[] = [];
  for (const segment of [namespace, name].filter(Boolean)) {
    if (!NAME.test(decodeURIComponent(segment))) {
      problems.push(`${where}: "${segment}" is not a valid name`);
    }
  }
  if (!/^Bearer \S+/.test(request.headers.authorization ?? '')) {
    problems.push(`${where}: missing Authorization: Bearer header`);
  }
  if (request.method === 'GET') {
    if (request.body) problems.push(`${where}: GET takes no body`);
    return problems;
  }
  if (request.method !== 'PATCH' || !name) {
    return [
      ...problems,
      `${where}: the portal only reads and patches Rollouts`,
    ];
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
  if (!PATCH_TYPES.includes(type)) {
    problems.push(
      `${where}: Content-Type ${
        type || '(none)'
      } is not accepted for a custom resource (${PATCH_TYPES.join(', ')})`,
    );
    return problems;
  }
  let patch: any;
  try {
    patch = JSON.parse(request.body ?? '');
  } catch {
    return [...problems, `${where}: the body is not JSON`];
  }
  if (type === 'application/merge-patch+json') {
    const ignored = sub === 'status' ? 'spec' : 'status';
    if (patch && typeof patch === 'object' && ignored in patch) {
      problems.push(
        `${where}: ${ignored} in a patch of ${
          sub === 'status' ? 'the status subresource' : 'the object'
        } is ignored by the API server`,
      );
    }
    const result = mergePatch(current ?? {}, patch);
    problems.push(...schemaProblems(result).map(p => `${where}: body ${p}`));
  }
  return problems;
}

/** Problems of a Rollout the test answers with (a fixture must look like what the API sends). */
export function rolloutResponseProblems(body: unknown): string[] {
  return schemaProblems(body).map(p => `response ${p}`);
}
