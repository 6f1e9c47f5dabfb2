import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { RunningSandbox, startSandbox } from '@autonomous-dev/sandbox';
import { text } from 'node:stream/consumers';
import { createStoreTestDatabases } from '../../__testUtils__/testDatabases';
import { backupHarness } from '../../__testUtils__/backupHarness';
import { backupJob } from './jobSpecs';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();

/** Backups and restores of a simulated engine against the sandbox's Jobs and its S3 at /s3. */
describe.each(databases.ids)('backup flow on %s', databaseId => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, speed: 'fast' });
  });
  afterAll(() => sandbox?.stop());

  const setup = (engine?: DatabaseInstance['engine']) =>
    backupHarness(sandbox, databases, databaseId, engine);

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

  it('restores in place only after the typed name and a kept backup of the current state', async () => {
    const { kube, instance, restores, service, backups, until } = await setup();
    const backup = await service.backupNow(instance, 'user:default/guest');
    await until(
      () => backups.getBackup(backup.id),
      b => b.status === 'succeeded',
    );
    await expect(
      service.restoreInPlace(
        instance,
        backup.id,
        'user:default/guest',
        'orders',
      ),
    ).rejects.toThrow(
      `confirm must be the database's name, ${instance.name}, typed to restore over it (got "orders")`,
    );
    const { restore } = await service.restoreInPlace(
      instance,
      backup.id,
      'user:default/guest',
      instance.name,
    );
    const done = await until(
      () => restores.getRestore(restore.id),
      r => r.status === 'succeeded' || r.status === 'failed',
    );
    expect(done.status).toBe('succeeded');
    const safety = await backups.getBackup(restore.safetyBackupId!);
    expect(safety).toMatchObject({
      status: 'succeeded',
      message: `Taken before restoring backup ${backup.id} in place; kept`,
    });
    // The safety backup finished before the restore Job was made.
    const restoreJobs = await kube.listJobs(
      instance.namespace,
      'autonomous.dev/job-kind=restore',
    );
    expect(restoreJobs).toHaveLength(1);
    expect(
      Date.parse(String(restoreJobs[0].metadata!.creationTimestamp)),
    ).toBeGreaterThanOrEqual(Date.parse(safety.finishedAt!) - 1000);
  });

  it('restores nothing in place when the backup of the current state fails', async () => {
    const { kube, instance, restores, service, backups, until } = await setup();
    const backup = await service.backupNow(instance, 'user:default/guest');
    await until(
      () => backups.getBackup(backup.id),
      b => b.status === 'succeeded',
    );
    // The next Job cannot start: its credentials are gone.
    await kube.applySecret(
      instance.namespace,
      `${instance.name}-credentials`,
      {},
    );
    const { restore } = await service.restoreInPlace(
      instance,
      backup.id,
      'user:default/guest',
      instance.name,
    );
    const done = await until(
      () => restores.getRestore(restore.id),
      r => r.status === 'succeeded' || r.status === 'failed',
    );
    expect(done.message).toMatch(
      /^The backup of the current state failed \(The backup Job failed: .*\), so nothing was restored; the database is unchanged$/s,
    );
    expect(
      await kube.listJobs(
        instance.namespace,
        'autonomous.dev/job-kind=restore',
      ),
    ).toEqual([]);
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
