import { UsageError } from './errors.ts';

export interface EntityArgument {
  kind: string;
  namespace: string;
  name: string;
}

// The same rule the portal applies to each part of `/projects/:kind/:namespace/:name`.
const PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

const FORMS =
  'use name, kind:name or kind:namespace/name, e.g. storefront, component:storefront, system:default/payments';

/**
 * Reads `storefront`, `component:storefront`, `component:default/storefront` or
 * `system:default/payments`; the kind defaults to component and the namespace to default,
 * as the catalog's own shorthand does. Kind and namespace are case-insensitive.
 */
export function parseEntityArgument(text: string): EntityArgument {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(text.trim());
  if (!match) {
    throw new UsageError(`"${text}" is not an entity reference: ${FORMS}`);
  }
  const [, kind = 'component', namespace = 'default', name] = match;
  const parts = { kind, namespace, name };
  for (const key of ['kind', 'namespace', 'name'] as const) {
    if (!PART.test(parts[key])) {
      throw new UsageError(
        `entity ${key} "${parts[key]}" in "${text}" is not valid: use letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
  }
  return {
    kind: kind.toLocaleLowerCase('en-US'),
    namespace: namespace.toLocaleLowerCase('en-US'),
    name,
  };
}

/** `component:default/storefront`, as the portal writes entity refs. */
export function entityRefString(entity: EntityArgument): string {
  return `${entity.kind}:${entity.namespace}/${entity.name}`;
}

/** The API path of a project: `/projects/component/default/storefront`. */
export function projectPath(entity: EntityArgument): string {
  return `/projects/${[entity.kind, entity.namespace, entity.name]
    .map(encodeURIComponent)
    .join('/')}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Release ids are UUIDs; `autonomous releases` and `deploy` print them. */
export function parseReleaseId(text: string): string {
  if (!UUID.test(text)) {
    throw new UsageError(
      `"${text}" is not a release id: release ids are UUIDs, as printed by "autonomous deploy" and "autonomous releases"`,
    );
  }
  return text.toLowerCase();
}

/** The API path of a release: `/releases/<id>`. */
export function releasePath(id: string): string {
  return `/releases/${encodeURIComponent(id)}`;
}
