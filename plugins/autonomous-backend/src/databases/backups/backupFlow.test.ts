import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  S3BackupStorage,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { RunningSandbox, startSandbox } from '@autonomous-dev/sandbox';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { text } from 'node:stream/consumers';
import { sandboxConfigData } from '../../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../../__testUtils__/testDatabases';
import { BackupStore } from '../../database/BackupStore';
import { DatabaseDatabaseInstanceStore } from '../../database/DatabaseInstanceStore';
import { BackupService } from './BackupService';
import { BackupWorker } from './BackupWorker';
import { backupJob } from './jobSpecs';
import { RestoreStore } from './RestoreStore';
import { readBackupSettingsConfig } from './settings';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();

/** Backups and restores of a simulated engine against the sandbox's Jobs and its S3 at /s3. */
describe.each(databases.ids)('backup flow on %s', databaseId => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, speed: 'fast' });
  });
  afterAll(() => sandbox?.stop());

  async function setup(engine: DatabaseInstance['engine'] = 'mongodb') {
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
    const config = new ConfigReader({
      ...sandboxConfigData(sandbox.url),
      autonomous: {
        ...sandboxConfigData(sandbox.url).autonomous,
        databases: {
          backups: { storage: storageConfig, pollInterval: '50ms' },
        },
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
    const worker = new BackupWorker({
      backups,
      restores,
      instances,
      kubernetes: () => kube,
      storage,
      storageConfig,
      settings,
      logger: mockServices.logger.mock(),
    });
    const service = new BackupService({
      backups,
      restores,
      storage,
      storageConfig,
      settings,
      kubernetes: () => kube,
    });
    /** Turns the worker until `done` says so. */
    const until = async <T>(
      read: () => Promise<T>,
      done: (v: T) => boolean,
    ) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        await worker.tick();
        const value = await read();
        if (done(value)) return value;
        if (Date.now() > deadline)
          throw new Error(`not done: ${JSON.stringify(value)}`);
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
      service,
      until,
    };
  }

  it('takes a backup with its size and duration, downloads its bytes and deletes it', async () => {
    const { kube, storage, instance, backups, service, until } = await setup();
    const accepted = await service.backupNow(instance, 'user:default/guest');
    expect(accepted.status).toBe('pending');
    const done = await until(
      () => backups.getBackup(accepted.id),
      b => b.status === 'succeeded' || b.status === 'failed',
    );
    expect(done).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      location: `s3://autonomous-backups/${instance.name}/${accepted.id}.dump`,
    });
    expect(done.sizeBytes).toBeGreaterThan(0);
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    // The Job is the one named after the backup, with the conventions' labels and env.
    const jobs = await kube.listJobs(
      instance.namespace,
      `autonomous.dev/backup-id=${accepted.id}`,
    );
    expect(jobs.map(j => j.metadata?.name)).toEqual([`backup-${accepted.id}`]);
    const env = jobs[0].spec!.template.spec!.containers[0].env!;
    expect(
      env.find(e => e.name === 'AUTONOMOUS_DB_PASSWORD')?.valueFrom,
    ).toEqual({
      secretKeyRef: {
        name: `${instance.name}-credentials`,
        key: 'ownerPassword',
      },
    });
    expect(JSON.stringify(jobs[0])).not.toContain('owner-password-not-logged');

    const { object } = await service.download(instance, accepted.id);
    const bytes = await text(object.body);
    expect(Buffer.byteLength(bytes)).toBe(done.sizeBytes);
    expect(bytes).toContain('placeholder dump');

    await service.deleteBackup(instance, accepted.id, 'user:default/guest');
    expect((await backups.getBackup(accepted.id)).status).toBe('deleted');
    expect(
      await storage.head(`${instance.name}/${accepted.id}.dump`),
    ).toBeUndefined();
  });

  it('restores a backup through the hooks, and fails with a reason when its dump is gone', async () => {
    const { storage, instance, restores, service, backups, until } =
      await setup();
    const backup = await service.backupNow(instance, 'user:default/guest');
    await until(
      () => backups.getBackup(backup.id),
      b => b.status === 'succeeded',
    );
    const restoreId = await service.startRestore(
      instance,
      backup.id,
      'user:default/guest',
    );
    await until(
      () => restores.getRestore(restoreId),
      r => r.status === 'succeeded',
    );
    expect(await service.progress(restoreId)).toEqual({ state: 'succeeded' });

    await storage.delete(`${instance.name}/${backup.id}.dump`);
    const second = await service.startRestore(
      instance,
      backup.id,
      'user:default/guest',
    );
    await until(
      () => restores.getRestore(second),
      r => r.status !== 'pending' && r.status !== 'running',
    );
    expect(await service.progress(second)).toEqual({
      state: 'failed',
      reason: expect.stringMatching(
        /^The dump of backup .* is missing from storage \(s3:\/\/autonomous-backups\/.*\); the database is unchanged$/,
      ),
    });
  });

  it('runs one Job for a backup whose backend died after creating it', async () => {
    const {
      kube,
      instance,
      backups,
      worker,
      until,
      storage,
      settings,
      storageConfig,
    } = await setup();
    const backup = await backups.createBackup({
      databaseId: instance.id,
      instanceName: instance.name,
      engine: instance.engine,
      trigger: 'final',
      requestedBy: 'user:default/guest',
    });
    // The first backend claims the backup and creates its Job, then is killed before writing.
    const [claimed] = await backups.claimDue(1, 200);
    expect(claimed.backup.id).toBe(backup.id);
    await kube.applySecret(instance.namespace, 'backup-storage', {
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox-secret',
    });
    await kube.ensureJob(
      instance.namespace,
      backupJob(instance, backup, storage.location(backup.objectKey), {
        settings,
        storage: storageConfig,
      }),
    );
    expect(await worker.tick()).toBe(0); // the lease still holds
    await new Promise(r => setTimeout(r, 250));
    const done = await until(
      () => backups.getBackup(backup.id),
      b => b.status === 'succeeded' || b.status === 'failed',
    );
    expect(done).toMatchObject({
      status: 'succeeded',
      trigger: 'final',
      message: undefined,
    });
    const jobs = await kube.listJobs(
      instance.namespace,
      `autonomous.dev/backup-id=${backup.id}`,
    );
    expect(jobs).toHaveLength(1);
    expect(await worker.tick()).toBe(0);
  });
});
