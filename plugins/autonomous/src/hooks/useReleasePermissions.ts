import { usePermission } from '@backstage/plugin-permission-react';
import {
  autonomousDeployPermission,
  autonomousRollbackPermission,
  autonomousSyncPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** Whether the user may do one kind of action, and what to say when not. */
export interface ActionPermission {
  allowed: boolean;
  loading: boolean;
  /** Shown on the disabled button: why it is disabled. */
  deniedReason?: string;
}

/** The permissions that gate the release page's buttons. */
export interface ReleasePermissions {
  deploy: ActionPermission;
  sync: ActionPermission;
  rollback: ActionPermission;
}

function describe(
  result: { allowed: boolean; loading: boolean; error?: Error },
  what: string,
  permissionName: string,
  entityRef: string,
): ActionPermission {
  if (result.allowed) {
    return { allowed: true, loading: false };
  }
  if (result.loading) {
    return {
      allowed: false,
      loading: true,
      deniedReason: 'Checking your permissions…',
    };
  }
  if (result.error) {
    return {
      allowed: false,
      loading: false,
      deniedReason: `Could not check whether you may ${what}: ${result.error.message}`,
    };
  }
  return {
    allowed: false,
    loading: false,
    deniedReason: `You may not ${what} ${entityRef}: the permission policy denies ${permissionName}. Ask the project's owners or a portal admin.`,
  };
}

/**
 * Asks the permission framework, for this entity, the same questions the backend will ask
 * when a button is pressed, so a button the backend would refuse is disabled up front.
 */
export function useReleasePermissions(entityRef: string): ReleasePermissions {
  const deploy = usePermission({
    permission: autonomousDeployPermission,
    resourceRef: entityRef,
  });
  const sync = usePermission({
    permission: autonomousSyncPermission,
    resourceRef: entityRef,
  });
  const rollback = usePermission({
    permission: autonomousRollbackPermission,
    resourceRef: entityRef,
  });
  return {
    deploy: describe(
      deploy,
      'deploy, redeploy or cancel releases of',
      autonomousDeployPermission.name,
      entityRef,
    ),
    sync: describe(
      sync,
      'sync, refresh or change automated sync of',
      autonomousSyncPermission.name,
      entityRef,
    ),
    rollback: describe(
      rollback,
      'roll back',
      autonomousRollbackPermission.name,
      entityRef,
    ),
  };
}
