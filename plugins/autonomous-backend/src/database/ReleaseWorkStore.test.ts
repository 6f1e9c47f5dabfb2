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

  it('writes a degraded release and its automatic rollback together or not at all', async () => {
    const { knex, releases, work } = await setup();
    const good = await releases.createRelease(newRelease('catalog'));
    const { id } = await releases.createRelease(newRelease('catalog'));
    await knex('releases').where({ id }).update({ status: 'progressing' });
    const claimed = (await work.claim(id, 60_000))!;
    const degraded = {
      to: 'degraded' as const,
      message: 'catalog is Degraded after the rollout',
    };
    const rollback = (rollbackId: string) => ({
      to: 'rolling-back' as const,
      message: 'Rolling back',
      create: {
        ...newRelease('catalog', { trigger: 'rollback' }),
        id: rollbackId,
      },
    });

    // The rollback release cannot be written (its id is taken): the release is not degraded
    // either, so the next attempt still rolls back instead of leaving it degraded for good.
    await expect(
      work.write(claimed, { ...degraded, then: rollback(good.id) }),
    ).rejects.toThrow();
    expect((await releases.getRelease(id))!.status).toBe('progressing');
    expect(await knex('releases').where({ trigger: 'rollback' })).toEqual([]);

    const written = await work.write(claimed, {
      ...degraded,
      then: rollback('00000000-0000-4000-8000-000000000001'),
    });
    expect(written?.release.status).toBe('rolling-back');
    const { events } = (await releases.getReleaseWithEvents(id))!;
    expect(events.slice(-2).map(e => [e.from, e.to])).toEqual([
      ['progressing', 'degraded'],
      ['degraded', 'rolling-back'],
    ]);
    expect(
      await releases.getRelease('00000000-0000-4000-8000-000000000001'),
    ).toMatchObject({ status: 'queued', trigger: 'rollback' });
  });
});
