import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseWebhookDeliveryStore } from './WebhookDeliveryStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();
const ENTITY = 'component:default/shop';

describe.each(databases.ids)('webhook deliveries on %s', databaseId => {
  it('claims a delivery once per project, and again only after it failed', async () => {
    const store = new DatabaseWebhookDeliveryStore(
      await databases.migrated(databaseId),
    );
    const delivery = {
      provider: 'github' as const,
      deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      entityRef: ENTITY,
      event: 'push',
      ref: 'refs/heads/main',
      commitSha: 'a'.repeat(40),
      commitSubject: 'Fix the total',
    };
    expect(await store.claim(delivery)).toBe(true);
    expect(await store.claim(delivery)).toBe(false);
    expect(
      await store.claim({ ...delivery, entityRef: 'component:default/other' }),
    ).toBe(true);
    await store.settle(delivery, {
      outcome: 'failed',
      detail: 'Jenkins was down',
      releaseIds: [],
    });
    expect(await store.claim(delivery)).toBe(true);
    await store.settle(delivery, {
      outcome: 'released',
      detail: 'production: released as #1 (main-1)',
      releaseIds: ['r1'],
    });
    expect(await store.claim(delivery)).toBe(false);
    const page = await store.list(ENTITY, { limit: 10 });
    expect(page.items).toEqual([
      expect.objectContaining({
        deliveryId: delivery.deliveryId,
        outcome: 'released',
        commitSubject: 'Fix the total',
        releaseIds: ['r1'],
        receivedAt: expect.any(String),
      }),
    ]);
  });

  it('lets one claimer of a commit through, and takes over a claim whose release never came', async () => {
    let now = new Date('2026-12-06T05:00:00Z');
    const store = new DatabaseWebhookDeliveryStore(
      await databases.migrated(databaseId),
      () => now,
    );
    const commit = {
      entityRef: ENTITY,
      environment: 'production',
      commitSha: 'b'.repeat(40),
    };
    const claims = await Promise.all(
      ['d1', 'd2', 'd3', 'd4'].map(deliveryId =>
        store.claimCommit({
          ...commit,
          provider: 'github',
          deliveryId,
          committedAt: new Date('2026-12-06T04:59:00Z'),
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const first = await store.claimOf(commit);
    expect(first?.releaseId).toBeUndefined();
    now = new Date('2026-12-06T05:03:00Z');
    expect(
      await store.claimCommit({
        ...commit,
        provider: 'gitlab',
        deliveryId: 'd5',
        committedAt: new Date('2026-12-06T04:59:00Z'),
      }),
    ).toBe(true);
    await store.bindCommit(commit, 'r5');
    expect(await store.claimOf(commit)).toEqual({
      releaseId: 'r5',
      deliveryId: 'd5',
    });
    now = new Date('2026-12-06T06:00:00Z');
    expect(
      await store.claimCommit({
        ...commit,
        provider: 'github',
        deliveryId: 'd6',
      }),
    ).toBe(false);
    expect(await store.newestCommitTime(ENTITY, 'production')).toEqual(
      new Date('2026-12-06T04:59:00Z'),
    );
    await store.dropCommit(commit, 'd5');
    expect(await store.claimOf(commit)).toBeDefined();
  });
});
