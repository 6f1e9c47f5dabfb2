import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { HealthGate } from '../gates/types';
import { HealthGateStore } from './HealthGateStore';
import { DatabaseReleaseStore } from './ReleaseStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();
const SHOP = 'component:default/shop';

const errorRatio: HealthGate = {
  name: 'error-ratio',
  query:
    'sum(rate(http_requests_total{namespace="{{namespace}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}"}[1m]))',
  comparison: '<',
  threshold: 0.01,
  durationMs: 300_000,
  intervalMs: 30_000,
};
const latency: HealthGate = {
  name: 'latency-p99',
  query: 'histogram_quantile(0.99, sum(rate(duration_bucket[1m])) by (le))',
  comparison: '<=',
  threshold: 0.25,
  durationMs: 120_000,
  intervalMs: 10_000,
};

describe.each(databases.ids)('HealthGateStore on %s', databaseId => {
  async function setup() {
    const knex = await databases.migrated(databaseId);
    let clock = Date.parse('2026-12-08T09:00:00Z');
    const now = () => new Date(clock);
    const releases = new DatabaseReleaseStore(knex, now);
    const release = await releases.createRelease({
      entityRef: SHOP,
      environment: `production-${Math.floor(Math.random() * 1e9)}`,
      trigger: 'manual',
      requestedBy: 'user:default/ada',
    });
    return {
      store: new HealthGateStore(knex, now),
      release,
      tick: (ms: number) => (clock += ms),
    };
  }

  it('answers an environment never set as no gates with auto-rollback off', async () => {
    const { store } = await setup();
    expect(await store.getEnvironment(SHOP, 'staging')).toEqual({
      entityRef: SHOP,
      environment: 'staging',
      gates: [],
      autoRollback: false,
      updatedAt: undefined,
      updatedBy: undefined,
    });
  });

  it('replaces the gates of one environment in the order given, leaving others alone', async () => {
    const { store, tick } = await setup();
    await store.setEnvironment(
      SHOP,
      'staging',
      { gates: [latency], autoRollback: false },
      'user:default/bob',
    );
    await store.setEnvironment(
      SHOP,
      'production',
      { gates: [errorRatio, latency], autoRollback: true },
      'user:default/ada',
    );
    tick(60_000);
    const set = await store.setEnvironment(
      SHOP,
      'production',
      { gates: [latency, errorRatio], autoRollback: true },
      'user:default/ada',
    );
    expect(set.gates).toEqual([latency, errorRatio]);
    expect(set.autoRollback).toBe(true);
    expect(set.updatedAt).toBe('2026-12-08T09:01:00.000Z');
    expect(set.updatedBy).toBe('user:default/ada');
    expect((await store.getEnvironment(SHOP, 'staging')).gates).toEqual([
      latency,
    ]);

    const cleared = await store.setEnvironment(
      SHOP,
      'production',
      { gates: [], autoRollback: false },
      'user:default/ada',
    );
    expect(cleared.gates).toEqual([]);
    expect(cleared.autoRollback).toBe(false);
  });

  it("keeps a release's window start and gates when it is started again after a crash", async () => {
    const { store, release, tick } = await setup();
    const first = await store.startChecks(release.id, [errorRatio], true);
    expect(first).toEqual([
      expect.objectContaining({
        name: 'error-ratio',
        startedAt: '2026-12-08T09:00:00.000Z',
        verdict: 'pending',
        autoRollback: true,
        samples: [],
      }),
    ]);
    await store.addSample(release.id, 'error-ratio', {
      at: '2026-12-08T09:00:30.000Z',
      value: 0.002,
      passed: true,
    });
    tick(90_000);
    // Settings changed meanwhile: the running window keeps what it started with.
    const again = await store.startChecks(
      release.id,
      [{ ...errorRatio, threshold: 0.5 }, latency],
      false,
    );
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({
      threshold: 0.01,
      startedAt: '2026-12-08T09:00:00.000Z',
      autoRollback: true,
      samples: [{ at: '2026-12-08T09:00:30.000Z', value: 0.002, passed: true }],
    });
  });

  it('stores samples without a value with their reason, and a verdict only once', async () => {
    const { store, release, tick } = await setup();
    await store.startChecks(release.id, [errorRatio, latency], false);
    await store.addSample(release.id, 'latency-p99', {
      at: '2026-12-08T09:00:10.000Z',
      passed: false,
      error: 'Prometheus is unreachable: connect ECONNREFUSED',
    });
    await store.addSample(release.id, 'error-ratio', {
      at: '2026-12-08T09:00:30.000Z',
      value: 0.2,
      passed: false,
    });
    tick(30_000);
    await store.decide(release.id, 'error-ratio', 'failed', 'saw 0.2');
    await store.decide(release.id, 'error-ratio', 'passed', 'later');
    const checks = await store.checksOf(release.id);
    expect(checks.map(c => [c.name, c.verdict, c.reason])).toEqual([
      ['error-ratio', 'failed', 'saw 0.2'],
      ['latency-p99', 'pending', undefined],
    ]);
    expect(checks[0].decidedAt).toBe('2026-12-08T09:00:30.000Z');
    expect(checks[1].samples).toEqual([
      {
        at: '2026-12-08T09:00:10.000Z',
        value: undefined,
        passed: false,
        error: 'Prometheus is unreachable: connect ECONNREFUSED',
      },
    ]);
    expect(
      await store.checksOf('00000000-0000-4000-8000-000000000000'),
    ).toEqual([]);
  });
});
