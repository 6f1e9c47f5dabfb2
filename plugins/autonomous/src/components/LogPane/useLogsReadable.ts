import { usePermission } from '@backstage/plugin-permission-react';
import { autonomousLogsReadPermission } from '@autonomous-dev/backstage-plugin-autonomous-common';

/** Said where a log would be, to a user who may not read the project's logs. */
export const LOGS_HIDDEN_REASON =
  'Logs can contain secrets, so only the people the project’s owners allow may read them. Ask them or a portal admin for access.';

/**
 * Whether the user may read the project's build and pod logs. The pages ask before they
 * read a log, so a user without the permission sees why the logs are hidden instead of a
 * refused request.
 */
export function useLogsReadable(entityRef: string): {
  allowed: boolean;
  loading: boolean;
} {
  const { allowed, loading } = usePermission({
    permission: autonomousLogsReadPermission,
    resourceRef: entityRef,
  });
  return { allowed, loading };
}
