import { useApi } from '@backstage/core-plugin-api';
import { autonomousApiRef } from '../api';
import { useLiveAsync } from './useLiveAsync';

/** One release with its stage events, kept current by `refresh`. */
export function useRelease(id: string) {
  const api = useApi(autonomousApiRef);
  return useLiveAsync(() => api.getRelease(id), [api, id]);
}
