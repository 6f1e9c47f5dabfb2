import {
  entityFor,
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { ERROR_RATIO_GATE } from './__testUtils__/gateHarness';
import { startGateCrashBackend } from './__testUtils__/crashHarness';

/*
 * A real backend process is SIGKILLed while a release's health gates are being evaluated, and
 * while the automatic rollback a failed gate started is under way. Started again, it resumes
 * the window where it was (same start, the samples taken before the kill kept) and the
 * environment is rolled back exactly once.
 */

jest.setTimeout(600_000);

let upstream: SandboxProjects;
let crash: Awaited<ReturnType<typeof startGateCrashBackend>>;

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
  crash = await startGateCrashBackend(upstream, [
    entityFor('inventory'),
    entityFor('orders'),
  ]);
});

afterAll(async () => {
  await crash?.stop();
  await upstream?.stop();
});

afterEach(async () => {
  await crash.backend.kill();
  await upstream.control('/prometheus/scenario', undefined, 'DELETE');
});

it('resumes the gate window after a SIGKILL mid-window instead of starting it again', async () => {
  await crash.gates.setEnvironment(
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
  const release = await crash.create('inventory', `resume-${Date.now()}`);
  await crash.backend.start();
  await crash.waitFor(
    release.id,
    async () =>
      (await crash.gates.checksOf(release.id))[0]?.samples.length >= 4,
    'four samples of the gate',
  );
  await crash.backend.kill();
  const [atKill] = await crash.gates.checksOf(release.id);
  expect(atKill.verdict).toBe('pending');

  await crash.backend.start();
  const restarted = Date.now();
  await crash.waitFor(release.id, r => r.status === 'healthy', 'healthy');
  const [after] = await crash.gates.checksOf(release.id);
  // The same window: its start is kept, and what it saw before the kill still counts.
  expect(after.startedAt).toBe(atKill.startedAt);
  expect(after.samples.slice(0, atKill.samples.length)).toEqual(atKill.samples);
  expect(after.verdict).toBe('passed');
  // It ended when the window that began before the kill did, not a whole window later.
  expect(Date.parse(after.decidedAt!) - restarted).toBeLessThan(8_000);
  const messages = await crash.messagesOf(release.id);
  expect(messages.filter(m => m.includes('Health gates started'))).toHaveLength(
    1,
  );
  expect(messages.join('\n')).toMatch(
    /Every health gate passed: error-ratio: held < 0.01 for 8 s/,
  );
});

it('rolls back exactly once when killed during the automatic rollback a failed gate started', async () => {
  await crash.gates.setEnvironment(
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
  await crash.backend.start();
  const good = await crash.create('orders', `good-${Date.now()}`);
  const goodRow = await crash.waitFor(
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
  const bad = await crash.create('orders', `bad-${Date.now()}`);
  await crash.waitFor(bad.id, r => r.status === 'rolling-back', 'rolling back');
  await crash.backend.kill();

  const rollbacksOf = () =>
    crash.knex('releases').where({
      entity_ref: 'component:default/orders',
      trigger: 'rollback',
    });
  expect(await rollbacksOf()).toHaveLength(1);

  // The rollback's image is the good one again.
  await upstream.control('/prometheus/scenario', {
    namespace: 'orders-production',
    mode: 'healthy',
  });
  await crash.backend.start();
  await crash.waitFor(bad.id, r => r.status === 'rolled-back', 'rolled back');
  const rollbacks = await rollbacksOf();
  expect(rollbacks).toHaveLength(1);
  expect(rollbacks[0].image_ref).toBe(goodRow.image_ref);
  expect(rollbacks[0].status).toBe('healthy');
  const messages = (await crash.messagesOf(bad.id)).join('\n');
  expect(messages).toMatch(
    /Health gate error-ratio failed: .* was 0.3 at .*, which is not < 0.01/,
  );
  expect(messages.match(/Rolling back to #/g)).toHaveLength(1);
});
