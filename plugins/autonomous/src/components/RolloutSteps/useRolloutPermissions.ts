import { usePermission } from '@backstage/plugin-permission-react';
import {
  autonomousRolloutAbortPermission,
  autonomousRolloutPromotePermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ActionPermission } from '../../hooks';

function asAction(
  result: { allowed: boolean; loading: boolean; error?: Error },
  verb: string,
): ActionPermission {
  if (result.allowed) return { allowed: true, loading: false };
  if (result.loading) {
    return {
      allowed: false,
      loading: true,
      deniedReason: `Checking whether you may ${verb}…`,
    };
  }
  return {
    allowed: false,
    loading: false,
    deniedReason: result.error
      ? `Could not check whether you may ${verb}: ${result.error.message}. Reload the page to try again.`
      : `You may not ${verb}: ask the project's owners or a portal admin for access.`,
  };
}

/** Whether the user may promote and abort this entity's rollouts (the backend asks the same). */
export function useRolloutPermissions(entityRef: string): {
  promote: ActionPermission;
  abort: ActionPermission;
} {
  const promote = usePermission({
    permission: autonomousRolloutPromotePermission,
    resourceRef: entityRef,
  });
  const abort = usePermission({
    permission: autonomousRolloutAbortPermission,
    resourceRef: entityRef,
  });
  return {
    promote: asAction(promote, 'promote rollouts'),
    abort: asAction(abort, 'abort rollouts'),
  };
}

/**
 * A permitted action that would do nothing now (nothing paused, already aborted) is shown like
 * a forbidden one: visible, marked disabled, with the backend's reason.
 */
export function unlessImpossible(
  permission: ActionPermission,
  possible: { possible: boolean; reason?: string },
): ActionPermission {
  if (!permission.allowed || possible.possible) return permission;
  return { allowed: false, loading: false, deniedReason: possible.reason };
}
