import { usePermission } from '@backstage/plugin-permission-react';
import {
  autonomousDatabaseConsoleAuditPermission,
  autonomousDatabaseConsoleReadPermission,
  autonomousDatabaseConsoleWritePermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ActionPermission, ownerName } from './useReleasePermissions';

/** What the user may do in a database's console. */
export interface ConsolePermissions {
  /** Run statements as the read-only user. */
  read: ActionPermission;
  /** Switch to write mode: run statements as the owner user. */
  write: ActionPermission;
  /** Read every user's statements on the instance. */
  audit: ActionPermission;
}

function describe(
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
 * Asks the permission framework, for the database's entity, what the console routes will
 * ask, so the page says up front — in words — what the user cannot do.
 */
export function useConsolePermissions(
  entityRef: string,
  owner?: string,
): ConsolePermissions {
  const owners = ownerName(owner);
  const read = usePermission({
    permission: autonomousDatabaseConsoleReadPermission,
    resourceRef: entityRef,
  });
  const write = usePermission({
    permission: autonomousDatabaseConsoleWritePermission,
    resourceRef: entityRef,
  });
  const audit = usePermission({
    permission: autonomousDatabaseConsoleAuditPermission,
    resourceRef: entityRef,
  });
  return {
    read: describe(
      read,
      { gerund: 'Running statements', verb: 'run statements' },
      owners,
    ),
    write: describe(
      write,
      {
        gerund: 'Write mode (changing data)',
        verb: 'change data in the console',
      },
      owners,
    ),
    audit: describe(
      audit,
      { gerund: 'Reading the audit trail', verb: 'read the audit trail' },
      owners,
    ),
  };
}
