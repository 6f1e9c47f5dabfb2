import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { authHeader } from '../__testUtils__/matrixCallers';
import { entityFor } from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseReleaseStore } from '../database/ReleaseStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();
const JANE = 'user:default/jane';
const STRANGER = 'user:default/stranger';
const ADMIN = 'user:default/admin';
const ref = (name: string) => `component:default/${name}`;

/** Jane reads storefront only (decided per entity, as an ownership rule). */
const policy = {
  dependsOnEntity: (who: string) => who === JANE,
  allows: (who: string, _permission: string, resourceRef?: string) =>
    who === ADMIN || (who === JANE && resourceRef === ref('storefront')),
};

const payments = entityFor('payments', {
  environments: ['staging', 'production'],
});
payments.spec = { ...payments.spec, owner: 'group:default/payments' };

describe.each(databases.ids)('GET /metrics on %s', databaseId => {
  let knex: Knex;
  let server: Server;

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    const releases = new DatabaseReleaseStore(knex);
    for (const name of ['storefront', 'checkout', 'payments']) {
      for (const environment of ['staging', 'production']) {
        const r = await releases.createRelease({
          entityRef: ref(name),
          environment,
          version: `${name}-1`,
          trigger: 'api',
          requestedBy: ADMIN,
          committedAt: new Date(Date.now() - 3_600_000).toISOString(),
        });
        await releases.transition(r.id, 'built', 'built', {
          imageRef: `harbor.local/shop/${name}@sha256:${'c'.repeat(64)}`,
        });
        await releases.transition(r.id, 'syncing', 'syncing');
        await releases.transition(r.id, 'progressing', 'progressing');
        await releases.transition(r.id, 'healthy', 'healthy');
      }
    }
    server = await startAutonomousTestBackend({
      knex,
      config: {
        autonomous: {
          orchestrator: { enabled: false },
          metrics: { productionEnvironments: ['production'] },
        },
      },
      entities: [
        entityFor('storefront', { environments: ['staging', 'production'] }),
        entityFor('checkout', { environments: ['staging', 'production'] }),
        payments,
      ],
      policy,
    });
  });
  afterAll(async () => {
    await knex?.destroy();
  });

  const get = (query: string, who?: string) => {
    const req = request(server).get(`/api/autonomous/metrics?${query}`);
    return who ? req.set(authHeader(who)) : req;
  };
  const releasesOf = (query: string, who?: string) => {
    const req = request(server).get(
      `/api/autonomous/metrics/releases?${query}`,
    );
    return who ? req.set(authHeader(who)) : req;
  };

  it("gives a project's production figures to a reader, with the releases behind them", async () => {
    const res = await get(
      `entityRef=${ref('storefront')}&window=7&bucket=day`,
      JANE,
    );
    expect(res.status).toBe(200);
    expect(res.body.scope.projects).toEqual([
      { entityRef: ref('storefront'), environment: 'production' },
    ]);
    expect(res.body.bands.year).toBe(2023);
    expect(res.body.deploymentFrequency).toMatchObject({
      deployments: 1,
      n: 1,
      N: 1,
    });
    expect(res.body.leadTime).toMatchObject({ n: 1, N: 1, band: 'elite' });
    expect(res.body.buckets).toHaveLength(7);
    // The figures come without their releases; the drill-down reads them.
    expect(res.body.releases).toBeUndefined();
    expect(res.body.deploymentFrequency.releaseIds).toBeUndefined();

    const drill = await releasesOf(
      `entityRef=${ref('storefront')}&window=7&bucket=day&figure=leadTime`,
      JANE,
    );
    expect(drill.status).toBe(200);
    expect(drill.body.figure).toBe('leadTime');
    expect(drill.body.nextCursor).toBeUndefined();
    expect(drill.body.items).toHaveLength(1);
    expect(drill.body.items[0]).toMatchObject({
      entityRef: ref('storefront'),
      environment: 'production',
      version: 'storefront-1',
      status: 'healthy',
      committedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect(drill.body.items[0].leadTimeMs).toBeGreaterThanOrEqual(3_600_000);

    // The bucket of today holds it; the first day of the window holds nothing.
    const today = res.body.buckets[6].start;
    const inBucket = await releasesOf(
      `entityRef=${ref(
        'storefront',
      )}&window=7&bucket=day&figure=deploymentFrequency&bucketStart=${today}`,
      JANE,
    );
    // The last bucket ends now, a moment after the figures' answer.
    expect(inBucket.body.bucket.start).toBe(today);
    expect(inBucket.body.bucket.end >= res.body.buckets[6].end).toBe(true);
    expect(inBucket.body.items).toHaveLength(1);
    const first = await releasesOf(
      `entityRef=${ref(
        'storefront',
      )}&window=7&bucket=day&figure=deploymentFrequency&bucketStart=${
        res.body.buckets[0].start
      }`,
      JANE,
    );
    expect(first.body.items).toEqual([]);
  });

  it("pages a team's releases behind a figure with a cursor, counting only what the caller may read", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await releasesOf(
        `owner=shop&figure=deploymentFrequency&limit=1${
          cursor ? `&cursor=${cursor}` : ''
        }`,
        ADMIN,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(
        ...page.body.items.map((r: { entityRef: string }) => r.entityRef),
      );
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([ref('checkout'), ref('storefront')]);

    const jane = await releasesOf(
      'owner=shop&figure=deploymentFrequency',
      JANE,
    );
    expect(
      jane.body.items.map((r: { entityRef: string }) => r.entityRef),
    ).toEqual([ref('storefront')]);
    expect(
      (await releasesOf(`entityRef=${ref('checkout')}&figure=leadTime`, JANE))
        .status,
    ).toBe(403);
    expect(
      (await releasesOf(`entityRef=${ref('checkout')}&figure=leadTime`)).status,
    ).toBe(401);
    expect(
      (await releasesOf('owner=shop&figure=leadTime', STRANGER)).status,
    ).toBe(403);
  });

  it('says what was wrong with a drill-down query', async () => {
    const other = await releasesOf(
      'owner=shop&figure=deploymentFrequency&limit=1',
      ADMIN,
    );
    const cases: Array<[string, string]> = [
      [`entityRef=${ref('storefront')}`, 'figure: must be one of'],
      [
        `entityRef=${ref('storefront')}&figure=mttr`,
        'deploymentFrequency, leadTime, changeFailureRate, recoveryTime',
      ],
      ['figure=leadTime', 'give either entityRef'],
      [
        `entityRef=${ref('storefront')}&figure=leadTime&limit=0`,
        'limit: must be a number from 1 to 500',
      ],
      [
        `entityRef=${ref('storefront')}&figure=leadTime&bucketStart=monday`,
        'bucketStart: must be a bucket start time',
      ],
      [
        `entityRef=${ref(
          'storefront',
        )}&figure=leadTime&bucket=week&bucketStart=2001-01-01T00:00:00.000Z`,
        'is not the start of a week bucket of this window',
      ],
      [
        `entityRef=${ref('storefront')}&figure=leadTime&cursor=abc`,
        'is not one this route returned for figure=leadTime',
      ],
      [
        `owner=shop&figure=leadTime&cursor=${other.body.nextCursor}`,
        'pass the nextCursor of the previous page unchanged',
      ],
    ];
    for (const [query, message] of cases) {
      const res = await releasesOf(query, ADMIN);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toContain(message);
    }
  });

  it("refuses a project's figures to who may not read it", async () => {
    const res = await get(`entityRef=${ref('checkout')}`, JANE);
    expect(res.status).toBe(403);
    expect((await get(`entityRef=${ref('checkout')}`)).status).toBe(401);
  });

  it("counts a team's projects the caller may read, and only those", async () => {
    const admin = await get('owner=group:default/shop', ADMIN);
    expect(admin.status).toBe(200);
    expect(
      admin.body.scope.projects
        .map((p: { entityRef: string }) => p.entityRef)
        .sort(),
    ).toEqual([ref('checkout'), ref('storefront')]);
    expect(admin.body.deploymentFrequency.deployments).toBe(2);
    expect(admin.body.window).toMatchObject({ days: 30, bucket: 'week' });

    const jane = await get('owner=shop&environment=staging', JANE);
    expect(jane.status).toBe(200);
    expect(jane.body.scope).toMatchObject({
      owner: 'group:default/shop',
      projects: [{ entityRef: ref('storefront'), environment: 'staging' }],
    });
    expect(jane.body.deploymentFrequency.deployments).toBe(1);

    expect((await get('owner=group:default/shop', STRANGER)).status).toBe(403);
  });

  it('says what was wrong with a query', async () => {
    const cases: Array<[string, string]> = [
      ['window=7', 'give either entityRef'],
      [`entityRef=${ref('storefront')}&owner=shop`, 'not both'],
      [`entityRef=${ref('storefront')}&window=14`, 'window: must be 7, 30, 90'],
      [`entityRef=${ref('storefront')}&window=7&window=30`, 'given once'],
      [
        `entityRef=${ref('storefront')}&bucket=month`,
        'bucket: must be day or week',
      ],
      [
        `entityRef=${ref('storefront')}&environment=qa`,
        'has no environment qa',
      ],
      [`entityRef=${ref('storefront')}&since=1d`, 'since'],
      ['entityRef=storefront', 'must be an entity ref'],
      ['owner=a:b:c', 'must be an owner such as group:default/shop'],
      ['owner=component:default/x', 'a group or a user'],
    ];
    for (const [query, message] of cases) {
      const res = await get(query, ADMIN);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toContain(message);
    }
  });
});
