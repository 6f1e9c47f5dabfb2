import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ReadCache } from '../cache/ReadCache';
import { RolloutsClient } from './RolloutsClient';
import { ArgoRollout } from './rolloutTypes';
import {
  rolloutRequestProblems,
  rolloutResponseProblems,
} from './__fixtures__/rolloutContract';

const BASE = 'http://k8s.test/clusters/main';
const TOKEN = 'k8s-sa-token-abcdefgh';
const ROLLOUT = `${BASE}/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/web`;

/** A canary paused at its second step, as the controller writes it. */
function pausedCanary(
  overrides: Partial<ArgoRollout['status']> = {},
): ArgoRollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop', generation: 2 },
    spec: {
      replicas: 4,
      strategy: {
        canary: {
          canaryService: 'web-canary',
          stableService: 'web',
          trafficRouting: { nginx: { stableIngress: 'web' } },
          steps: [
            { setWeight: 20 },
            { pause: {} },
            { setWeight: 50 },
            { pause: {} },
          ],
        },
      },
      template: {
        spec: { containers: [{ name: 'web', image: 'shop/web:2' }] },
      },
    },
    status: {
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      currentPodHash: 'bcdfg2',
      stableRS: 'bcdfg1',
      observedGeneration: '2',
      controllerPause: true,
      pauseConditions: [
        { reason: 'CanaryPauseStep', startTime: '2026-12-06T09:00:00Z' },
      ],
      canary: {
        weights: {
          canary: {
            weight: 20,
            podTemplateHash: 'bcdfg2',
            serviceName: 'web-canary',
          },
          stable: { weight: 80, podTemplateHash: 'bcdfg1', serviceName: 'web' },
        },
      },
      ...overrides,
    },
  };
}

describe('RolloutsClient', () => {
  const server = setupServer();
  const problems: string[] = [];
  let held: ArgoRollout = pausedCanary();
  const sent: Array<{ path: string; type: string; body: unknown }> = [];

  /** The Rollout's API as the server answers it; every request is checked against the CRD. */
  function serveRollout() {
    const answer = (body: ArgoRollout) => {
      problems.push(...rolloutResponseProblems(body));
      return HttpResponse.json(body);
    };
    const check = async (request: Request) => {
      const body =
        request.method === 'GET' ? undefined : await request.clone().text();
      problems.push(
        ...rolloutRequestProblems(
          {
            method: request.method,
            url: request.url,
            headers: Object.fromEntries(request.headers),
            body,
          },
          held,
        ),
      );
      return body;
    };
    server.use(
      http.get(ROLLOUT, async ({ request }) => {
        await check(request);
        return answer(held);
      }),
      http.patch(`${ROLLOUT}/status`, async ({ request }) => {
        const body = JSON.parse((await check(request))!);
        sent.push({
          path: 'status',
          type: request.headers.get('content-type')!,
          body,
        });
        held = { ...held, status: { ...held.status, ...body.status } };
        for (const [k, v] of Object.entries(body.status)) {
          if (v === null) delete (held.status as any)[k];
        }
        return answer(held);
      }),
      http.patch(ROLLOUT, async ({ request }) => {
        const body = JSON.parse((await check(request))!);
        sent.push({
          path: 'object',
          type: request.headers.get('content-type')!,
          body,
        });
        held = { ...held, spec: { ...held.spec, ...body.spec } };
        return answer(held);
      }),
    );
  }

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    held = pausedCanary();
    sent.length = 0;
    serveRollout();
  });
  afterEach(() => {
    server.resetHandlers();
    // A request or fixture the API server would refuse fails the test that sent it.
    const found = problems.splice(0);
    if (found.length) {
      throw new Error(`Rollout contract problems:\n${found.join('\n')}`);
    }
  });
  afterAll(() => server.close());

  const client = (cache?: ReadCache) =>
    new RolloutsClient(
      { name: 'main', url: BASE, token: TOKEN },
      {
        fetch: (input, init) => fetch(input, init),
        sleep: async () => {},
        cache,
      },
    );

  it('reads a Rollout, and undefined when there is none', async () => {
    const ro = await client().getRollout('shop', 'web');
    expect(ro?.status?.canary?.weights?.canary.weight).toBe(20);
    server.use(
      http.get(
        `${BASE}/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/gone`,
        () =>
          HttpResponse.json(
            {
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              reason: 'NotFound',
              code: 404,
              message: 'rollouts.argoproj.io "gone" not found',
            },
            { status: 404 },
          ),
      ),
    );
    expect(await client().getRollout('shop', 'gone')).toBeUndefined();
  });

  it('promotes a paused canary as kubectl argo rollouts does: clears the pause conditions through /status', async () => {
    const ro = await client().promote('shop', 'web');
    expect(sent).toEqual([
      {
        path: 'status',
        type: 'application/merge-patch+json',
        body: { status: { pauseConditions: null } },
      },
    ]);
    expect(ro.status?.pauseConditions).toBeUndefined();
  });

  it('unpauses a manually paused rollout through the object, its status through /status', async () => {
    held = { ...held, spec: { ...held.spec, paused: true } };
    await client().promote('shop', 'web');
    expect(sent.map(s => [s.path, s.body])).toEqual([
      ['status', { status: { pauseConditions: null } }],
      ['object', { spec: { paused: false } }],
    ]);
  });

  it('moves a canary past a step nothing pauses (an analysis running) to the next index', async () => {
    held = pausedCanary({
      pauseConditions: undefined,
      controllerPause: false,
      phase: 'Progressing',
      currentStepIndex: 2,
    });
    await client().promote('shop', 'web');
    expect(sent.map(s => s.body)).toEqual([
      { status: { pauseConditions: null, currentStepIndex: 3 } },
    ]);
  });

  it('promotes fully with promoteFull, and sends nothing when the rollout is already stable', async () => {
    await client().promote('shop', 'web', { full: true });
    expect(sent.map(s => s.body)).toEqual([{ status: { promoteFull: true } }]);
    sent.length = 0;
    held = pausedCanary({
      currentPodHash: 'bcdfg1',
      pauseConditions: undefined,
    });
    await client().promote('shop', 'web', { full: true });
    expect(sent).toEqual([]);
  });

  it('aborts through /status and forgets the cached read', async () => {
    const cache = new ReadCache({ ttlSeconds: 60 });
    const c = client(cache);
    expect((await c.getRollout('shop', 'web'))?.status?.abort).toBeUndefined();
    await c.abort('shop', 'web');
    expect(sent.map(s => [s.path, s.body])).toEqual([
      ['status', { status: { abort: true } }],
    ]);
    expect((await c.getRollout('shop', 'web'))?.status?.abort).toBe(true);
  });

  it('pauses and unpauses through the object as kubectl argo rollouts pause does, forgetting the cached read', async () => {
    const cache = new ReadCache({ ttlSeconds: 60 });
    const c = client(cache);
    expect((await c.getRollout('shop', 'web'))?.spec.paused).toBeUndefined();
    const paused = await c.setPaused('shop', 'web', true, {
      'autonomous.dev/held-for-health-gates': 'rel-1',
    });
    expect(paused.spec.paused).toBe(true);
    expect((await c.getRollout('shop', 'web'))?.spec.paused).toBe(true);
    await c.setPaused('shop', 'web', false);
    expect(sent).toEqual([
      {
        path: 'object',
        type: 'application/merge-patch+json',
        body: {
          spec: { paused: true },
          metadata: {
            annotations: { 'autonomous.dev/held-for-health-gates': 'rel-1' },
          },
        },
      },
      {
        path: 'object',
        type: 'application/merge-patch+json',
        body: { spec: { paused: false } },
      },
    ]);
    expect((await c.getRollout('shop', 'web'))?.spec.paused).toBe(false);
  });

  it('says what the API server refused', async () => {
    server.use(
      http.patch(`${ROLLOUT}/status`, () =>
        HttpResponse.json(
          {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'Forbidden',
            code: 403,
            message:
              'rollouts.argoproj.io "web" is forbidden: User "system:serviceaccount:autonomous:portal" cannot patch resource "rollouts/status"',
          },
          { status: 403 },
        ),
      ),
    );
    await expect(client().abort('shop', 'web')).rejects.toMatchObject({
      name: 'UpstreamError',
      status: 403,
      message: expect.stringContaining(
        'cannot patch resource "rollouts/status"',
      ),
    });
  });

  it('has a contract check that refuses what the API server would not take', () => {
    const headers = {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/merge-patch+json',
    };
    expect(
      rolloutRequestProblems(
        {
          method: 'PATCH',
          url: ROLLOUT,
          headers,
          body: '{"status":{"abort":true}}',
        },
        held,
      ),
    ).toEqual([
      expect.stringContaining('status in a patch of the object is ignored'),
    ]);
    expect(
      rolloutRequestProblems(
        {
          method: 'PATCH',
          url: `${ROLLOUT}/status`,
          headers: {
            ...headers,
            'content-type': 'application/strategic-merge-patch+json',
          },
          body: '{}',
        },
        held,
      ),
    ).toEqual([
      expect.stringContaining('is not accepted for a custom resource'),
    ]);
    expect(
      rolloutRequestProblems(
        {
          method: 'PATCH',
          url: `${ROLLOUT}/status`,
          headers,
          body: '{"status":{"abort":"yes","currentStepIndex":1.5,"pauseCondition":[]}}',
        },
        held,
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/status/abort must be a boolean'),
        expect.stringContaining('/status/currentStepIndex must be an integer'),
        expect.stringContaining('/status/pauseCondition is not in the schema'),
      ]),
    );
    expect(
      rolloutRequestProblems({
        method: 'GET',
        url: `${BASE}/apis/argoproj.io/v1/namespaces/shop/rollouts/web`,
        headers: {},
      }),
    ).toEqual([expect.stringContaining('no such path')]);
  });
});
