import {
  entityFor,
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { ERROR_RATIO_GATE } from './__testUtils__/gateHarness';
import { startGateCrashBackend } from './__testUtils__/crashHarness';
import { StepGateStore } from './StepGateStore';

/*
 * A real backend process is SIGKILLed while the health gates judge a canary pause. Started
 * again, it resumes that pause's window (same start, samples kept), promotes each pause once,
 * and the release ends healthy with the canary stable.
 */

jest.setTimeout(600_000);

const NAME = 'shelf';
let upstream: SandboxProjects;
let crash: Awaited<ReturnType<typeof startGateCrashBackend>>;
let steps: StepGateStore;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject(NAME);
  await upstream.clients.get('argocd').setHelmParameters(NAME, [
    { name: 'replicaCount', value: '4' },
    { name: 'rollout.strategy', value: 'canary' },
    { name: 'rollout.steps', value: '20,pause,50,pause' },
  ]);
  crash = await startGateCrashBackend(upstream, [entityFor(NAME)]);
  steps = new StepGateStore(crash.knex);
});

afterAll(async () => {
  await crash?.stop();
  await upstream?.stop();
});

const waitFor: typeof crash.waitFor = (id, done, what) =>
  crash.waitFor(id, done, what, {
    timeoutMs: 150_000,
    endedIf: ['failed', 'cancelled', 'rolled-back'],
  });
const create = (version: string) => crash.create(NAME, version);

it('resumes the window of a canary pause after a SIGKILL and promotes each pause once', async () => {
  await crash.gates.setEnvironment(
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
  await crash.backend.start();
  const first = await create(`first-${Date.now()}`);
  await waitFor(first.id, r => r.status === 'healthy', 'the first release');

  const release = await create(`second-${Date.now()}`);
  const pausedAt = steps.forStep('canary-1');
  await waitFor(
    release.id,
    async () => (await pausedAt.checksOf(release.id))[0]?.samples.length >= 3,
    'three samples at the first pause',
  );
  await crash.backend.kill();
  const [atKill] = await pausedAt.checksOf(release.id);
  expect(atKill.verdict).toBe('pending');
  const ro = await upstream.clients
    .get('kubernetes')
    .rollouts.getRollout(`${NAME}-production`, NAME);
  // Killed while the canary waits at its first pause: nothing promoted it meanwhile.
  expect(ro?.status?.currentStepIndex).toBe(1);
  expect(ro?.status?.pauseConditions?.length).toBe(1);

  await crash.backend.start();
  const restarted = Date.now();
  await waitFor(release.id, r => r.status === 'healthy', 'healthy');
  const [after] = await pausedAt.checksOf(release.id);
  expect(after.startedAt).toBe(atKill.startedAt);
  expect(after.samples.slice(0, atKill.samples.length)).toEqual(atKill.samples);
  expect(after.verdict).toBe('passed');
  // The pause's window ended when the one begun before the kill did, not a window later.
  expect(Date.parse(after.decidedAt!) - restarted).toBeLessThan(6_000);

  const messages = await crash.messagesOf(release.id);
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
