import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { newRelease } from '../__testUtils__/orchestratorHarness';
import {
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import {
  CANARY_GATE,
  ended,
  gateHarness,
} from '../gates/__testUtils__/gateHarness';

/*
 * The rollout card and the release drawer hear of a canary's progress through the release's
 * signal: once when the Rollout reaches a step, changes weight, pauses, or a gate takes a
 * sample, and not on each of the orchestrator's polls of an unchanged Rollout.
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

describe.each(databases.ids)('rollout signals on %s', id => {
  let knex: Knex;
  let harness: ReturnType<typeof gateHarness>;
  let announced: Release[];
  const suffix = id.toLowerCase().replace(/[^a-z0-9]/g, '');

  beforeAll(async () => {
    knex = await databases.migrated(id);
  });
  beforeEach(() => {
    announced = [];
  });
  afterEach(() => harness?.orchestrator.stop());

  const rollout = async (name: string) =>
    (await upstream.clients
      .get('kubernetes')
      .rollouts.getRollout(`${name}-production`, name))!;
  /** Turns the orchestrator until `until` holds (it may read the Rollout). */
  async function driveUntil(
    releaseId: string,
    until: (r: Release) => boolean | Promise<boolean>,
  ): Promise<Release> {
    const deadline = Date.now() + 150_000;
    for (;;) {
      await harness.orchestrator.tick();
      const release = (await harness.releases.getRelease(releaseId))!;
      if (await until(release)) return release;
      if (Date.now() > deadline) throw new Error(`stuck in ${release.status}`);
      await new Promise(r => setTimeout(r, 50));
    }
  }
  /** Turns the orchestrator for a while: it polls the release each 100 ms. */
  async function idle(releaseId: string, ms: number) {
    const until = Date.now() + ms;
    await driveUntil(releaseId, () => Date.now() > until);
  }

  const told = (releaseId: string) =>
    announced.filter(r => r.id === releaseId).length;

  async function project(base: string, withGates: boolean) {
    const name = `${base}${suffix}`;
    harness = gateHarness(knex, upstream, {}, undefined, release => {
      announced.push(release);
    });
    await upstream.addProject(name);
    await upstream.clients.get('argocd').setHelmParameters(
      name,
      Object.entries({
        replicaCount: '4',
        'rollout.strategy': 'canary',
        'rollout.steps': '20,pause,50,pause',
      }).map(([k, value]) => ({ name: k, value })),
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
    expect((await driveUntil(good.id, ended)).status).toBe('healthy');
    return name;
  }

  it('tells the page once per canary step and pause, not on every poll of a Rollout that waits', async () => {
    const name = await project('signalled', false);
    const ns = `${name}-production`;
    const rollouts = upstream.clients.get('kubernetes').rollouts;
    const release = await harness.releases.createRelease(newRelease(name));

    const waitsAt = (step: number) => async () =>
      new RegExp(`waits at canary step ${step} of 4`).test(
        await harness.messages(release.id),
      );
    await driveUntil(release.id, waitsAt(2));
    // The move to progressing, then the Rollout's own progress up to its first pause.
    const progressing = announced.filter(
      r => r.id === release.id && r.status === 'progressing',
    );
    expect(progressing.length).toBeGreaterThanOrEqual(2);

    const atFirstPause = told(release.id);
    await idle(release.id, 2_000);
    // About 20 polls of the paused Rollout: nothing changed, nothing told.
    expect(told(release.id)).toBe(atFirstPause);
    expect((await rollout(name)).status?.currentStepIndex).toBe(1);

    await rollouts.promote(ns, name);
    await driveUntil(release.id, waitsAt(4));
    const atSecondPause = told(release.id);
    // Step 3 (weight 50) and its pause: each change once, however many polls it took.
    expect(atSecondPause - atFirstPause).toBeGreaterThanOrEqual(1);
    expect(atSecondPause - atFirstPause).toBeLessThanOrEqual(3);
    await idle(release.id, 2_000);
    expect(told(release.id)).toBe(atSecondPause);

    await rollouts.promote(ns, name);
    expect((await driveUntil(release.id, ended)).status).toBe('healthy');
    expect(announced[announced.length - 1]).toMatchObject({
      id: release.id,
      status: 'healthy',
    });
  });

  it('tells the page of each sample a gate takes at a pause, as the window fills', async () => {
    const name = await project('sampled', true);
    const release = await harness.releases.createRelease(newRelease(name));
    await driveUntil(release.id, ended);
    let samples = 0;
    for (const step of ['canary-1', 'canary-3']) {
      const [check] = await harness.steps.forStep(step).checksOf(release.id);
      expect(check.samples.length).toBeGreaterThanOrEqual(2);
      samples += check.samples.length;
    }
    const progressing = announced.filter(
      r => r.id === release.id && r.status === 'progressing',
    ).length;
    // Each sample at the 20 % and 50 % pauses was told, besides the Rollout's steps.
    expect(progressing).toBeGreaterThanOrEqual(samples);
  });
});
