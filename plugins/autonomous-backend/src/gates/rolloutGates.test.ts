import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ArgoRollout } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Knex } from 'knex';
import { newRelease } from '../__testUtils__/orchestratorHarness';
import {
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { CANARY_GATE, ended, gateHarness } from './__testUtils__/gateHarness';
import { GATE_HOLD_ANNOTATION } from '../orchestrator/rolloutStage';

/*
 * A release whose chart renders an Argo Rollouts Rollout is followed through its steps: at each
 * canary pause (and at a blue/green preview) the environment's health gates run over their
 * window, on the canary's pods, and the release promotes the Rollout when they pass or aborts it
 * when one fails. Windows are scaled down to 1.5 s evaluated every 0.3 s.
 */

jest.setTimeout(240_000);

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
});
afterAll(() => upstream.stop());
afterEach(async () => {
  await upstream.control('/prometheus/scenario', undefined, 'DELETE');
});

describe.each(databases.ids)('releases through Argo Rollouts on %s', id => {
  let knex: Knex;
  let harness: ReturnType<typeof gateHarness>;
  const suffix = id.toLowerCase().replace(/[^a-z0-9]/g, '');

  beforeAll(async () => {
    knex = await databases.migrated(id);
  });
  afterEach(() => harness?.orchestrator.stop());

  const rollout = async (name: string): Promise<ArgoRollout> =>
    (await upstream.clients
      .get('kubernetes')
      .rollouts.getRollout(`${name}-production`, name))!;

  const drive = (
    releaseId: string,
    until: (r: Release) => boolean,
    onTurn?: (r: Release) => Promise<void>,
  ) => harness.drive(releaseId, until, onTurn, 150_000);
  const messages = (releaseId: string) => harness.messages(releaseId);

  /** A project whose chart renders a Rollout, with gates, and a first healthy release. */
  async function project(
    base: string,
    values: Record<string, string>,
    withGates = true,
  ): Promise<{ name: string; good: Release }> {
    const name = `${base}${suffix}`;
    await upstream.addProject(name);
    await upstream.clients.get('argocd').setHelmParameters(
      name,
      Object.entries({ replicaCount: '4', ...values }).map(([k, value]) => ({
        name: k,
        value,
      })),
    );
    await harness.store.setEnvironment(
      `component:default/${name}`,
      'production',
      { gates: withGates ? [CANARY_GATE] : [], autoRollback: true },
      'user:default/owner',
    );
    await upstream.control('/prometheus/scenario', {
      namespace: `${name}-production`,
      mode: 'healthy',
    });
    const good = await harness.releases.createRelease(newRelease(name));
    const done = await drive(good.id, ended);
    expect(done.status).toBe('healthy');
    return { name, good: done };
  }

  it('steps a canary 20 → 50 → 100, judging the canary at each pause before promoting it, and ends healthy', async () => {
    harness = gateHarness(knex, upstream);
    const { name } = await project('storefront', {
      'rollout.strategy': 'canary',
      'rollout.steps': '20,pause,50,pause',
    });
    const stableBefore = (await rollout(name)).status?.stableRS;

    const release = await harness.releases.createRelease(newRelease(name));
    const weightsAtPauses = new Set<string>();
    const done = await drive(release.id, ended, async () => {
      const ro = await rollout(name);
      if (ro.status?.pauseConditions?.length) {
        weightsAtPauses.add(
          `${ro.status.currentStepIndex}:${
            ro.status.canary?.weights?.canary.weight ?? ''
          }`,
        );
      }
    });
    expect(done.status).toBe('healthy');
    expect([...weightsAtPauses].map(w => w.split(':')[0]).sort()).toEqual([
      '1',
      '3',
    ]);

    const events = await messages(release.id);
    expect(events).toMatch(
      /waits at canary step 2 of 4 \(pause at weight 20\); health gates judge it before it is promoted/,
    );
    expect(events).toMatch(
      /Every health gate passed at canary step 2 of 4 \(pause at weight 20\): canary-errors: held < 0.01 for 1.5 s.*promoted rollout/,
    );
    expect(events).toMatch(
      /Every health gate passed at canary step 4 of 4 \(pause at weight 50\): .*promoted rollout/,
    );
    expect(events).toMatch(/Every health gate passed: canary-errors/);

    const ro = await rollout(name);
    const hash = ro.status!.currentPodHash!;
    expect(hash).not.toBe(stableBefore);
    expect(ro.status).toMatchObject({ phase: 'Healthy', stableRS: hash });
    // The release's digest is what the stable pods run.
    expect(JSON.stringify(ro.spec.template)).toContain(
      done.imageRef!.split('@')[1],
    );

    // Each pause kept its own window, on the canary's pods, its place in the Rollout (which
    // the drawer titles it by) and the release's promote.
    for (const [step, index, weight] of [
      ['canary-1', 1, 20],
      ['canary-3', 3, 50],
    ] as const) {
      const [check] = await harness.steps.forStep(step).checksOf(release.id);
      expect(check).toMatchObject({ name: 'canary-errors', verdict: 'passed' });
      expect(check.query).toContain(`rollouts_pod_template_hash="${hash}"`);
      // Judged over the whole window, more than once: how many samples fit in it depends on
      // how promptly the orchestrator's turns come on a loaded machine.
      expect(check.samples.length).toBeGreaterThanOrEqual(2);
      expect(check.samples.every(sample => sample.passed)).toBe(true);
      expect(
        Date.parse(check.decidedAt!) - Date.parse(check.startedAt),
      ).toBeGreaterThanOrEqual(CANARY_GATE.durationMs);
      expect(await harness.steps.stepOf(release.id, step)).toMatchObject({
        action: 'promoted',
        pause: { kind: 'canary', index, count: 4, weight },
      });
    }
  });

  it('aborts the canary when its gate fails at the 50 pause: the Rollout returns to stable and the release is rolled back with the gate, the step and the value', async () => {
    // The canary's pods fail; once it is aborted the stable ones serve again, healthy: the
    // owners are told before the rollback release runs its own gates.
    let namespace = '';
    harness = gateHarness(knex, upstream, {}, () =>
      upstream.control('/prometheus/scenario', { namespace, mode: 'healthy' }),
    );
    const { name, good } = await project('checkout', {
      'rollout.strategy': 'canary',
      'rollout.steps': '20,pause,50,pause',
    });
    const stable = (await rollout(name)).status!.stableRS!;
    namespace = `${name}-production`;

    const bad = await harness.releases.createRelease(newRelease(name));
    let aborted: ArgoRollout | undefined;
    const done = await drive(bad.id, ended, async r => {
      const ro = await rollout(name);
      if (
        r.status === 'progressing' &&
        ro.status?.currentStepIndex === 3 &&
        ro.status.pauseConditions?.length
      ) {
        await upstream.control('/prometheus/scenario', {
          namespace: `${name}-production`,
          mode: 'failing',
          failAfterMs: 0,
        });
      }
      if (r.status !== 'progressing' && !aborted) aborted = ro;
    });
    const events = await messages(bad.id);
    expect(done.status).toBe('rolled-back');
    // Aborted at once: traffic back on the stable revision, which never changed.
    expect(aborted!.status?.stableRS).toBe(stable);

    expect(events).toMatch(
      /Every health gate passed at canary step 2 of 4 \(pause at weight 20\)/,
    );
    expect(events).toMatch(
      new RegExp(
        `Health gate canary-errors failed at canary step 4 of 4 \\(pause at weight 50\\): .* was 0.2 at .*, which is not < 0.01.*aborted rollout ${name} in ${name}-production: traffic goes back to the stable revision ${stable}`,
      ),
    );
    expect(events).toMatch(/Rolling back to #\d+ .* with a new release/);
    expect(await harness.steps.stepOf(bad.id, 'canary-3')).toMatchObject({
      action: 'aborted',
    });
    expect(harness.sent[0].payload.title).toBe(
      `Release #${bad.number} of ${name} failed health gate canary-errors in production`,
    );

    const [rollback] = await knex('releases').where({
      entity_ref: `component:default/${name}`,
      trigger: 'rollback',
    });
    expect(rollback.image_ref).toBe(good.imageRef);
    expect(rollback.status).toBe('healthy');
    const after = await rollout(name);
    expect(after.status).toMatchObject({
      phase: 'Healthy',
      stableRS: stable,
      currentPodHash: stable,
    });
  });

  it('holds a timed canary pause shorter than the gate window until the gates have judged it, and lifts the hold when a gate fails', async () => {
    let namespace = '';
    harness = gateHarness(knex, upstream, {}, () =>
      upstream.control('/prometheus/scenario', { namespace, mode: 'healthy' }),
    );
    // The pause would end after 2 s on its own; the gate needs 3 s.
    const { name } = await project('wishlist', {
      'rollout.strategy': 'canary',
      'rollout.steps': '20,pause:2s,50',
    });
    namespace = `${name}-production`;
    const slowGate = { ...CANARY_GATE, durationMs: 3_000 };
    await harness.store.setEnvironment(
      `component:default/${name}`,
      'production',
      { gates: [slowGate], autoRollback: true },
      'user:default/owner',
    );
    const release = await harness.releases.createRelease(newRelease(name));
    const done = await drive(release.id, ended);
    expect(done.status).toBe('healthy');
    const events = await messages(release.id);
    expect(events).toMatch(
      new RegExp(
        `Release #${release.number} held rollout ${name} in ${namespace} at canary step 2 of 3 \\(pause at weight 20\\) \\(spec.paused\\): its pause of 2s would end before the health gates judge the step`,
      ),
    );
    expect(events).toMatch(
      /Every health gate passed at canary step 2 of 3 \(pause at weight 20\): canary-errors: held < 0.01 for 3 s/,
    );
    const [check] = await harness.steps
      .forStep('canary-1')
      .checksOf(release.id);
    expect(
      Date.parse(check.decidedAt!) - Date.parse(check.startedAt),
    ).toBeGreaterThanOrEqual(slowGate.durationMs);
    expect((await rollout(name)).spec.paused).toBeFalsy();

    // The next release's canary fails while held, with automatic rollback off: the release
    // aborts the Rollout and lifts its hold, so that the next release can step through.
    await harness.store.setEnvironment(
      `component:default/${name}`,
      'production',
      { gates: [slowGate], autoRollback: false },
      'user:default/owner',
    );
    await upstream.control('/prometheus/scenario', {
      namespace,
      mode: 'failing',
      failAfterMs: 0,
    });
    const bad = await harness.releases.createRelease(newRelease(name));
    const failed = await drive(bad.id, ended);
    expect(failed.status).toBe('failed');
    const badEvents = await messages(bad.id);
    expect(badEvents).toMatch(
      /Health gate canary-errors failed at canary step 2 of 3 \(pause at weight 20\)/,
    );
    // It held the Rollout at the pause (the annotation says which release), and lifted the
    // hold once it aborted.
    const after = await rollout(name);
    expect(after.status?.abort).toBe(true);
    expect(after.metadata.annotations?.[GATE_HOLD_ANNOTATION]).toBe(bad.id);
    expect(after.spec.paused).toBe(false);
  });

  it('holds a blue/green release in preview while its gates run, then promotes it and ends healthy', async () => {
    harness = gateHarness(knex, upstream);
    const { name } = await project('catalogue', {
      'rollout.strategy': 'blueGreen',
      'rollout.autoPromotionEnabled': 'false',
    });
    const activeBefore = (await rollout(name)).status?.blueGreen
      ?.activeSelector;

    const release = await harness.releases.createRelease(newRelease(name));
    let previewed: ArgoRollout | undefined;
    const done = await drive(release.id, ended, async () => {
      const ro = await rollout(name);
      if (!previewed && ro.status?.pauseConditions?.length) previewed = ro;
    });
    expect(done.status).toBe('healthy');
    // While it waited the old revision served and the new one was behind the preview Service.
    expect(previewed!.status?.blueGreen?.activeSelector).toBe(activeBefore);
    const hash = previewed!.status!.currentPodHash!;
    expect(previewed!.status?.blueGreen?.previewSelector).toBe(hash);

    const events = await messages(release.id);
    expect(events).toMatch(
      new RegExp(
        `waits at blue/green preview \\(revision ${hash} behind ${name}-preview, ${name} still on ${activeBefore}\\); health gates judge it`,
      ),
    );
    expect(events).toMatch(
      /Every health gate passed at blue\/green preview .*promoted rollout/,
    );
    expect(events).toMatch(/Every health gate passed: canary-errors/);
    const ro = await rollout(name);
    expect(ro.status).toMatchObject({
      phase: 'Healthy',
      stableRS: hash,
      blueGreen: { activeSelector: hash },
    });
  });

  it("without gates waits at a pause past the rollout timeout for a promote, and ends degraded with Argo's message when the canary is aborted by hand", async () => {
    harness = gateHarness(knex, upstream, { rolloutTimeoutMs: 1_500 });
    const { name } = await project(
      'basket',
      { 'rollout.strategy': 'canary', 'rollout.steps': '20,pause,50,pause' },
      false,
    );
    const rollouts = upstream.clients.get('kubernetes').rollouts;
    const ns = `${name}-production`;

    const release = await harness.releases.createRelease(newRelease(name));
    await drive(release.id, r => r.status === 'progressing');
    const waiting = Date.now();
    // Twice the rollout timeout at the first pause: still progressing, waiting for a promote.
    const stillWaiting = await drive(
      release.id,
      r => ended(r) || Date.now() - waiting > 3_000,
    );
    expect(stillWaiting.status).toBe('progressing');
    expect((await rollout(name)).status?.currentStepIndex).toBe(1);
    expect(await messages(release.id)).toMatch(
      new RegExp(
        `rollout ${name} in ${ns} waits at canary step 2 of 4 \\(pause at weight 20\\) for a promote`,
      ),
    );
    await rollouts.promote(ns, name);
    const healthy = await drive(release.id, ended, async () => {
      const ro = await rollout(name);
      // Promoted once the release has said it waits there.
      if (
        ro.status?.currentStepIndex === 3 &&
        ro.status.pauseConditions &&
        /waits at canary step 4 of 4/.test(await messages(release.id))
      ) {
        await rollouts.promote(ns, name);
      }
    });
    expect(healthy.status).toBe('healthy');
    const events = await messages(release.id);
    expect(events).toMatch(
      /waits at canary step 4 of 4 \(pause at weight 50\)/,
    );
    expect(events).toMatch(
      new RegExp(
        `rollout ${name} in ${ns} is Healthy: revision \\w+ is stable, 4/4 pods ready`,
      ),
    );

    // Someone aborts the next canary at its first pause (kubectl argo rollouts abort).
    const next = await harness.releases.createRelease(newRelease(name));
    let abortedByHand = false;
    const done = await drive(
      next.id,
      r => abortedByHand && r.status !== 'progressing',
      async () => {
        const ro = await rollout(name);
        if (!abortedByHand && ro.status?.pauseConditions?.length) {
          await rollouts.abort(ns, name);
          abortedByHand = true;
        }
      },
    );
    expect(done.status).toBe('degraded');
    expect(await messages(next.id)).toMatch(
      new RegExp(
        // ArgoCD reports the aborted Rollout Degraded, or the Rollout is read first.
        `(${name} is Degraded after the rollout|rollout ${name} in ${ns} is aborted): RolloutAborted: Rollout aborted update to revision \\d+`,
      ),
    );
  });
});
