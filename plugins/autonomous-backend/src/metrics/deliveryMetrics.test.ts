import {
  MetricsFigure,
  MetricsFigureRelease,
  Project,
  ReleaseStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { MetricsQueries } from '../database/MetricsQueries';
import { DatabaseReleaseStore, NewRelease } from '../database/ReleaseStore';
import { median, percentile } from './deliveryMetrics';
import { MetricsRequest, MetricsService } from './MetricsService';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();
const SHOP = 'component:default/storefront';
const NOW = new Date('2026-11-30T12:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const digest = (c: string) =>
  `harbor.local/shop/storefront@sha256:${c.repeat(64)}`;

const project = (environments: string[]): Project => ({
  entityRef: SHOP,
  kind: 'monolith',
  autoDeploy: false,
  environments: environments.map(name => ({
    name,
    namespace: `shop-${name}`,
    branch: 'main',
    autoDeploy: false,
    domains: [],
  })),
  upstreams: {},
});

/**
 * A production history with known answers (times UTC, window of 30 days from 2026-11-01):
 *
 * | release | what happened | counts as |
 * |---|---|---|
 * | r0 | 10-20, healthy on digest 0, before the window and its look-back | the earlier digest r8 goes back to |
 * | r1 | 11-02 10:00, committed 08:00, healthy 10:30 | deployment, lead 2.5 h |
 * | r2 | 11-03 10:00, committed 09:00, healthy 11:00 | deployment, lead 2 h, failed: replaced by r3 |
 * | r3 | 11-03 12:00, a user's rollback to r1, healthy 12:10 | remediation, recovers r2 in 70 min |
 * | r4 | 11-05 10:00, degraded 10:20, rolled back automatically | failed (rolled back) |
 * | r5 | 11-05 10:21, the automatic rollback to r1's digest, healthy 10:31 | remediation, recovers r4 in 11 min |
 * | r6 | 11-10 10:00, no commit time, build failed 10:05 | failed, recovered by r7 in 75 min |
 * | r7 | 11-10 11:00, no commit time, healthy 11:20 | deployment without commit time; failed: replaced by r8 |
 * | r8 | 11-12 10:00, a redeploy of r0's digest, healthy 10:10 | remediation, recovers r7 in 46 h 50 min |
 * | r9 | 11-12 11:00, a redeploy of r8 (a restart), healthy 11:05 | remediation, replaces nothing |
 * | r10 | 11-20 10:00, committed 11-19 10:00, healthy 10:30 | deployment, lead 24.5 h |
 * | r11 | 11-21, cancelled | not counted |
 * | r12 | 11-29, still building | started, not finished |
 */
async function seedHistory(knex: Knex) {
  let clock = 0;
  const store = new DatabaseReleaseStore(knex, () => new Date(clock));
  const at = (iso: string) => (clock = Date.parse(`2026-${iso}Z`));
  const ids: Record<string, string> = {};
  let n = 0;
  async function release(
    name: string,
    created: string,
    over: Partial<NewRelease> = {},
  ) {
    at(created);
    n += 1;
    const r = await store.createRelease({
      entityRef: SHOP,
      environment: 'production',
      version: `1.0.${n}`,
      trigger: 'manual',
      requestedBy: 'user:default/jane',
      ...over,
    });
    ids[name] = r.id;
    return r.id;
  }
  async function move(
    name: string,
    steps: Array<[ReleaseStatus, string]>,
    image?: string,
  ) {
    for (const [to, when] of steps) {
      at(when);
      await store.transition(
        ids[name],
        to,
        to,
        to === 'built' ? { imageRef: image } : undefined,
      );
    }
  }
  const build = (
    d: string,
    healthy: string,
  ): Array<[ReleaseStatus, string]> => [
    ['building', d],
    ['built', d],
    ['syncing', d],
    ['progressing', d],
    ['healthy', healthy],
  ];

  await release('r0', '10-20T10:00:00');
  await move('r0', build('10-20T10:01:00', '10-20T10:10:00'), digest('0'));
  await release('r1', '11-02T10:00:00', {
    committedAt: '2026-11-02T08:00:00Z',
  });
  await move('r1', build('11-02T10:01:00', '11-02T10:30:00'), digest('1'));
  await release('r2', '11-03T10:00:00', {
    committedAt: '2026-11-03T09:00:00Z',
  });
  await move('r2', build('11-03T10:01:00', '11-03T11:00:00'), digest('2'));
  await release('r3', '11-03T12:00:00', {
    trigger: 'rollback',
    imageRef: digest('1'),
    sourceReleaseId: ids.r1,
  });
  await move(
    'r3',
    [
      ['built', '11-03T12:01:00'],
      ['syncing', '11-03T12:02:00'],
      ['progressing', '11-03T12:03:00'],
      ['healthy', '11-03T12:10:00'],
    ],
    digest('1'),
  );
  await release('r4', '11-05T10:00:00', {
    committedAt: '2026-11-05T09:30:00Z',
  });
  await move(
    'r4',
    [
      ['building', '11-05T10:01:00'],
      ['built', '11-05T10:05:00'],
      ['syncing', '11-05T10:06:00'],
      ['progressing', '11-05T10:07:00'],
      ['degraded', '11-05T10:20:00'],
      ['rolling-back', '11-05T10:21:00'],
    ],
    digest('4'),
  );
  await release('r5', '11-05T10:21:00', {
    trigger: 'rollback',
    requestedBy: 'autonomous (automatic rollback)',
    imageRef: digest('1'),
    sourceReleaseId: ids.r3,
  });
  await move(
    'r5',
    [
      ['built', '11-05T10:22:00'],
      ['syncing', '11-05T10:23:00'],
      ['progressing', '11-05T10:24:00'],
      ['healthy', '11-05T10:31:00'],
    ],
    digest('1'),
  );
  await move('r4', [['rolled-back', '11-05T10:32:00']]);
  await release('r6', '11-10T10:00:00');
  await move('r6', [
    ['building', '11-10T10:01:00'],
    ['failed', '11-10T10:05:00'],
  ]);
  await release('r7', '11-10T11:00:00');
  await move('r7', build('11-10T11:01:00', '11-10T11:20:00'), digest('7'));
  await release('r8', '11-12T10:00:00', {
    trigger: 'redeploy',
    imageRef: digest('0'),
    sourceReleaseId: ids.r0,
  });
  await move(
    'r8',
    [
      ['built', '11-12T10:01:00'],
      ['syncing', '11-12T10:02:00'],
      ['progressing', '11-12T10:03:00'],
      ['healthy', '11-12T10:10:00'],
    ],
    digest('0'),
  );
  await release('r9', '11-12T11:00:00', {
    trigger: 'redeploy',
    imageRef: digest('0'),
    sourceReleaseId: ids.r8,
  });
  await move(
    'r9',
    [
      ['built', '11-12T11:01:00'],
      ['syncing', '11-12T11:02:00'],
      ['progressing', '11-12T11:03:00'],
      ['healthy', '11-12T11:05:00'],
    ],
    digest('0'),
  );
  await release('r10', '11-20T10:00:00', {
    committedAt: '2026-11-19T10:00:00Z',
  });
  await move('r10', build('11-20T10:01:00', '11-20T10:30:00'), digest('a'));
  await release('r11', '11-21T10:00:00');
  await move('r11', [['cancelled', '11-21T10:01:00']]);
  await release('r12', '11-29T10:00:00');
  await move('r12', [['building', '11-29T10:01:00']]);
  // Staging is another environment: none of it counts for production.
  at('11-15T10:00:00');
  const staging = await store.createRelease({
    entityRef: SHOP,
    environment: 'staging',
    version: 'staging-1',
    trigger: 'manual',
    requestedBy: 'user:default/jane',
  });
  await store.transition(staging.id, 'failed', 'failed');
  return ids;
}

describe('median and percentile', () => {
  it('takes the middle value (the mean of the middle two) and a value that occurred for p90', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([2, 1, 30], 90)).toBe(30);
  });
});

describe.each(databases.ids)('delivery metrics on %s', databaseId => {
  let knex: Knex;
  let ids: Record<string, string>;
  let service: MetricsService;

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    ids = await seedHistory(knex);
    service = new MetricsService({
      queries: new MetricsQueries(knex),
      catalog: {} as any,
      auth: {} as any,
      settings: { productionEnvironments: ['production'] },
      now: () => NOW,
    });
  });
  afterAll(async () => {
    await knex?.destroy();
  });

  const of = (...names: string[]) => names.map(name => ids[name]);
  /** Every release behind a figure, read page by page as the drill-down does. */
  const releasesOf = async (
    figure: MetricsFigure,
    environments = ['production'],
    request: MetricsRequest = { days: 30, bucket: 'week' },
    bucketStart?: string,
  ) => {
    const items: MetricsFigureRelease[] = [];
    let beforeSeq: number | undefined;
    do {
      const page = await service.releasesForProject(
        project(environments),
        request,
        { figure, limit: 2, beforeSeq, bucketStart },
      );
      items.push(...page.items);
      beforeSeq = page.lastSeq;
    } while (beforeSeq !== undefined);
    return items;
  };

  it('counts deployments and deployment days, with every release started in the window as N', async () => {
    const m = await service.forProject(project(['staging', 'production']), {
      days: 30,
      bucket: 'week',
    });
    expect(m.scope.projects).toEqual([
      { entityRef: SHOP, environment: 'production' },
    ]);
    expect(m.window).toEqual({
      days: 30,
      bucket: 'week',
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-11-30T12:00:00.000Z',
    });
    expect(m.bands).toEqual({
      year: 2023,
      title: expect.stringContaining('2023'),
    });
    expect(m.deploymentFrequency).toMatchObject({
      deployments: 8,
      deploymentDays: 6,
      deploymentDaysPerWeek: 1.4,
      n: 8,
      N: 12,
      band: 'high',
    });
    const deployed = await releasesOf('deploymentFrequency', [
      'staging',
      'production',
    ]);
    expect(deployed.map(r => r.id)).toEqual(
      of('r10', 'r9', 'r8', 'r7', 'r5', 'r3', 'r2', 'r1'),
    );
    expect(deployed[0]).toMatchObject({
      entityRef: SHOP,
      environment: 'production',
      status: 'healthy',
    });
    // One bucket: the first week's four deployments.
    const firstWeek = await releasesOf(
      'deploymentFrequency',
      ['production'],
      { days: 30, bucket: 'week' },
      '2026-11-01T00:00:00.000Z',
    );
    expect(firstWeek).toHaveLength(m.buckets[0].deployments);
    await expect(
      releasesOf(
        'deploymentFrequency',
        ['production'],
        { days: 30, bucket: 'week' },
        '2026-11-02T00:00:00.000Z',
      ),
    ).rejects.toThrow('is not the start of a week bucket');
  });

  it('gives lead time as median and p90 of changes with a commit time, and names those without', async () => {
    const { leadTime } = await service.forProject(project(['production']), {
      days: 30,
      bucket: 'week',
    });
    expect(leadTime).toMatchObject({
      n: 3,
      N: 4,
      medianMs: 2.5 * HOUR,
      p90Ms: 24.5 * HOUR,
      band: 'elite',
      withoutCommitTime: { count: 1 },
    });
    const changes = await releasesOf('leadTime');
    expect(
      new Set(changes.filter(r => r.leadTimeMs !== undefined).map(r => r.id)),
    ).toEqual(new Set(of('r1', 'r2', 'r10')));
    expect(
      changes.filter(r => r.leadTimeMs === undefined).map(r => r.id),
    ).toEqual(of('r7'));
  });

  it('counts failures, automatic rollbacks and releases replaced by an earlier digest, never the rollbacks themselves', async () => {
    const { changeFailureRate } = await service.forProject(
      project(['production']),
      { days: 30, bucket: 'week' },
    );
    expect(changeFailureRate).toMatchObject({
      n: 4,
      N: 6,
      rate: 0.667,
      band: 'low',
      byReason: {
        failed: 1,
        degraded: 0,
        'rolled-back': 1,
        'replaced-by-earlier-digest': 2,
      },
    });
    const failed = await releasesOf('changeFailureRate');
    expect(
      Object.fromEntries(
        failed.map(r => [
          r.number,
          [r.failure?.reason, r.failure?.replacedBy?.number],
        ]),
      ),
    ).toEqual({
      3: ['replaced-by-earlier-digest', 4],
      5: ['rolled-back', undefined],
      7: ['failed', undefined],
      8: ['replaced-by-earlier-digest', 9],
    });
  });

  it('gives the median time from a failure to the next healthy release', async () => {
    const { recoveryTime } = await service.forProject(project(['production']), {
      days: 30,
      bucket: 'week',
    });
    // 11, 70, 75 and 2,810 minutes.
    expect(recoveryTime).toMatchObject({
      n: 4,
      N: 4,
      medianMs: 72.5 * MIN,
      band: 'high',
      unrecovered: 0,
    });
    const failures = await releasesOf('recoveryTime');
    expect(
      failures.map(r => r.failure?.recoveryMs! / MIN).sort((a, b) => a - b),
    ).toEqual([11, 70, 75, 2810]);
  });

  it('splits the window into weeks from its first day', async () => {
    const { buckets } = await service.forProject(project(['production']), {
      days: 30,
      bucket: 'week',
    });
    expect(buckets.map(b => b.start.slice(0, 10))).toEqual([
      '2026-11-01',
      '2026-11-08',
      '2026-11-15',
      '2026-11-22',
      '2026-11-29',
    ]);
    expect(buckets[0]).toMatchObject({
      deployments: 4,
      deploymentDays: 3,
      releases: 3,
      failures: 2,
      changeFailureRate: 0.667,
      leadTimeN: 2,
      leadTimeMedianMs: 2.25 * HOUR,
      recoveryN: 2,
    });
    expect(buckets[1]).toMatchObject({
      deployments: 3,
      releases: 2,
      failures: 2,
    });
    expect(buckets[3]).toMatchObject({ deployments: 0, releases: 0 });
    expect(buckets[3].changeFailureRate).toBeUndefined();
  });

  it('answers an empty window with counts of zero and no medians or bands', async () => {
    const m = await service.forProject(project(['production']), {
      days: 7,
      bucket: 'day',
    });
    expect(m.buckets).toHaveLength(7);
    expect(m.deploymentFrequency).toMatchObject({ deployments: 0, n: 0, N: 1 });
    expect(m.leadTime).toMatchObject({ n: 0, N: 0 });
    expect(m.leadTime.medianMs).toBeUndefined();
    expect(m.changeFailureRate).toMatchObject({ n: 0, N: 0 });
    expect(m.changeFailureRate.rate).toBeUndefined();
    expect(m.changeFailureRate.band).toBeUndefined();
    expect(m.recoveryTime).toMatchObject({ n: 0, N: 0 });
  });

  it('counts the environment asked for instead of production', async () => {
    const m = await service.forProject(project(['staging', 'production']), {
      days: 30,
      bucket: 'day',
      environment: 'staging',
    });
    expect(m.buckets).toHaveLength(30);
    expect(m.changeFailureRate).toMatchObject({ n: 1, N: 1, rate: 1 });
    expect(m.recoveryTime.unrecovered).toBe(1);
    const [unrecovered] = await releasesOf(
      'recoveryTime',
      ['staging', 'production'],
      {
        days: 30,
        bucket: 'day',
        environment: 'staging',
      },
    );
    expect(unrecovered).toMatchObject({ environment: 'staging' });
    expect(unrecovered.failure?.recoveredAt).toBeUndefined();
    await expect(
      service.forProject(project(['production']), {
        days: 30,
        bucket: 'day',
        environment: 'qa',
      }),
    ).rejects.toThrow('has no environment qa; it has production');
  });
});
