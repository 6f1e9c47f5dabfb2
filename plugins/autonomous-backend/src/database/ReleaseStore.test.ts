import { ConflictError } from '@backstage/errors';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseReleaseStore, NewRelease } from './ReleaseStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();

const release = (n: number, over: Partial<NewRelease> = {}): NewRelease => ({
  entityRef: 'component:default/storefront',
  environment: 'production',
  version: `1.0.${n}`,
  commitSha: `${n}`.padStart(40, 'a'),
  trigger: 'manual',
  requestedBy: 'user:default/guest',
  ...over,
});

describe.each(databases.ids)('DatabaseReleaseStore on %s', databaseId => {
  async function createStore() {
    const knex = await databases.migrated(databaseId);
    let clock = Date.parse('2026-11-01T10:00:00Z');
    const store = new DatabaseReleaseStore(knex, () => new Date(clock));
    return { knex, store, tick: (ms: number) => (clock += ms) };
  }

  it('creates a queued release with its first event', async () => {
    const { store } = await createStore();
    const created = await store.createRelease(
      release(1, { reason: 'hotfix for checkout' }),
    );
    expect(created).toMatchObject({
      status: 'queued',
      version: '1.0.1',
      createdAt: '2026-11-01T10:00:00.000Z',
    });
    expect(created.durationMs).toBeUndefined();

    const withEvents = await store.getReleaseWithEvents(created.id);
    expect(withEvents?.events).toEqual([
      expect.objectContaining({
        to: 'queued',
        message: 'Queued by user:default/guest: hotfix for checkout',
      }),
    ]);
  });

  it('records every transition and the duration from start to finish', async () => {
    const { store, tick } = await createStore();
    const { id } = await store.createRelease(release(1));
    tick(1000);
    await store.transition(id, 'building', 'Jenkins build #7 started');
    tick(60_000);
    await store.transition(id, 'built', 'image resolved', {
      imageRef: `harbor.local/shop/storefront@sha256:${'b'.repeat(64)}`,
    });
    tick(5_000);
    await store.transition(id, 'syncing', 'ArgoCD sync requested');
    await store.transition(id, 'progressing', 'rollout started');
    tick(10_000);
    const done = await store.transition(id, 'healthy', 'all pods ready');

    expect(done.status).toBe('healthy');
    expect(done.imageRef).toContain('@sha256:');
    expect(done.startedAt).toBe('2026-11-01T10:00:01.000Z');
    expect(done.durationMs).toBe(75_000);
    const events = (await store.getReleaseWithEvents(id))!.events;
    expect(events.map(e => [e.from ?? null, e.to])).toEqual([
      [null, 'queued'],
      ['queued', 'building'],
      ['building', 'built'],
      ['built', 'syncing'],
      ['syncing', 'progressing'],
      ['progressing', 'healthy'],
    ]);
    expect(events[1].message).toBe('Jenkins build #7 started');
  });

  it('refuses a transition the state machine forbids and leaves the release as it was', async () => {
    const { store } = await createStore();
    const { id } = await store.createRelease(release(1));
    await expect(store.transition(id, 'healthy', 'skip')).rejects.toThrow(
      ConflictError,
    );
    const after = await store.getReleaseWithEvents(id);
    expect(after?.status).toBe('queued');
    expect(after?.events).toHaveLength(1);
  });

  it('lets only one of two workers start the same build', async () => {
    const { store } = await createStore();
    const { id } = await store.createRelease(release(1));
    const results = await Promise.allSettled([
      store.transition(id, 'building', 'worker a triggered the build'),
      store.transition(id, 'building', 'worker b triggered the build'),
    ]);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store.getReleaseWithEvents(id))?.events).toHaveLength(2);
  });

  it('pages history newest first by keyset without skipping or repeating rows', async () => {
    const { store } = await createStore();
    for (let n = 1; n <= 7; n++) await store.createRelease(release(n));
    await store.createRelease(
      release(99, { entityRef: 'component:default/other' }),
    );

    const first = await store.listReleases('component:default/storefront', {
      limit: 3,
    });
    expect(first.items.map(r => r.version)).toEqual([
      '1.0.7',
      '1.0.6',
      '1.0.5',
    ]);
    // A release added while someone pages does not shift the pages they read next.
    await store.createRelease(release(8));
    const second = await store.listReleases('component:default/storefront', {
      limit: 3,
      beforeSeq: first.lastSeq,
    });
    expect(second.items.map(r => r.version)).toEqual([
      '1.0.4',
      '1.0.3',
      '1.0.2',
    ]);
    const last = await store.listReleases('component:default/storefront', {
      limit: 3,
      beforeSeq: second.lastSeq,
    });
    expect(last.items.map(r => r.version)).toEqual(['1.0.1']);
    expect(last.lastSeq).toBeUndefined();
  });

  it('finds the releases in flight for an environment', async () => {
    const { store } = await createStore();
    const a = await store.createRelease(release(1));
    const b = await store.createRelease(release(2));
    await store.createRelease(release(3, { environment: 'staging' }));
    await store.transition(a.id, 'cancelled', 'superseded');
    const inFlight = await store.findInFlight(
      'component:default/storefront',
      'production',
    );
    expect(inFlight.map(r => r.id)).toEqual([b.id]);
  });
});
