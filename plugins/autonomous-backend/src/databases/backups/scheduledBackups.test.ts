import { RunningSandbox, startSandbox } from '@autonomous-dev/sandbox';
import { createStoreTestDatabases } from '../../__testUtils__/testDatabases';
import { backupHarness } from '../../__testUtils__/backupHarness';
import { BackupNotifier } from './ScheduleWatcher';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();

/** The backup CronJob against the sandbox's CronJob controller and its control routes. */
describe.each(databases.ids)('scheduled backups on %s', databaseId => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, speed: 'fast' });
  });
  afterAll(() => sandbox?.stop());

  const control = async (path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}/_sandbox${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    expect(res.status).toBeLessThan(300);
    return res.json();
  };

  it('refuses a schedule a CronJob would not run, naming the field', async () => {
    const { service, instance } = await backupHarness(
      sandbox,
      databases,
      databaseId,
    );
    await expect(
      service.putSettings(instance, {
        schedule: '0 0 3 * * *',
        retentionCount: 7,
      }),
    ).rejects.toThrow(
      'invalid body: schedule: must be a cron expression of five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"; got 6 fields',
    );
  });

  it('records each scheduled run as a backup and keeps only the newest by retention', async () => {
    const h = await backupHarness(sandbox, databases, databaseId);
    const { service, instance, kube, backups, storage } = h;
    await service.putSettings(instance, {
      schedule: '0 3 * * *',
      retentionCount: 2,
    });
    const cron = await kube.getCronJob(
      instance.namespace,
      `${instance.name}-backup`,
    );
    expect(cron?.spec?.schedule).toBe('0 3 * * *');
    const runs: string[] = [];
    for (const hour of ['01', '02', '03']) {
      const ran = await control(
        `/kubernetes/cronjobs/${instance.namespace}/${instance.name}-backup/run`,
        { scheduledTime: `2026-12-05T${hour}:00:00Z` },
      );
      runs.push(ran.job);
      await h.until(
        () => backups.listBackups(instance.id),
        list =>
          list.some(
            b =>
              b.status === 'succeeded' &&
              b.createdAt.startsWith(`2026-12-05T${hour}`),
          ),
      );
    }
    const list = await h.until(
      () => backups.listBackups(instance.id),
      l => l.filter(b => b.status === 'deleted').length === 1,
    );
    expect(list.map(b => [b.trigger, b.status, b.createdAt])).toEqual([
      ['scheduled', 'succeeded', '2026-12-05T03:00:00.000Z'],
      ['scheduled', 'succeeded', '2026-12-05T02:00:00.000Z'],
      ['scheduled', 'deleted', '2026-12-05T01:00:00.000Z'],
    ]);
    expect(list[0].location).toBe(
      `s3://autonomous-backups/${instance.name}/scheduled/${runs[2]}.dump`,
    );
    expect(list[0].sizeBytes).toBeGreaterThan(0);
    expect(
      await storage.head(`${instance.name}/scheduled/${runs[0]}.dump`),
    ).toBeUndefined();
    expect((await service.list(instance)).schedule).toMatchObject({
      schedule: '0 3 * * *',
      retentionCount: 2,
      lastScheduledAt: '2026-12-05T03:00:00.000Z',
    });
  });

  it('shows a run that did not happen and tells the owners once', async () => {
    const sent: Parameters<BackupNotifier['send']>[0][] = [];
    let clock = Date.now();
    const h = await backupHarness(sandbox, databases, databaseId, 'mongodb', {
      now: () => new Date(clock),
      notifier: { send: async n => void sent.push(n) },
    });
    const { service, instance } = h;
    await service.putSettings(instance, {
      schedule: '*/5 * * * *',
      retentionCount: 7,
    });
    await control(
      `/kubernetes/cronjobs/${instance.namespace}/${instance.name}-backup/skip-next`,
    );
    // Half an hour on: runs fell due and, past the 15-minute grace, none came.
    clock += 30 * 60_000;
    await h.watcher.tick();
    await h.watcher.tick();
    const { schedule } = await service.list(instance);
    expect(schedule.missed).toEqual({
      expectedAt: expect.any(String),
      message: expect.stringMatching(
        /^The scheduled backup due at .* did not run: no Job was started within 15 minutes$/,
      ),
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: 'resource:default/orders-db' },
      payload: {
        title: `Scheduled backup of database ${instance.name} did not run`,
        severity: 'high',
        link: '/catalog/default/resource/orders-db',
      },
    });
    // The next missed run is told again, once.
    clock += 5 * 60_000;
    await h.watcher.tick();
    await h.watcher.tick();
    expect(sent).toHaveLength(2);
  });

  it('shows a failed scheduled backup with its reason and tells the owners once', async () => {
    const sent: Parameters<BackupNotifier['send']>[0][] = [];
    const h = await backupHarness(sandbox, databases, databaseId, 'mongodb', {
      notifier: { send: async n => void sent.push(n) },
    });
    const { service, instance, kube, backups } = h;
    await service.putSettings(instance, {
      schedule: '0 3 * * *',
      retentionCount: 7,
    });
    // The Job cannot start: its credentials Secret is gone.
    await kube.applySecret(
      instance.namespace,
      `${instance.name}-credentials`,
      {},
    );
    await control(
      `/kubernetes/cronjobs/${instance.namespace}/${instance.name}-backup/run`,
      { scheduledTime: '2026-12-05T03:00:00Z' },
    );
    const [failed] = await h.until(
      () => backups.listBackups(instance.id),
      l => l.length === 1 && l[0].status === 'failed',
    );
    expect(failed.message).toMatch(/^The backup Job failed: .*ownerUsername/s);
    await h.watcher.tick();
    await h.worker.tick();
    expect(sent).toHaveLength(1);
    expect(sent[0].payload.title).toBe(
      `Scheduled backup of database ${instance.name} failed`,
    );
    expect((await service.list(instance)).schedule.missed?.message).toMatch(
      /^The scheduled backup started at 2026-12-05T03:00:00.000Z failed: The backup Job failed/,
    );
  });
});
