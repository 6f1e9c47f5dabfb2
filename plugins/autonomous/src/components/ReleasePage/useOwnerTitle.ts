import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntityPresentation } from '@backstage/plugin-catalog-react';

/** `team-a` as `group:default/team-a`: spec.owner may leave out the kind and namespace. */
export function ownerRef(owner?: string): string | undefined {
  if (!owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * The name people know a project's owners by: the owner entity's `metadata.title`, else its
 * `spec.profile.displayName`, else its name, through the catalog's entity presentation (which
 * reads the owner entity once and updates when it arrives). Undefined without an owner.
 */
export function useOwnerTitle(owner?: string): string | undefined {
  const ref = ownerRef(owner);
  // Hooks run unconditionally: without an owner, a ref that is never shown.
  const presentation = useEntityPresentation(ref ?? 'group:default/unknown');
  return ref ? presentation.primaryTitle : undefined;
}
