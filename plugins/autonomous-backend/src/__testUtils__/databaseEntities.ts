import { Entity } from '@backstage/catalog-model';

/** A catalog Resource standing for a database, as the database template registers one. */
export function databaseEntity(
  name: string,
  options: { engine?: string; owner?: string; type?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: options.engine
        ? { 'autonomous.dev/database-engine': options.engine }
        : {},
    },
    spec: {
      type: options.type ?? 'database',
      owner: options.owner ?? 'group:default/payments',
    },
  };
}

/** `autonomous.databases` with fast polling for tests (Vault is in sandboxConfigData). */
export function databaseTestConfig() {
  return {
    databases: {
      pollInterval: { milliseconds: 100 },
      lease: { seconds: 5 },
      readinessTimeout: { minutes: 1 },
      jobTimeout: { minutes: 1 },
    },
  };
}
