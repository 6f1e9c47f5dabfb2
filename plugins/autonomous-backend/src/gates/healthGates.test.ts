import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { newRelease } from '../__testUtils__/orchestratorHarness';
import {
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { LeaseLostError, ReleaseWorkStore } from '../database/ReleaseWorkStore';
import {
  ended,
  ERROR_RATIO_GATE,
  gateHarness,
} from './__testUtils__/gateHarness';

/*
 * A release is healthy only once its environment's health gates held over their window after
 * the rollout. The sandbox's Prometheus is steered: the error ratio of the release's namespace
 * turns bad two seconds into the window (two minutes, scaled down with a window of four
 * seconds evaluated every 0.4 s instead of minutes).
 */

jest.setTimeout(180_000);

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('checkout');
  await upstream.addProject('payments');
  await upstream.addProject('ledger');
  await upstream.addProject('billing');
  await upstream.addProject('refunds');
});
afterAll(() => upstream.stop());
afterEach(async () => {
  await upstream.control('/prometheus/scenario', undefined, 'DELETE');
  await upstream.control('/faults', undefined, 'DELETE');
});

describe.each(databases.ids)('health gates on %s', id => {
  let knex: Knex;
  let harness: ReturnType<typeof gateHarness>;

  beforeAll(async () => {
    knex = await databases.migrated(id);
  });
  afterEach(() => harness?.orchestrator.stop());

  const drive = (
    releaseId: string,
    until: (r: Release) => boolean,
    onTurn?: (r: Release) => Promise<void>,
  ) => harness.drive(releaseId, until, onTurn);
  const messages = (releaseId: string) => harness.messages(releaseId);

  /** A release that passes its gates, so there is a digest to go back to. */
  async function healthyRelease(name: string): Promise<Release> {
    await upstream.control('/prometheus/scenario', {
      namespace: `${name}-production`,
      mode: 'healthy',
    });
    const good = await harness.releases.createRelease(newRelease(name));
    const done = await drive(good.id, ended);
    expect(done.status).toBe('healthy');
    return done;
  }

  it('rolls a release whose error ratio turns bad two seconds into its window back to the previous digest, and tells the owners', async () => {
    harness = gateHarness(knex, upstream);
    const entityRef = 'component:default/checkout';
    await harness.store.setEnvironment(
      entityRef,
      'production',
      { gates: [ERROR_RATIO_GATE], autoRollback: true },
      'user:default/owner',
    );
    const good = await healthyRelease('checkout');
    expect(await messages(good.id)).toMatch(
      /Every health gate passed: error-ratio: held < 0.01 for 4 s/,
    );

    await upstream.control('/prometheus/scenario', {
      namespace: 'checkout-production',
      mode: 'failing',
      failAfterMs: 2_000,
      failingRatio: 0.2,
    });
    const bad = await harness.releases.createRelease(newRelease('checkout'));
    const done = await drive(bad.id, ended, async r => {
      // The rollback's image is the good one: its error ratio is fine again.
      if (r.status === 'rolling-back') {
        await upstream.control('/prometheus/scenario', {
          namespace: 'checkout-production',
          mode: 'healthy',
        });
      }
    });
    expect(done.status).toBe('rolled-back');

    const events = await messages(bad.id);
    expect(events).toMatch(
      /Health gates started: error-ratio \(< 0.01 for 4 s/,
    );
    expect(events).toMatch(
      /Health gate error-ratio failed: sum\(rate\(http_requests_total\{namespace="checkout-production",code=~"5.."\}\[1m\]\)\) \/ .* was 0.2 at .*, which is not < 0.01/,
    );
    expect(events).toMatch(/Rolling back to #\d+ .* with a new release/);

    const rollbacks = await knex('releases').where({
      entity_ref: entityRef,
      trigger: 'rollback',
    });
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0].image_ref).toBe(good.imageRef);
    expect(rollbacks[0].source_release_id).toBe(good.id);
    expect(rollbacks[0].reason).toMatch(/failed health gate error-ratio/);

    // The failure came after two seconds of healthy samples, not at the start.
    const [check] = await harness.store.checksOf(bad.id);
    expect(check.verdict).toBe('failed');
    const firstBad = check.samples.findIndex(s => !s.passed);
    expect(firstBad).toBeGreaterThan(2);
    expect(
      Date.parse(check.samples[firstBad].at) - Date.parse(check.startedAt),
    ).toBeGreaterThanOrEqual(2_000);
    expect(check.samples[firstBad].value).toBe(0.2);

    expect(harness.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef },
        payload: expect.objectContaining({
          title: `Release #${bad.number} of checkout failed health gate error-ratio in production`,
          description: expect.stringMatching(
            new RegExp(
              `was 0.2 .*Rolling back automatically to #${good.number} \\(${good.version}\\)`,
            ),
          ),
          severity: 'high',
          scope: `autonomous:release-gate:${bad.id}`,
        }),
      },
    ]);
  });

  it('ends the release failed with the same reasons when auto-rollback is off', async () => {
    harness = gateHarness(knex, upstream);
    const entityRef = 'component:default/payments';
    await harness.store.setEnvironment(
      entityRef,
      'production',
      { gates: [ERROR_RATIO_GATE], autoRollback: false },
      'user:default/owner',
    );
    await healthyRelease('payments');
    await upstream.control('/prometheus/scenario', {
      namespace: 'payments-production',
      mode: 'failing',
      failAfterMs: 2_000,
    });
    const bad = await harness.releases.createRelease(newRelease('payments'));
    const done = await drive(bad.id, ended);
    expect(done.status).toBe('failed');
    const events = await messages(bad.id);
    expect(events).toMatch(
      /Health gate error-ratio failed: .* was 0.2 at .*, which is not < 0.01.*Automatic rollback is off for production/,
    );
    expect(
      await knex('releases').where({
        entity_ref: entityRef,
        trigger: 'rollback',
      }),
    ).toHaveLength(0);
    expect(harness.sent).toHaveLength(1);
    expect(harness.sent[0].payload.description).toMatch(
      /was 0.2 .*Automatic rollback is off/,
    );
  });

  it('ends a first release that fails its gate failed, with auto-rollback on but nothing to go back to', async () => {
    harness = gateHarness(knex, upstream);
    await harness.store.setEnvironment(
      'component:default/billing',
      'production',
      { gates: [ERROR_RATIO_GATE], autoRollback: true },
      'user:default/owner',
    );
    await upstream.control('/prometheus/scenario', {
      namespace: 'billing-production',
      mode: 'failing',
      failAfterMs: 0,
    });
    const first = await harness.releases.createRelease(newRelease('billing'));
    const done = await drive(first.id, ended);
    expect(done.status).toBe('failed');
    expect(await messages(first.id)).toMatch(
      /Health gate error-ratio failed: .* was 0.2 .*Automatic rollback is on, but no earlier healthy release exists to go back to/,
    );
    expect(harness.sent[0].payload.description).toMatch(
      /no earlier healthy release exists/,
    );
  });

  it('fails the gate closed, with that reason, when Prometheus stays unreachable past the retry window', async () => {
    harness = gateHarness(knex, upstream, { retryWindowMs: 1_500 });
    await harness.store.setEnvironment(
      'component:default/ledger',
      'production',
      { gates: [ERROR_RATIO_GATE], autoRollback: false },
      'user:default/owner',
    );
    const release = await harness.releases.createRelease(newRelease('ledger'));
    await drive(release.id, r => r.status === 'progressing');
    await upstream.control('/faults', { system: 'prometheus', down: true });
    const done = await drive(release.id, ended);
    expect(done.status).toBe('failed');
    expect(await messages(release.id)).toMatch(
      /Health gate error-ratio failed: no value for \d+(\.\d+)? s \(the retry window is 1.5 s\), so the gate fails closed: .*Prometheus/,
    );
  });

  it('adds no sample and gives no verdict from a worker that lost the release to another', async () => {
    harness = gateHarness(knex, upstream);
    const entityRef = 'component:default/refunds';
    await harness.store.setEnvironment(
      entityRef,
      'production',
      {
        gates: [{ ...ERROR_RATIO_GATE, durationMs: 60_000 }],
        autoRollback: true,
      },
      'user:default/owner',
    );
    await upstream.control('/prometheus/scenario', {
      namespace: 'refunds-production',
      mode: 'healthy',
    });
    const release = await harness.releases.createRelease(newRelease('refunds'));
    let sampled = false;
    await drive(
      release.id,
      () => sampled,
      async () => {
        const [check] = await harness.store.checksOf(release.id);
        sampled = (check?.samples.length ?? 0) > 0;
      },
    );
    harness.orchestrator.stop();
    const samples = async () =>
      (await harness.store.checksOf(release.id))[0].samples.length;
    const before = await samples();
    const { entity } = await upstream.resolve(entityRef);
    const current = (await harness.releases.getRelease(release.id))!;
    const vars = { namespace: 'refunds-production', application: 'refunds' };
    const work = new ReleaseWorkStore(knex);
    // This worker's token is no longer the release's: another worker claimed it since.
    await knex('releases')
      .where({ id: release.id })
      .update({ lease_token: 'the-other-worker' });
    const stale = {
      release: current,
      progress: { attempts: 0 },
      since: new Date(),
    };
    await new Promise(resolve => setTimeout(resolve, 500)); // a sample is due
    await expect(
      harness.gates.evaluate(current, entity, vars, undefined, () =>
        work.assertLease({ ...stale, token: 'this-worker' }),
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await samples()).toBe(before);
    // The worker that holds it samples as usual.
    await harness.gates.evaluate(current, entity, vars, undefined, () =>
      work.assertLease({ ...stale, token: 'the-other-worker' }),
    );
    expect(await samples()).toBe(before + 1);
  });
});
