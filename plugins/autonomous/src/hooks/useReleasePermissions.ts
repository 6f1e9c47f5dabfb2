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
  doing: { gerund: string; verb: string; plural?: boolean },
  owners: string | undefined,
): ActionPermission {
  if (result.allowed) {
    return { allowed: true, loading: false };
  }
  if (result.loading) {
    return {
      allowed: false,
      loading: true,
      deniedReason: `Checking whether you may ${doing.verb}…`,
    };
  }
  if (result.error) {
    return {
      allowed: false,
      loading: false,
      deniedReason: `Could not check whether you may ${doing.verb}: ${result.error.message}. Reload the page to try again.`,
    };
  }
  const needs = doing.plural ? 'need' : 'needs';
  return {
    allowed: false,
    loading: false,
    deniedReason: owners
      ? `${doing.gerund} ${needs} membership of ${owners}, who own this project. Ask them or a portal admin for access.`
      : `${doing.gerund} ${needs} a permission you do not have. Ask the project's owners or a portal admin for access.`,
  };
}

/** "payments-team" for `group:default/payments-team`: the name people know the owners by. */
export function ownerName(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || !owner) {
    return undefined;
  }
  const name = owner.slice(owner.lastIndexOf('/') + 1);
  return name.slice(name.indexOf(':') + 1) || undefined;
}

/**
 * Asks the permission framework, for this entity, the same questions the backend will ask
 * when a button is pressed, so a button the backend would refuse is disabled up front.
 */
export function useReleasePermissions(
  entityRef: string,
  /** The entity's owner (`spec.owner`), named in the reason a button is disabled. */
  owner?: string,
  /** The owner's title (metadata.title or profile.displayName): said instead of its name. */
  ownerTitle?: string,
): ReleasePermissions {
  const owners = ownerTitle ?? ownerName(owner);
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
      {
        gerund: 'Deploying, redeploying and cancelling releases',
        verb: 'deploy',
        plural: true,
      },
      owners,
    ),
    sync: describe(
      sync,
      { gerund: 'Syncing an environment', verb: 'sync' },
      owners,
    ),
    rollback: describe(
      rollback,
      { gerund: 'Rolling back', verb: 'roll back' },
      owners,
    ),
  };
}
