import { mockCredentials } from '@backstage/backend-test-utils';
import { Server } from 'node:http';
import request from 'supertest';
import {
  entityFor,
  SandboxProjects,
  sandboxConfigData,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const OWNER = 'user:default/owner';
const VIEWER = 'user:default/viewer';
const as = (who: string) => ({
  Authorization: mockCredentials.user.header(who),
});
const path = (name: string, rest = '') =>
  `/api/autonomous/projects/component/default/${name}/environments/production/rollout${rest}`;
const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** Polls until `fn` gives a value, or fails after `timeoutMs`. */
async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 50));
  }
}

let upstream: SandboxProjects;
const CANARY = {
  'rollout.strategy': 'canary',
  'rollout.steps': '20,pause,50,pause',
};

/** Deploys one digest of `name` with the chart's rollout values and waits for ArgoCD's sync. */
async function deploy(name: string, values: Record<string, string>, d: string) {
  const argocd = upstream.clients.get('argocd');
  const parameters = Object.entries({ replicaCount: '4', ...values }).map(
    ([k, value]) => ({ name: k, value }),
  );
  await argocd.setHelmParameters(name, [
    ...parameters,
    { name: 'image.digest', value: d },
  ]);
  await argocd.sync(name, { prune: true });
  await eventually(async () => {
    const app = await argocd.getApplication(name);
    return app.status?.operationState?.phase === 'Succeeded' &&
      app.status.health?.status !== 'Progressing'
      ? app
      : undefined;
  });
}

beforeAll(async () => {
  upstream = await startSandboxProjects();
});
afterAll(() => upstream.stop());

describe.each(databases.ids)('environment rollout routes on %s', databaseId => {
  let server: Server;
  const id = databaseId.toLowerCase().replace(/[^a-z0-9]/g, '');
  const storefront = `storefront${id}`;
  const checkout = `checkout${id}`;
  const catalogue = `catalogue${id}`;
  const ns = (name: string) => `${name}-production`;

  beforeAll(async () => {
    for (const name of [storefront, checkout, catalogue]) {
      await upstream.addProject(name);
    }
    await deploy(storefront, CANARY, digest('a'));
    await deploy(storefront, CANARY, digest('b'));
    const blueGreen = {
      'rollout.strategy': 'blueGreen',
      'rollout.autoPromotionEnabled': 'false',
    };
    await deploy(checkout, blueGreen, digest('a'));
    await deploy(checkout, blueGreen, digest('b'));
    const knex = await databases.migrated(databaseId);
    server = await startAutonomousTestBackend({
      knex,
      config: {
        autonomous: {
          ...sandboxConfigData(upstream.sandbox.url).autonomous,
          // The page's reads are cached for 10 s; the test polls faster than a person.
          upstreams: { timeoutMs: 2_000, retries: 0, cacheTtlSeconds: 0 },
          orchestrator: { enabled: false },
        },
      },
      entities: [storefront, checkout, catalogue].map(n => entityFor(n)),
      policy: {
        allows: (who, permission) =>
          who === OWNER ||
          (who === VIEWER && permission === 'autonomous.project.read'),
      },
    });
  });

  const read = async (name: string) => {
    const res = await request(server).get(path(name)).set(as(OWNER));
    expect(res.status).toBe(200);
    return res.body;
  };

  it('steps a canary 20 → 50 → 100 with a promote at each pause, and a promote with nothing left is a 409', async () => {
    const paused = await eventually(async () => {
      const r = await read(storefront);
      return r.phase === 'Paused' && r.currentStepIndex === 1 ? r : undefined;
    });
    expect(paused).toMatchObject({
      strategy: 'canary',
      rollout: { namespace: ns(storefront), name: storefront },
      paused: true,
      inProgress: true,
      message: 'CanaryPauseStep',
      weights: { canary: 20, stable: 80 },
      promote: { possible: true },
      abort: { possible: true },
    });
    expect(paused.steps.map((s: any) => [s.label, s.state])).toEqual([
      ['setWeight: 20', 'done'],
      ['pause', 'current'],
      ['setWeight: 50', 'pending'],
      ['pause', 'pending'],
    ]);

    // Reading is not promoting: the viewer may look but not act.
    expect(
      (await request(server).post(path(storefront, '/promote')).set(as(VIEWER)))
        .status,
    ).toBe(403);

    const first = await request(server)
      .post(path(storefront, '/promote'))
      .set(as(OWNER));
    expect(first.status).toBe(200);
    expect(first.body.message).toBe(
      `rollout ${storefront} in ${ns(storefront)} promoted past step 2 of 4`,
    );
    const at50 = await eventually(async () => {
      const r = await read(storefront);
      return r.phase === 'Paused' && r.currentStepIndex === 3 ? r : undefined;
    });
    expect(at50.weights).toEqual({ canary: 50, stable: 50 });

    expect(
      (await request(server).post(path(storefront, '/promote')).set(as(OWNER)))
        .status,
    ).toBe(200);
    const done = await eventually(async () => {
      const r = await read(storefront);
      return r.phase === 'Healthy' ? r : undefined;
    });
    expect(done).toMatchObject({
      inProgress: false,
      paused: false,
      currentStepIndex: 4,
      weights: { canary: 0, stable: 100 },
      promote: { possible: false },
    });
    expect(done.stableRevision).toBe(paused.currentRevision);

    const nothing = await request(server)
      .post(path(storefront, '/promote'))
      .set(as(OWNER));
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.message).toBe(
      `rollout ${storefront} in ${ns(storefront)} is fully promoted (revision ${
        done.stableRevision
      }): nothing to promote or abort until a release starts a new one`,
    );
  });

  it('aborts a canary at 50: back to the stable revision, Degraded, and a second abort is a 409', async () => {
    await deploy(storefront, CANARY, digest('c'));
    const before = await eventually(async () => {
      const r = await read(storefront);
      return r.phase === 'Paused' && r.currentStepIndex === 1 ? r : undefined;
    });
    await request(server).post(path(storefront, '/promote')).set(as(OWNER));
    await eventually(async () => {
      const r = await read(storefront);
      return r.currentStepIndex === 3 && r.phase === 'Paused' ? r : undefined;
    });

    expect(
      (await request(server).post(path(storefront, '/abort')).set(as(VIEWER)))
        .status,
    ).toBe(403);
    const aborted = await request(server)
      .post(path(storefront, '/abort'))
      .set(as(OWNER));
    expect(aborted.status).toBe(200);
    expect(aborted.body.message).toContain(
      `aborted: traffic goes back to the stable revision ${before.stableRevision}`,
    );
    const after = await eventually(async () => {
      const r = await read(storefront);
      return r.phase === 'Degraded' ? r : undefined;
    });
    expect(after).toMatchObject({
      aborted: true,
      currentStepIndex: 0,
      weights: { canary: 0, stable: 100 },
      stableRevision: before.stableRevision,
      message: expect.stringMatching(
        /^RolloutAborted: Rollout aborted update to revision \d+$/,
      ),
    });

    const again = await request(server)
      .post(path(storefront, '/abort'))
      .set(as(OWNER));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      `rollout ${storefront} in ${ns(storefront)} is already aborted`,
    );
  });

  it('shows the step after a promote at once, although the page reads through the 10 s cache', async () => {
    const knex = await databases.migrated(databaseId);
    const cached = await startAutonomousTestBackend({
      knex,
      config: {
        autonomous: {
          ...sandboxConfigData(upstream.sandbox.url).autonomous,
          orchestrator: { enabled: false },
        },
      },
      entities: [entityFor(storefront)],
      policy: { allows: () => true },
    });
    await deploy(storefront, CANARY, digest('d'));
    const get = async () =>
      (await request(cached).get(path(storefront)).set(as(OWNER))).body;
    await eventually(async () => {
      const r = await get();
      return r.phase === 'Paused' && r.currentStepIndex === 1 ? r : undefined;
    });
    expect(
      (await request(cached).post(path(storefront, '/promote')).set(as(OWNER)))
        .status,
    ).toBe(200);
    expect((await get()).currentStepIndex).toBeGreaterThan(1);
  });

  it('holds a blue/green release in preview until promoted, then makes it active', async () => {
    const paused = await eventually(async () => {
      const r = await read(checkout);
      return r.phase === 'Paused' ? r : undefined;
    });
    expect(paused).toMatchObject({
      strategy: 'blueGreen',
      message: 'BlueGreenPause',
      blueGreen: {
        activeService: checkout,
        previewService: `${checkout}-preview`,
        autoPromotionEnabled: false,
      },
    });
    expect(paused.blueGreen.activeRevision).toBe(paused.stableRevision);
    expect(paused.blueGreen.previewRevision).toBe(paused.currentRevision);

    expect(
      (await request(server).post(path(checkout, '/promote')).set(as(OWNER)))
        .status,
    ).toBe(200);
    const promoted = await eventually(async () => {
      const r = await read(checkout);
      return r.phase === 'Healthy' ? r : undefined;
    });
    expect(promoted.blueGreen.activeRevision).toBe(paused.currentRevision);
    expect(promoted.stableRevision).toBe(paused.currentRevision);
  });

  it('answers a rolling update as such, and refuses promote and abort with why', async () => {
    expect(await read(catalogue)).toMatchObject({
      strategy: 'rolling',
      steps: [],
      promote: { possible: false },
    });
    for (const action of ['/promote', '/abort']) {
      const res = await request(server)
        .post(path(catalogue, action))
        .set(as(OWNER));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(
        'deploys with a rolling update (its chart renders no Argo Rollouts Rollout)',
      );
    }
    const wrong = await request(server)
      .post(path(catalogue, '/promote'))
      .set(as(OWNER))
      .send({ full: 'yes' });
    expect(wrong.status).toBe(400);
  });
});
