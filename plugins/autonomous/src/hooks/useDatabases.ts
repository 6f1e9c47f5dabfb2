import { useApi } from '@backstage/core-plugin-api';
import { autonomousApiRef } from '../api';
import { useLiveAsync } from './useLiveAsync';

/** The entity's database instances, newest first, deleted ones included. */
export function useDatabases(entityRef: string) {
  const api = useApi(autonomousApiRef);
  return useLiveAsync(() => api.listDatabases(entityRef), [api, entityRef]);
}

/** The engines the entity's database can be provisioned with. */
export function useDatabaseEngines(entityRef: string) {
  const api = useApi(autonomousApiRef);
  return useLiveAsync(
    () => api.listDatabaseEngines(entityRef),
    [api, entityRef],
  );
}

/** An instance's provisioning and deletion steps, oldest first. */
export function useDatabaseEvents(id: string) {
  const api = useApi(autonomousApiRef);
  return useLiveAsync(() => api.listDatabaseEvents(id), [api, id]);
}

/** An instance's backups and where its schedule stands. */
export function useDatabaseBackups(id: string) {
  const api = useApi(autonomousApiRef);
  return useLiveAsync(() => api.listBackups(id), [api, id]);
}
