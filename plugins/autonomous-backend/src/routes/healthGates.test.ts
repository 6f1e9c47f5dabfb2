import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { authHeader, OWNER } from '../__testUtils__/matrixCallers';
import {
  entityFor,
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { newRelease } from '../__testUtils__/orchestratorHarness';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { gateConfigData } from '../gates/__testUtils__/gateHarness';
import { StepGateStore } from '../gates/StepGateStore';

jest.setTimeout(120_000);

const PATH =
  '/api/autonomous/projects/component/default/storefront/environments/production/health-gates';
const ERROR_RATIO = {
  name: 'error-ratio',
  query:
    'sum(rate(http_requests_total{namespace="{{namespace}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}"}[1m]))',
  comparison: '<',
  threshold: 0.01,
  durationSeconds: 300,
  intervalSeconds: 30,
};

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
});
afterAll(() => upstream?.stop());
afterEach(() => upstream.control('/faults', undefined, 'DELETE'));

describe.each(databases.ids)('health gate settings on %s', id => {
  let knex: Knex;
  let server: Server;

  beforeAll(async () => {
    knex = await databases.migrated(id);
    const config = gateConfigData(upstream.sandbox.url);
    server = await startAutonomousTestBackend({
      knex,
      config: {
        autonomous: { ...config.autonomous, orchestrator: { enabled: false } },
      },
      entities: [entityFor('storefront')],
      policy: { allows: who => who === OWNER },
    });
  });

  const put = (body: object) =>
    request(server).put(PATH).set(authHeader(OWNER)).send(body);

  it('saves gates whose queries run on Prometheus, and reads them back in their order', async () => {
    const latency = {
      ...ERROR_RATIO,
      name: 'latency',
      query:
        'max(http_request_duration_seconds{namespace="{{namespace}}",app="{{application}}"})',
      comparison: '<=',
      threshold: 0.3,
    };
    const saved = await put({
      autoRollback: true,
      gates: [ERROR_RATIO, latency],
    }).expect(200);
    expect(saved.body).toMatchObject({
      entityRef: 'component:default/storefront',
      environment: 'production',
      autoRollback: true,
      gates: [ERROR_RATIO, latency],
      updatedBy: OWNER,
    });
    const read = await request(server)
      .get(PATH)
      .set(authHeader(OWNER))
      .expect(200);
    expect(read.body).toEqual(saved.body);
  });

  it('refuses a query Prometheus cannot parse, with its reason, and keeps what was saved', async () => {
    await put({ autoRollback: false, gates: [ERROR_RATIO] }).expect(200);
    const res = await put({
      autoRollback: true,
      gates: [{ ...ERROR_RATIO, query: 'sum(rate(http_requests_total[1m])' }],
    }).expect(400);
    expect(res.body.error.message).toMatch(
      /gates.error-ratio.query does not run on Prometheus sandbox: .*unclosed left parenthesis.*Fix the PromQL/,
    );
    const read = await request(server).get(PATH).set(authHeader(OWNER));
    expect(read.body).toMatchObject({
      autoRollback: false,
      gates: [ERROR_RATIO],
    });
  });

  it('refuses placeholders it cannot fill, an interval longer than the window, a name used twice and unknown comparisons', async () => {
    const unknown = await put({
      autoRollback: false,
      gates: [{ ...ERROR_RATIO, query: 'up{pod="{{pod}}"}' }],
    }).expect(400);
    expect(unknown.body.error.message).toMatch(
      /names \{\{pod\}\}; a query may only use \{\{namespace\}\}, \{\{application\}\}, \{\{version\}\}/,
    );
    const interval = await put({
      autoRollback: false,
      gates: [{ ...ERROR_RATIO, intervalSeconds: 600, durationSeconds: 60 }],
    }).expect(400);
    expect(interval.body.error.message).toMatch(
      /intervalSeconds must not be longer than durationSeconds/,
    );
    const twice = await put({
      autoRollback: false,
      gates: [ERROR_RATIO, ERROR_RATIO],
    }).expect(400);
    expect(twice.body.error.message).toMatch(
      /two gates are named "error-ratio"/,
    );
    await put({
      autoRollback: false,
      gates: [{ ...ERROR_RATIO, comparison: '~' }],
    }).expect(400);
  });

  it('answers 503 and saves nothing when Prometheus does not answer', async () => {
    await put({ autoRollback: false, gates: [] }).expect(200);
    await upstream.control('/faults', { system: 'prometheus', down: true });
    const res = await put({ autoRollback: true, gates: [ERROR_RATIO] }).expect(
      503,
    );
    expect(res.body.error.message).toMatch(
      /Prometheus sandbox did not answer, so gate error-ratio could not be checked and nothing was saved/,
    );
    await upstream.control('/faults', undefined, 'DELETE');
    const read = await request(server).get(PATH).set(authHeader(OWNER));
    expect(read.body).toMatchObject({ autoRollback: false, gates: [] });
  });

  it('refuses an environment the project does not have', async () => {
    const res = await request(server)
      .get(PATH.replace('production', 'moon'))
      .set(authHeader(OWNER))
      .expect(400);
    expect(res.body.error.message).toMatch(/environment "moon" is not one of/);
  });

  it('answers the window judged at each canary pause, with its position, samples and verdicts', async () => {
    const release = await new DatabaseReleaseStore(knex).createRelease(
      newRelease('storefront'),
    );
    let now = new Date('2026-12-01T10:00:00.000Z');
    const steps = new StepGateStore(knex, () => now);
    const gate = {
      name: 'canary-errors',
      query: 'sum(rate(errors{rollouts_pod_template_hash="abc"}[1m]))',
      comparison: '<' as const,
      threshold: 0.01,
      durationMs: 60_000,
      intervalMs: 30_000,
    };
    await steps.reach(
      release.id,
      'canary-1',
      'canary step 2 of 5 (pause at weight 20)',
      { kind: 'canary', index: 1, count: 5, weight: 20 },
    );
    const second = steps.forStep('canary-1');
    await second.startChecks(release.id, [gate], true);
    await second.addSample(release.id, gate.name, {
      at: '2026-12-01T10:00:30.000Z',
      value: 0.001,
      passed: true,
    });
    await second.addSample(release.id, gate.name, {
      at: '2026-12-01T10:01:00.000Z',
      value: 0.004,
      passed: true,
    });
    now = new Date('2026-12-01T10:01:00.000Z');
    await second.decide(release.id, gate.name, 'passed', 'held < 0.01');
    await steps.act(release.id, 'canary-1', 'promoted');

    now = new Date('2026-12-01T10:02:00.000Z');
    await steps.reach(
      release.id,
      'canary-3',
      'canary step 4 of 5 (pause at weight 60)',
      { kind: 'canary', index: 3, count: 5, weight: 60 },
    );
    const fourth = steps.forStep('canary-3');
    await fourth.startChecks(release.id, [gate], true);
    await fourth.addSample(release.id, gate.name, {
      at: '2026-12-01T10:02:30.000Z',
      value: 0.2,
      passed: false,
    });
    await fourth.decide(release.id, gate.name, 'failed', 'was 0.2');
    await steps.act(release.id, 'canary-3', 'aborted');

    const res = await request(server)
      .get(`/api/autonomous/releases/${release.id}/health-gates`)
      .set(authHeader(OWNER))
      .expect(200);
    expect(res.body.gates).toEqual([]);
    const apiGate = {
      name: gate.name,
      query: gate.query,
      comparison: '<',
      threshold: 0.01,
      durationSeconds: 60,
      intervalSeconds: 30,
      autoRollback: true,
    };
    expect(res.body.steps).toEqual([
      {
        step: 'canary-1',
        kind: 'canary',
        index: 1,
        count: 5,
        weight: 20,
        label: 'canary step 2 of 5 (pause at weight 20)',
        reachedAt: '2026-12-01T10:00:00.000Z',
        action: 'promoted',
        windowStartedAt: '2026-12-01T10:00:00.000Z',
        windowEndsAt: '2026-12-01T10:01:00.000Z',
        gates: [
          {
            ...apiGate,
            startedAt: '2026-12-01T10:00:00.000Z',
            verdict: 'passed',
            reason: 'held < 0.01',
            decidedAt: '2026-12-01T10:01:00.000Z',
            samples: [
              { at: '2026-12-01T10:00:30.000Z', value: 0.001, passed: true },
              { at: '2026-12-01T10:01:00.000Z', value: 0.004, passed: true },
            ],
          },
        ],
      },
      {
        step: 'canary-3',
        kind: 'canary',
        index: 3,
        count: 5,
        weight: 60,
        label: 'canary step 4 of 5 (pause at weight 60)',
        reachedAt: '2026-12-01T10:02:00.000Z',
        action: 'aborted',
        windowStartedAt: '2026-12-01T10:02:00.000Z',
        windowEndsAt: '2026-12-01T10:03:00.000Z',
        gates: [
          {
            ...apiGate,
            startedAt: '2026-12-01T10:02:00.000Z',
            verdict: 'failed',
            reason: 'was 0.2',
            decidedAt: '2026-12-01T10:02:00.000Z',
            samples: [
              { at: '2026-12-01T10:02:30.000Z', value: 0.2, passed: false },
            ],
          },
        ],
      },
    ]);
  });

  it('answers a blue/green preview by its revision, and no pauses for a release without a Rollout', async () => {
    const releases = new DatabaseReleaseStore(knex);
    const blueGreen = await releases.createRelease(newRelease('storefront'));
    const steps = new StepGateStore(knex);
    await steps.reach(blueGreen.id, 'preview-7f9c', 'blue/green preview');
    const res = await request(server)
      .get(`/api/autonomous/releases/${blueGreen.id}/health-gates`)
      .set(authHeader(OWNER))
      .expect(200);
    expect(res.body.steps).toEqual([
      expect.objectContaining({
        step: 'preview-7f9c',
        kind: 'preview',
        revision: '7f9c',
        gates: [],
      }),
    ]);
    expect(res.body.steps[0].windowStartedAt).toBeUndefined();
    const rolling = await releases.createRelease(newRelease('storefront'));
    const none = await request(server)
      .get(`/api/autonomous/releases/${rolling.id}/health-gates`)
      .set(authHeader(OWNER))
      .expect(200);
    expect(none.body).toEqual({ releaseId: rolling.id, gates: [], steps: [] });
  });
});
