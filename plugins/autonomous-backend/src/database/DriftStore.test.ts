import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DriftStore } from './DriftStore';
import { DatabaseReleaseStore } from './ReleaseStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();
const SHOP = 'component:default/shop';

describe.each(databases.ids)('DriftStore on %s', databaseId => {
  async function setup() {
    const knex = await databases.migrated(databaseId);
    let clock = Date.parse('2026-12-06T05:00:00Z');
    const now = () => new Date(clock);
    const releases = new DatabaseReleaseStore(knex, now);
    const release = await releases.createRelease({
      entityRef: SHOP,
      environment: 'production',
      trigger: 'manual',
      requestedBy: 'user:default/ada',
    });
    return {
      drift: new DriftStore(knex, now),
      knex,
      releases,
      release,
      tick: (ms: number) => (clock += ms),
    };
  }

  it('writes one event per drift episode however often, or how concurrently, it is seen', async () => {
    const { drift, releases, release, tick } = await setup();
    const seen = await Promise.all(
      [1, 2, 3].map(() =>
        drift.open(SHOP, 'production', {
          releaseId: release.id,
          message: 'Drift: Deployment shop (spec.replicas: 3 live, 1 in Git)',
        }),
      ),
    );
    expect(seen.filter(s => s.first)).toHaveLength(1);
    expect(new Set(seen.map(s => s.since))).toEqual(
      new Set(['2026-12-06T05:00:00.000Z']),
    );
    tick(60_000);
    expect(
      await drift.open(SHOP, 'production', {
        releaseId: release.id,
        message: 'x',
      }),
    ).toEqual({ since: '2026-12-06T05:00:00.000Z', first: false });
    expect(await drift.since(SHOP, 'production')).toBe(
      '2026-12-06T05:00:00.000Z',
    );
    expect(await drift.since(SHOP, 'staging')).toBeUndefined();

    expect(await drift.close(SHOP, 'production', 'Drift corrected')).toBe(true);
    expect(await drift.close(SHOP, 'production', 'Drift corrected')).toBe(
      false,
    );
    expect(await drift.since(SHOP, 'production')).toBeUndefined();

    const events = (await releases.getReleaseWithEvents(release.id))!.events;
    expect(events.map(e => [e.from, e.to, e.message])).toEqual([
      [undefined, 'queued', expect.stringContaining('Queued')],
      [
        'queued',
        'queued',
        'Drift: Deployment shop (spec.replicas: 3 live, 1 in Git)',
      ],
      ['queued', 'queued', 'Drift corrected'],
    ]);

    tick(60_000);
    const again = await drift.open(SHOP, 'production', {
      releaseId: release.id,
      message: 'Drift again',
    });
    expect(again).toEqual({ since: '2026-12-06T05:02:00.000Z', first: true });
  });

  it('records drift of an environment without releases, with no event', async () => {
    const { drift } = await setup();
    expect(
      await drift.open(SHOP, 'staging', { message: 'Drift: Service shop' }),
    ).toEqual({ since: '2026-12-06T05:00:00.000Z', first: true });
    expect(await drift.close(SHOP, 'staging', 'Drift corrected')).toBe(true);
  });

  it('tells which release holds the open episode, and which projects are watched', async () => {
    const { drift, releases, release, knex } = await setup();
    await drift.open(SHOP, 'production', {
      releaseId: release.id,
      message: 'Drift detected',
    });
    expect(await drift.episode(SHOP, 'production')).toEqual({
      since: '2026-12-06T05:00:00.000Z',
      releaseId: release.id,
    });
    expect(await drift.episode(SHOP, 'staging')).toBeUndefined();

    await releases.createRelease({
      entityRef: 'component:default/gone',
      environment: 'production',
      trigger: 'manual',
      requestedBy: 'user:default/ada',
    });
    await knex('project_deletions').insert({
      entity_ref: 'component:default/gone',
      project_ref: 'component:default/gone',
      deleted_by: 'user:default/ada',
      deleted_at: new Date(),
      applications: '[]',
    });
    const watched = await drift.watchedProjects();
    expect(watched).toContain(SHOP);
    expect(watched).not.toContain('component:default/gone');
  });

  it('remembers the last sync a person asked for per environment, to the millisecond', async () => {
    const { drift } = await setup();
    expect(await drift.lastSyncRequest(SHOP, 'qa')).toBeUndefined();
    await drift.recordSyncRequest(SHOP, 'qa', {
      requestedBy: 'user:default/alice',
      requestedAt: '2026-12-06T05:03:00.700Z',
    });
    await drift.recordSyncRequest(SHOP, 'qa-eu', {
      requestedBy: 'user:default/ada',
      requestedAt: '2026-12-06T05:03:01.000Z',
    });
    expect(await drift.lastSyncRequest(SHOP, 'qa')).toEqual({
      requestedBy: 'user:default/alice',
      requestedAt: '2026-12-06T05:03:00.700Z',
    });
    await drift.recordSyncRequest(SHOP, 'qa', {
      requestedBy: 'user:default/bob',
      requestedAt: '2026-12-06T05:04:00.000Z',
    });
    expect(await drift.lastSyncRequest(SHOP, 'qa')).toEqual({
      requestedBy: 'user:default/bob',
      requestedAt: '2026-12-06T05:04:00.000Z',
    });
    expect(await drift.lastSyncRequest(SHOP, 'qa-eu')).toEqual({
      requestedBy: 'user:default/ada',
      requestedAt: '2026-12-06T05:03:01.000Z',
    });
  });
});
