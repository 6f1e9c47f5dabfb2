import knexFactory, { Knex } from 'knex';
import { join } from 'node:path';
import { ChildBackend } from '../__testUtils__/childBackend';
import {
  entityFor,
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { HealthGateStore } from '../database/HealthGateStore';
import { migrateTestDatabase } from '../database/migrations';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ERROR_RATIO_GATE, gateConfigData } from './__testUtils__/gateHarness';
import { StepGateStore } from './StepGateStore';

/*
 * A real backend process is SIGKILLed while the health gates judge a canary pause. Started
 * again, it resumes that pause's window (same start, samples kept), promotes each pause once,
 * and the release ends healthy with the canary stable.
 */

jest.setTimeout(600_000);

type Row = { id: string; status: string; image_ref: string | null };

const NAME = 'shelf';
let upstream: SandboxProjects;
let backend: ChildBackend;
let knex: Knex;
let releases: DatabaseReleaseStore;
let gates: HealthGateStore;
let steps: StepGateStore;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject(NAME);
  await upstream.clients.get('argocd').setHelmParameters(NAME, [
    { name: 'replicaCount', value: '4' },
    { name: 'rollout.strategy', value: 'canary' },
    { name: 'rollout.steps', value: '20,pause,50,pause' },
  ]);
  backend = await ChildBackend.create({
    entities: [entityFor(NAME)],
    config: () => {
      const config = gateConfigData(upstream.sandbox.url);
      return {
        ...config,
        autonomous: {
          ...config.autonomous,
          orchestrator: {
            pollInterval: { milliseconds: 300 },
            lease: { seconds: 2 },
            retryWindow: { minutes: 2 },
          },
        },
      };
    },
  });
  knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(backend.dir, 'autonomous.sqlite') },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  releases = new DatabaseReleaseStore(knex);
  gates = new HealthGateStore(knex);
  steps = new StepGateStore(knex);
});

afterAll(async () => {
  await backend?.kill();
  await knex?.destroy();
  await upstream?.stop();
});

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitFor(
  id: string,
  done: (row: Row) => boolean | Promise<boolean>,
  what: string,
): Promise<Row> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const row: Row = await knex('releases').where({ id }).first();
    if (await done(row)) return row;
    if (['failed', 'cancelled', 'rolled-back'].includes(row.status)) {
      const events = await knex('release_events').where({ release_id: id });
      throw new Error(
        `release ${row.status} while waiting for ${what}: ${events
          .map(e => e.message)
          .join(' | ')}\n${backend.log()}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what} (${row.status})`);
    }
    await pause(25);
  }
}

function create(version: string) {
  return releases.createRelease({
    entityRef: `component:default/${NAME}`,
    environment: 'production',
    version,
    ref: 'main',
    trigger: 'api',
    requestedBy: 'user:default/owner',
    buildJob: `shop/${NAME}`,
    argocdApplication: NAME,
  });
}

it('resumes the window of a canary pause after a SIGKILL and promotes each pause once', async () => {
  await gates.setEnvironment(
    `component:default/${NAME}`,
    'production',
    {
      gates: [{ ...ERROR_RATIO_GATE, durationMs: 6_000, intervalMs: 500 }],
      autoRollback: true,
    },
    'user:default/owner',
  );
  await upstream.control('/prometheus/scenario', {
    namespace: `${NAME}-production`,
    mode: 'healthy',
  });
  await backend.start();
  const first = await create(`first-${Date.now()}`);
  await waitFor(first.id, r => r.status === 'healthy', 'the first release');

  const release = await create(`second-${Date.now()}`);
  const pausedAt = steps.forStep('canary-1');
  await waitFor(
    release.id,
    async () => (await pausedAt.checksOf(release.id))[0]?.samples.length >= 3,
    'three samples at the first pause',
  );
  await backend.kill();
  const [atKill] = await pausedAt.checksOf(release.id);
  expect(atKill.verdict).toBe('pending');
  const ro = await upstream.clients
    .get('kubernetes')
    .rollouts.getRollout(`${NAME}-production`, NAME);
  // Killed while the canary waits at its first pause: nothing promoted it meanwhile.
  expect(ro?.status?.currentStepIndex).toBe(1);
  expect(ro?.status?.pauseConditions?.length).toBe(1);

  await backend.start();
  const restarted = Date.now();
  await waitFor(release.id, r => r.status === 'healthy', 'healthy');
  const [after] = await pausedAt.checksOf(release.id);
  expect(after.startedAt).toBe(atKill.startedAt);
  expect(after.samples.slice(0, atKill.samples.length)).toEqual(atKill.samples);
  expect(after.verdict).toBe('passed');
  // The pause's window ended when the one begun before the kill did, not a window later.
  expect(Date.parse(after.decidedAt!) - restarted).toBeLessThan(6_000);

  const messages = (
    await knex('release_events')
      .where({ release_id: release.id })
      .orderBy('seq')
  ).map(e => String(e.message));
  expect(
    messages.filter(m => /waits at canary step 2 of 4/.test(m)),
  ).toHaveLength(1);
  expect(messages.filter(m => /promoted rollout/.test(m))).toHaveLength(2);
  const final = await upstream.clients
    .get('kubernetes')
    .rollouts.getRollout(`${NAME}-production`, NAME);
  expect(final?.status).toMatchObject({
    phase: 'Healthy',
    stableRS: final?.status?.currentPodHash,
  });
});
