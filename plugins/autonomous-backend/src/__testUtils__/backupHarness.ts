import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  S3BackupStorage,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { RunningSandbox } from '@autonomous-dev/sandbox';
import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { sandboxConfigData } from './sandboxProject';
import { createStoreTestDatabases } from './testDatabases';
import { BackupStore } from '../database/BackupStore';
import { DatabaseDatabaseInstanceStore } from '../database/DatabaseInstanceStore';
import { BackupService } from '../databases/backups/BackupService';
import { BackupWorker } from '../databases/backups/BackupWorker';
import { RestoreStore } from '../databases/backups/RestoreStore';
import {
  BackupNotifier,
  ScheduleWatcher,
} from '../databases/backups/ScheduleWatcher';
import { readBackupSettingsConfig } from '../databases/backups/settings';

/**
 * A ready instance (as provisioning leaves it: namespace and credentials Secret) of a simulated
 * engine, with the backups module wired to the sandbox's Kubernetes and its S3 at /s3.
 */
export async function backupHarness(
  sandbox: RunningSandbox,
  databases: ReturnType<typeof createStoreTestDatabases>,
  databaseId: TestDatabaseId,
  engine: DatabaseInstance['engine'] = 'mongodb',
  options: { now?: () => Date; notifier?: BackupNotifier } = {},
) {
  const knex = await databases.migrated(databaseId);
  const storageConfig = {
    type: 's3' as const,
    bucket: 'autonomous-backups',
    region: 'us-east-1',
    endpoint: `${sandbox.url}/s3`,
    forcePathStyle: true,
    credentialsSecret: 'backup-storage',
    accessKeyId: 'sandbox',
    secretAccessKey: 'sandbox-secret',
  };
  const base = sandboxConfigData(sandbox.url);
  const config = new ConfigReader({
    ...base,
    autonomous: {
      ...base.autonomous,
      databases: { backups: { storage: storageConfig, pollInterval: '50ms' } },
    },
  });
  const settings = readBackupSettingsConfig(config);
  const clients = UpstreamClients.fromConfig(config, { readCache: false });
  const kube = clients.get('kubernetes');
  const storage = new S3BackupStorage(storageConfig);
  const instances = new DatabaseDatabaseInstanceStore(knex);
  const name = `orders${Math.floor(Math.random() * 1e6)}`;
  let instance = await instances.createInstance({
    entityRef: 'resource:default/orders-db',
    name,
    engine,
    version: '8.0',
    mode: 'single',
    environment: 'production',
    namespace: `db-${name}`,
    storageGi: 1,
    credentialsPath: `autonomous/databases/${name}`,
    createdBy: 'user:default/guest',
  });
  for (const s of ['preparing', 'installing', 'checking', 'ready'] as const) {
    instance = await instances.setStatus(instance.id, s);
  }
  await kube.ensureNamespace(instance.namespace);
  await kube.applySecret(instance.namespace, `${name}-credentials`, {
    ownerUsername: `${name}_owner`,
    ownerPassword: 'owner-password-not-logged',
  });
  const backups = new BackupStore(knex);
  const restores = new RestoreStore(knex);
  const logger = mockServices.logger.mock();
  const watcher = new ScheduleWatcher({
    backups,
    instances,
    kubernetes: () => kube,
    storage,
    settings,
    notifier: options.notifier,
    logger,
    now: options.now,
  });
  const worker = new BackupWorker({
    backups,
    restores,
    instances,
    kubernetes: () => kube,
    storage,
    storageConfig,
    settings,
    logger,
    onScheduledOutcome: (i, b) => watcher.onScheduledOutcome(i, b),
  });
  const service = new BackupService({
    backups,
    restores,
    storage,
    storageConfig,
    settings,
    kubernetes: () => kube,
    now: options.now,
  });
  /** Turns the worker and the watcher until `done` says so. */
  const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await worker.tick();
      await watcher.tick();
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) {
        throw new Error(`not done: ${JSON.stringify(value)}`);
      }
      await new Promise(r => setTimeout(r, 50));
    }
  };
  return {
    knex,
    kube,
    storage,
    storageConfig,
    settings,
    instances,
    instance,
    backups,
    restores,
    worker,
    watcher,
    service,
    until,
  };
}

/** `autonomous.databases.backups` against the sandbox's S3 at /s3, polled fast. */
export function backupTestConfig(sandboxUrl: string) {
  return {
    storage: {
      type: 's3',
      bucket: 'autonomous-backups',
      region: 'us-east-1',
      endpoint: `${sandboxUrl}/s3`,
      forcePathStyle: true,
      credentialsSecret: 'backup-storage',
      accessKeyId: 'sandbox',
      secretAccessKey: 'sandbox-secret',
    },
    pollInterval: '100ms',
  };
}
