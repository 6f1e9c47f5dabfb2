import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { autonomousApiRef } from '../api';

/** The Autonomous project behind a catalog entity: kind, environments, branches. */
export function useProject(entityRef: string) {
  const api = useApi(autonomousApiRef);
  return useAsyncRetry(() => api.getProject(entityRef), [api, entityRef]);
}
