import { usePermission } from '@backstage/plugin-permission-react';
import {
  autonomousDatabaseConsoleAuditPermission,
  autonomousDatabaseConsoleReadPermission,
  autonomousDatabaseConsoleWritePermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { describeDatabasePermission } from './useDatabasePermissions';
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
    read: describeDatabasePermission(
      read,
      { gerund: 'Running statements', verb: 'run statements' },
      owners,
    ),
    write: describeDatabasePermission(
      write,
      {
        gerund: 'Write mode (changing data)',
        verb: 'change data in the console',
      },
      owners,
    ),
    audit: describeDatabasePermission(
      audit,
      { gerund: 'Reading the audit trail', verb: 'read the audit trail' },
      owners,
    ),
  };
}
