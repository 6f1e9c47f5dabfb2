import { usePermission } from '@backstage/plugin-permission-react';
import {
  autonomousDatabaseBackupPermission,
  autonomousDatabaseCreatePermission,
  autonomousDatabaseCredentialsPermission,
  autonomousDatabaseDeletePermission,
  autonomousDatabaseRestorePermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ActionPermission, ownerName } from './useReleasePermissions';

/** The permissions that gate the Database tab's buttons. */
export interface DatabasePermissions {
  create: ActionPermission;
  credentials: ActionPermission;
  backup: ActionPermission;
  restore: ActionPermission;
  delete: ActionPermission;
}

/** A permission answer on a database's entity as the page shows it, with the reason in words. */
export function describeDatabasePermission(
  result: { allowed: boolean; loading: boolean; error?: Error },
  doing: { gerund: string; verb: string },
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
  return {
    allowed: false,
    loading: false,
    deniedReason: owners
      ? `${doing.gerund} needs membership of ${owners}, who own this database. Ask them or a portal admin for access.`
      : `${doing.gerund} needs a permission you do not have. Ask the database's owners or a portal admin for access.`,
  };
}

/**
 * Asks the permission framework, for the database's entity, the questions the backend asks
 * when a button is pressed, so what it would refuse is marked unavailable up front, with
 * the reason in words.
 */
export function useDatabasePermissions(
  entityRef: string,
  /** The entity's owner (`spec.owner`), named in the reason. */
  owner?: string,
): DatabasePermissions {
  const owners = ownerName(owner);
  const resourceRef = entityRef;
  const create = usePermission({
    permission: autonomousDatabaseCreatePermission,
    resourceRef,
  });
  const credentials = usePermission({
    permission: autonomousDatabaseCredentialsPermission,
    resourceRef,
  });
  const backup = usePermission({
    permission: autonomousDatabaseBackupPermission,
    resourceRef,
  });
  const restore = usePermission({
    permission: autonomousDatabaseRestorePermission,
    resourceRef,
  });
  const remove = usePermission({
    permission: autonomousDatabaseDeletePermission,
    resourceRef,
  });
  return {
    create: describeDatabasePermission(
      create,
      { gerund: 'Creating a database', verb: 'create a database' },
      owners,
    ),
    credentials: describeDatabasePermission(
      credentials,
      { gerund: 'Seeing the passwords', verb: 'see the passwords' },
      owners,
    ),
    backup: describeDatabasePermission(
      backup,
      {
        gerund: 'Taking, downloading and deleting backups',
        verb: 'manage backups',
      },
      owners,
    ),
    restore: describeDatabasePermission(
      restore,
      { gerund: 'Restoring a backup', verb: 'restore backups' },
      owners,
    ),
    delete: describeDatabasePermission(
      remove,
      { gerund: 'Deleting the database', verb: 'delete the database' },
      owners,
    ),
  };
}
