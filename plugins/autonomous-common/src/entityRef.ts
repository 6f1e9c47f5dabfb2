import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * The API addresses an entity as `/:kind/:namespace/:name`, as the catalog does. These turn
 * that into a normalised ref and back, and say what is wrong with a bad one.
 * @public
 */
export function entityRefFromRouteParams(params: {
  kind: string;
  namespace: string;
  name: string;
}): { ok: true; ref: string } | { ok: false; reason: string } {
  const part = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
  for (const key of ['kind', 'namespace', 'name'] as const) {
    if (!part.test(params[key])) {
      return {
        ok: false,
        reason: `entity ${key} "${params[key]}" is not valid: use letters, digits, '.', '_' or '-' (at most 253), starting with a letter or digit`,
      };
    }
  }
  return {
    ok: true,
    ref: stringifyEntityRef({
      kind: params.kind.toLocaleLowerCase('en-US'),
      namespace: params.namespace.toLocaleLowerCase('en-US'),
      name: params.name,
    }),
  };
}

/** The `kind/namespace/name` path segment for an entity ref. @public */
export function entityRoutePath(entityRef: string | CompoundEntityRef): string {
  const ref =
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
  return [ref.kind, ref.namespace, ref.name]
    .map(p => encodeURIComponent(p.toLocaleLowerCase('en-US')))
    .join('/');
}
