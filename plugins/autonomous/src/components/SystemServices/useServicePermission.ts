import { usePermission } from '@backstage/plugin-permission-react';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { ActionPermission } from '../../hooks';

/**
 * The permission framework's answer for one action on the project, with the sentence a
 * disabled button shows: the same question the backend asks when the button is pressed.
 */
export function useActionPermission(
  permission: ResourcePermission,
  entityRef: string,
  doing: string,
  owners?: string,
): ActionPermission {
  const result = usePermission({
    permission,
    resourceRef: entityRef,
  });
  if (result.allowed) return { allowed: true, loading: false };
  if (result.loading) {
    return {
      allowed: false,
      loading: true,
      deniedReason: `Checking whether you may ${doing}…`,
    };
  }
  if (result.error) {
    return {
      allowed: false,
      loading: false,
      deniedReason: `Could not check whether you may ${doing}: ${result.error.message}. Reload the page to try again.`,
    };
  }
  return {
    allowed: false,
    loading: false,
    deniedReason: owners
      ? `You may not ${doing}: it needs membership of ${owners}, who own this project. Ask them or a portal admin for access.`
      : `You may not ${doing}: it needs a permission you do not have. Ask the project's owners or a portal admin for access.`,
  };
}
