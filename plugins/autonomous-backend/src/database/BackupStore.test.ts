import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { BackupStore } from './BackupStore';
import { DatabaseDatabaseInstanceStore } from './DatabaseInstanceStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();

describe.each(databases.ids)('BackupStore on %s', databaseId => {
  async function setup() {
    const knex = await databases.migrated(databaseId);
    let clock = Date.parse('2026-12-06T03:00:00Z');
    const now = () => new Date(clock);
    const instances = new DatabaseDatabaseInstanceStore(knex, now);
    const db = await instances.createInstance({
      entityRef: 'resource:default/payments-db',
      name: 'payments',
      engine: 'postgresql',
      version: '16',
      mode: 'single',
      environment: 'production',
      namespace: 'db-payments',
      storageGi: 10,
      credentialsPath: 'autonomous/databases/payments',
      createdBy: 'user:default/guest',
    });
    return {
      knex,
      db,
      store: new BackupStore(knex, now),
      tick: (ms: number) => (clock += ms),
    };
  }

  const manual = (id: string) => ({
    databaseId: id,
    instanceName: 'payments',
    engine: 'postgresql' as const,
    trigger: 'manual' as const,
    requestedBy: 'user:default/guest',
  });

  it('names the object and the Job after the backup id and keeps large sizes', async () => {
    const { db, store, tick } = await setup();
    const backup = await store.createBackup(manual(db.id));
    expect(backup).toMatchObject({
      status: 'pending',
      trigger: 'manual',
      engine: 'postgresql',
      objectKey: `payments/${backup.id}.dump`,
      jobName: `backup-${backup.id}`,
      fileName: 'payments-20261206T030000Z-manual.dump',
    });
    const [claimed] = await store.claimDue(10, 60_000);
    await store.write(claimed, {
      status: 'running',
      startedAt: '2026-12-06T03:00:01.000Z',
      nextCheckInMs: 2000,
    });
    tick(5000);
    const [again] = await store.claimDue(10, 60_000);
    const done = await store.write(again, {
      status: 'succeeded',
      sizeBytes: 123456789012,
      durationMs: 4000,
    });
    expect(done).toMatchObject({
      status: 'succeeded',
      sizeBytes: 123456789012,
      durationMs: 4000,
      startedAt: '2026-12-06T03:00:01.000Z',
      finishedAt: '2026-12-06T03:00:05.000Z',
    });
    expect(await store.claimDue(10, 60_000)).toEqual([]);
  });

  it('gives each due backup to one claimer only, and refuses a write after the lease moved', async () => {
    const { db, store, tick } = await setup();
    for (let i = 0; i < 6; i++) await store.createBackup(manual(db.id));
    const [a, b] = await Promise.all([
      store.claimDue(100, 1000),
      store.claimDue(100, 1000),
    ]);
    const ids = [...a, ...b].map(c => c.backup.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toHaveLength(6);
    tick(1001);
    const taken = await store.claimDue(100, 1000);
    expect(taken).toHaveLength(6);
    const stale = [...a, ...b][0];
    expect(await store.write(stale, { status: 'failed' })).toBeUndefined();
    const fresh = taken.find(c => c.backup.id === stale.backup.id)!;
    expect((await store.write(fresh, { status: 'running' }))?.status).toBe(
      'running',
    );
  });

  it('records a scheduled Job once however many watchers see it', async () => {
    const { db, store } = await setup();
    const input = {
      databaseId: db.id,
      instanceName: 'payments',
      engine: 'postgresql' as const,
      jobName: 'payments-backup-29412345',
      objectKey: 'payments/scheduled/payments-backup-29412345.dump',
      createdAt: new Date('2026-12-06T02:00:00Z'),
    };
    const results = await Promise.all([
      store.recordScheduledBackup(input),
      store.recordScheduledBackup(input),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.listBackups(db.id)).toHaveLength(1);
    expect(await store.jobNames(db.id)).toEqual(
      new Set(['payments-backup-29412345']),
    );
    expect(results.find(Boolean)).toMatchObject({
      trigger: 'scheduled',
      status: 'running',
      requestedBy: 'schedule',
    });
  });

  it('keeps settings and raises each alert for its owners once', async () => {
    const { db, store } = await setup();
    await store.saveSettings(db.id, {
      schedule: '0 3 * * *',
      retentionCount: 3,
    });
    expect(await store.getSchedule(db.id)).toMatchObject({
      schedule: '0 3 * * *',
      retentionCount: 3,
      appliedAt: '2026-12-06T03:00:00.000Z',
    });
    const alert = {
      at: new Date('2026-12-06T03:00:00Z'),
      message: 'The scheduled backup due at 03:00 did not run',
      key: 'missed:2026-12-06T03:00:00.000Z',
    };
    const first = await Promise.all([
      store.raiseAlert(db.id, alert),
      store.raiseAlert(db.id, alert),
    ]);
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(await store.raiseAlert(db.id, alert)).toBe(false);
    expect(
      await store.raiseAlert(db.id, { ...alert, key: 'failed:other' }),
    ).toBe(true);
    expect((await store.getSchedule(db.id)).alert).toEqual({
      at: '2026-12-06T03:00:00.000Z',
      message: alert.message,
    });
    await store.clearAlert(db.id, new Date('2026-12-06T04:00:00Z'));
    expect((await store.getSchedule(db.id)).alert).toBeUndefined();
  });

  it('tells of a failed backup once and marks only finished backups deleted', async () => {
    const { db, store } = await setup();
    const backup = await store.createBackup(manual(db.id));
    expect(await store.markDeleted(backup.id, 'gone')).toBe(false);
    const [claimed] = await store.claimDue(1, 1000);
    await store.write(claimed, { status: 'failed', message: 'pg_dump: error' });
    expect(await store.claimFailureNotice(backup.id)).toBe(true);
    expect(await store.claimFailureNotice(backup.id)).toBe(false);
    expect(
      await store.markDeleted(backup.id, 'Deleted by user:default/guest'),
    ).toBe(true);
    expect((await store.getBackup(backup.id)).status).toBe('deleted');
  });
});
