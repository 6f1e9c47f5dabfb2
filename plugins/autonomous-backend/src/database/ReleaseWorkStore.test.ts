import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { newRelease } from '../__testUtils__/orchestratorHarness';
import { DatabaseReleaseStore } from './ReleaseStore';
import { ReleaseWorkStore } from './ReleaseWorkStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();

describe.each(databases.ids)('ReleaseWorkStore on %s', databaseId => {
  async function setup() {
    const knex = await databases.migrated(databaseId);
    let clock = Date.parse('2026-11-22T10:00:00Z');
    const now = () => new Date(clock);
    return {
      knex,
      releases: new DatabaseReleaseStore(knex, now),
      work: new ReleaseWorkStore(knex, now),
      tick: (ms: number) => (clock += ms),
    };
  }

  it('gives each due release to one claimer only, until its lease runs out', async () => {
    const { releases, work, tick } = await setup();
    for (let i = 0; i < 10; i++) {
      await releases.createRelease(newRelease(`p${i}`));
    }
    const [a, b] = await Promise.all([
      work.claimDue(100, 60_000),
      work.claimDue(100, 60_000),
    ]);
    const ids = [...a, ...b].map(c => c.release.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    expect(await work.claimDue(100, 60_000)).toEqual([]);
    tick(60_001);
    expect(await work.claimDue(100, 60_000)).toHaveLength(10);
  });

  it('refuses a write from a claimer whose lease was taken over', async () => {
    const { releases, work, tick } = await setup();
    await releases.createRelease(newRelease('storefront'));
    const [first] = await work.claimDue(1, 1_000);
    tick(1_001);
    const [second] = await work.claimDue(1, 1_000);
    expect(second.release.id).toBe(first.release.id);
    expect(await work.write(first, { to: 'building', message: 'late' })).toBe(
      undefined,
    );
    const written = await work.write(second, { to: 'building', message: 'ok' });
    expect(written?.release.status).toBe('building');
  });

  it('keeps a release due when it was woken while its step ran', async () => {
    const { knex, releases, work, tick } = await setup();
    const { id } = await releases.createRelease(newRelease('storefront'));
    const [claimed] = await work.claimDue(1, 60_000);
    tick(100);
    await work.wake({ buildJob: 'shop/storefront' });
    tick(100);
    await work.write(claimed, { nextCheckInMs: 30_000 });
    const woken = await knex('releases').where({ id }).first('next_check_at');

    const [again] = await work.claimDue(1, 60_000);
    expect(again.release.id).toBe(id);
    tick(100);
    await work.write(again, { nextCheckInMs: 30_000 });
    const notWoken = await knex('releases')
      .where({ id })
      .first('next_check_at');

    const at = (row: { next_check_at: unknown }) =>
      new Date(row.next_check_at as any).getTime();
    expect(at(woken)).toBe(Date.parse('2026-11-22T10:00:00.200Z'));
    expect(at(notWoken)).toBe(Date.parse('2026-11-22T10:00:30.300Z'));
  });
});
