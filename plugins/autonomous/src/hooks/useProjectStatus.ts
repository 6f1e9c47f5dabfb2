import { useApi } from '@backstage/core-plugin-api';
import { autonomousApiRef } from '../api';
import { useLiveAsync } from './useLiveAsync';

/** What each environment runs and what its last release did, kept current by `refresh`. */
export function useProjectStatus(entityRef: string) {
  const api = useApi(autonomousApiRef);
  return useLiveAsync(() => api.getProjectStatus(entityRef), [api, entityRef]);
}
