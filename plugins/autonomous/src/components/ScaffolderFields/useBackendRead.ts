import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import useAsync from 'react-use/esm/useAsync';

/**
 * Reads one route of the Autonomous backend for a wizard field, as the signed-in user. A
 * `path` of undefined reads nothing (the field has not enough to ask yet).
 */
export function useBackendRead<T>(path: string | undefined) {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useAsync(async (): Promise<T | undefined> => {
    if (!path) return undefined;
    const base = await discoveryApi.getBaseUrl('autonomous');
    const res = await fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }, [path]);
}
