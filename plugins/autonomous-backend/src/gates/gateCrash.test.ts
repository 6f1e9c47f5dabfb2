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

/*
 * A real backend process is SIGKILLed while a release's health gates are being evaluated, and
 * while the automatic rollback a failed gate started is under way. Started again, it resumes
 * the window where it was (same start, the samples taken before the kill kept) and the
 * environment is rolled back exactly once.
 */

jest.setTimeout(600_000);

type Row = { id: string; status: string; image_ref: string | null };

let upstream: SandboxProjects;
let backend: ChildBackend;
let knex: Knex;
let releases: DatabaseReleaseStore;
let gates: HealthGateStore;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('inventory');
  await upstream.addProject('orders');
  await upstream.control('/timings', {
    queueDelayMs: 300,
    buildDurationMs: 1_000,
    syncDurationMs: 500,
    podStartMs: 300,
    podReadyMs: 500,
  });
  backend = await ChildBackend.create({
    entities: [entityFor('inventory'), entityFor('orders')],
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
});

afterAll(async () => {
  await backend?.kill();
  await knex?.destroy();
  await upstream?.stop();
});

afterEach(async () => {
  await backend.kill();
  await upstream.control('/prometheus/scenario', undefined, 'DELETE');
});

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitFor(
  id: string,
  done: (row: Row) => boolean | Promise<boolean>,
  what: string,
): Promise<Row> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const row: Row = await knex('releases').where({ id }).first();
    if (await done(row)) return row;
    if (['failed', 'cancelled'].includes(row.status)) {
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

function create(name: string, version: string) {
  return releases.createRelease({
    entityRef: `component:default/${name}`,
    environment: 'production',
    version,
    ref: 'main',
    trigger: 'api',
    requestedBy: 'user:default/owner',
    buildJob: `shop/${name}`,
    argocdApplication: name,
  });
}

const messagesOf = async (id: string) =>
  (await knex('release_events').where({ release_id: id }).orderBy('seq')).map(
    e => String(e.message),
  );

it('resumes the gate window after a SIGKILL mid-window instead of starting it again', async () => {
  await gates.setEnvironment(
    'component:default/inventory',
    'production',
    {
      gates: [{ ...ERROR_RATIO_GATE, durationMs: 8_000, intervalMs: 500 }],
      autoRollback: true,
    },
    'user:default/owner',
  );
  await upstream.control('/prometheus/scenario', {
    namespace: 'inventory-production',
    mode: 'healthy',
  });
  const release = await create('inventory', `resume-${Date.now()}`);
  await backend.start();
  await waitFor(
    release.id,
    async () => (await gates.checksOf(release.id))[0]?.samples.length >= 4,
    'four samples of the gate',
  );
  await backend.kill();
  const [atKill] = await gates.checksOf(release.id);
  expect(atKill.verdict).toBe('pending');

  await backend.start();
  const restarted = Date.now();
  await waitFor(release.id, r => r.status === 'healthy', 'healthy');
  const [after] = await gates.checksOf(release.id);
  // The same window: its start is kept, and what it saw before the kill still counts.
  expect(after.startedAt).toBe(atKill.startedAt);
  expect(after.samples.slice(0, atKill.samples.length)).toEqual(atKill.samples);
  expect(after.verdict).toBe('passed');
  // It ended when the window that began before the kill did, not a whole window later.
  expect(Date.parse(after.decidedAt!) - restarted).toBeLessThan(8_000);
  const messages = await messagesOf(release.id);
  expect(messages.filter(m => m.includes('Health gates started'))).toHaveLength(
    1,
  );
  expect(messages.join('\n')).toMatch(
    /Every health gate passed: error-ratio: held < 0.01 for 8 s/,
  );
});

it('rolls back exactly once when killed during the automatic rollback a failed gate started', async () => {
  await gates.setEnvironment(
    'component:default/orders',
    'production',
    {
      gates: [{ ...ERROR_RATIO_GATE, durationMs: 3_000, intervalMs: 400 }],
      autoRollback: true,
    },
    'user:default/owner',
  );
  await upstream.control('/prometheus/scenario', {
    namespace: 'orders-production',
    mode: 'healthy',
  });
  await backend.start();
  const good = await create('orders', `good-${Date.now()}`);
  const goodRow = await waitFor(
    good.id,
    r => r.status === 'healthy',
    'the good release',
  );

  await upstream.control('/prometheus/scenario', {
    namespace: 'orders-production',
    mode: 'failing',
    failAfterMs: 1_000,
    failingRatio: 0.3,
  });
  const bad = await create('orders', `bad-${Date.now()}`);
  await waitFor(bad.id, r => r.status === 'rolling-back', 'rolling back');
  await backend.kill();

  const rollbacksOf = () =>
    knex('releases').where({
      entity_ref: 'component:default/orders',
      trigger: 'rollback',
    });
  expect(await rollbacksOf()).toHaveLength(1);

  // The rollback's image is the good one again.
  await upstream.control('/prometheus/scenario', {
    namespace: 'orders-production',
    mode: 'healthy',
  });
  await backend.start();
  await waitFor(bad.id, r => r.status === 'rolled-back', 'rolled back');
  const rollbacks = await rollbacksOf();
  expect(rollbacks).toHaveLength(1);
  expect(rollbacks[0].image_ref).toBe(goodRow.image_ref);
  expect(rollbacks[0].status).toBe('healthy');
  const messages = (await messagesOf(bad.id)).join('\n');
  expect(messages).toMatch(
    /Health gate error-ratio failed: .* was 0.3 at .*, which is not < 0.01/,
  );
  expect(messages.match(/Rolling back to #/g)).toHaveLength(1);
});
