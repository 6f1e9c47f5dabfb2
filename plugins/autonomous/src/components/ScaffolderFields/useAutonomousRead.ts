import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { AutonomousApi, autonomousApiRef } from '../../api';

/**
 * Reads through the Autonomous client for a wizard field, as the signed-in user. A `key` of
 * undefined reads nothing (the field has not enough to ask yet); the read runs again when the
 * key changes.
 */
export function useAutonomousRead<T>(
  key: string | undefined,
  read: (api: AutonomousApi, key: string) => Promise<T>,
) {
  const api = useApi(autonomousApiRef);
  return useAsync(
    async (): Promise<T | undefined> =>
      key === undefined ? undefined : read(api, key),
    // `read` is written inline by the fields; the key says everything it depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
}
