import {
  auth,
  ContractClient,
  eventually,
  startTestSandbox,
} from '../__testUtils__/contractClient.ts';
import type { RunningSandbox } from '../sandbox.ts';

jest.setTimeout(30_000);

const ROLLOUTS = '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts';

function rollout(strategy: object, image = 'shop/web:1') {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image }] },
      },
      strategy,
    },
  };
}

const CANARY = {
  canary: {
    canaryService: 'web-canary',
    stableService: 'web',
    trafficRouting: { nginx: { stableIngress: 'web' } },
    steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }],
  },
};

describe('Argo Rollouts in the sandbox', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
    await client.call('kubernetes', '/api/v1/namespaces', {
      method: 'POST',
      headers: { ...auth.kubernetes, 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'shop' } }),
    });
    for (const name of ['web', 'web-canary', 'web-preview']) {
      await client.call('kubernetes', '/api/v1/namespaces/shop/services', {
        method: 'POST',
        headers: { ...auth.kubernetes, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          metadata: { name },
          spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
        }),
      });
    }
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  /** A request to the Rollout CRD, which has no contract in the Kubernetes documents. */
  const kube = async (
    path: string,
    init: { method?: string; body?: unknown; contentType?: string } = {},
  ) => {
    const response = await fetch(`${running.url}/kubernetes${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...auth.kubernetes,
        ...(init.body !== undefined
          ? { 'Content-Type': init.contentType ?? 'application/json' }
          : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, json: await response.json() };
  };
  const get = async () => (await kube(`${ROLLOUTS}/web`)).json;
  const until = (predicate: (ro: any) => boolean, timeoutMs = 5000) =>
    eventually(async () => {
      const ro = await get();
      return predicate(ro) ? ro : undefined;
    }, timeoutMs);
  const patchStatus = (body: unknown) =>
    kube(`${ROLLOUTS}/web/status`, {
      method: 'PATCH',
      body,
      contentType: 'application/merge-patch+json',
    });
  /** What `kubectl argo rollouts promote` sends to a paused rollout. */
  const promote = () => patchStatus({ status: { pauseConditions: null } });
  const release = (image: string) =>
    kube(`${ROLLOUTS}/web`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: {
        spec: {
          template: { spec: { containers: [{ name: 'web', image }] } },
        },
      },
    });
  const selectorOf = async (service: string) =>
    (
      await client.call(
        'kubernetes',
        `/api/v1/namespaces/shop/services/${service}`,
        {
          headers: auth.kubernetes,
        },
      )
    ).json.spec.selector['rollouts-pod-template-hash'];

  async function startCanary() {
    const created = await kube(ROLLOUTS, {
      method: 'POST',
      body: rollout(CANARY),
    });
    expect(created.status).toBe(201);
    const first = await until(ro => ro.status?.phase === 'Healthy');
    // The first revision skips the steps.
    expect(first.status.currentStepIndex).toBe(4);
    expect(first.status.stableRS).toBe(first.status.currentPodHash);
    await release('shop/web:2');
    const paused = await until(
      ro => ro.status?.phase === 'Paused' && ro.status.currentStepIndex === 1,
    );
    expect(paused.status.currentPodHash).not.toBe(first.status.stableRS);
    return {
      stable: first.status.stableRS,
      canary: paused.status.currentPodHash,
      paused,
    };
  }

  it('steps a canary 20 → 50 → 100, paused at each pause step until promoted', async () => {
    const { stable, canary, paused } = await startCanary();
    expect(paused.status).toMatchObject({
      phase: 'Paused',
      message: 'CanaryPauseStep',
      controllerPause: true,
      stableRS: stable,
      canary: {
        weights: {
          canary: { weight: 20, podTemplateHash: canary },
          stable: { weight: 80, podTemplateHash: stable },
        },
      },
    });
    expect(paused.status.pauseConditions).toEqual([
      { reason: 'CanaryPauseStep', startTime: expect.any(String) },
    ]);
    expect(await selectorOf('web-canary')).toBe(canary);
    expect(await selectorOf('web')).toBe(stable);

    // A pause without a duration does not end by itself.
    await new Promise(r => setTimeout(r, 300));
    expect((await get()).status.currentStepIndex).toBe(1);

    await promote();
    const at50 = await until(
      ro => ro.status.phase === 'Paused' && ro.status.currentStepIndex === 3,
    );
    expect(at50.status.canary.weights.canary.weight).toBe(50);
    expect(at50.status.updatedReplicas).toBe(2);

    await promote();
    const done = await until(ro => ro.status.phase === 'Healthy');
    expect(done.status).toMatchObject({
      currentStepIndex: 4,
      stableRS: canary,
      currentPodHash: canary,
      updatedReplicas: 4,
      availableReplicas: 4,
      canary: {
        weights: {
          canary: { weight: 0, podTemplateHash: canary },
          stable: { weight: 100, podTemplateHash: canary },
        },
      },
    });
    expect(done.status.pauseConditions).toBeUndefined();
    expect(await selectorOf('web')).toBe(canary);
  });

  it('aborts a canary at 50: back to stable, weights 0, Degraded as Argo Rollouts reports it', async () => {
    const { stable, canary } = await startCanary();
    await promote();
    await until(
      ro => ro.status.currentStepIndex === 3 && ro.status.phase === 'Paused',
    );

    await patchStatus({ status: { abort: true } });
    const aborted = await until(
      ro => ro.status.phase === 'Degraded' && ro.status.availableReplicas === 4,
    );
    expect(aborted.status).toMatchObject({
      abort: true,
      abortedAt: expect.any(String),
      currentStepIndex: 0,
      stableRS: stable,
      currentPodHash: canary,
      message: 'RolloutAborted: Rollout aborted update to revision 2',
      canary: {
        weights: {
          canary: { weight: 0, podTemplateHash: canary },
          stable: { weight: 100, podTemplateHash: stable },
        },
      },
    });
    expect(aborted.status.pauseConditions).toBeUndefined();
    const replicaSets = (
      await client.call(
        'kubernetes',
        '/apis/apps/v1/namespaces/shop/replicasets',
        {
          headers: auth.kubernetes,
        },
      )
    ).json.items.map((rs: any) => [
      rs.metadata.labels['rollouts-pod-template-hash'],
      rs.spec.replicas,
    ]);
    expect(replicaSets).toEqual(
      expect.arrayContaining([
        [stable, 4],
        [canary, 0],
      ]),
    );

    // A full promote after the abort takes the canary all the way (promoteFull clears abort).
    await patchStatus({ status: { promoteFull: true } });
    const full = await until(ro => ro.status.phase === 'Healthy');
    expect(full.status.stableRS).toBe(canary);
    expect(full.status.abort).toBeUndefined();
  });

  it('ends a pause with a duration by itself, and keeps spec and status apart as the status subresource does', async () => {
    await kube(ROLLOUTS, {
      method: 'POST',
      body: rollout({
        canary: { steps: [{ setWeight: 50 }, { pause: { duration: '1s' } }] },
      }),
    });
    await until(ro => ro.status?.phase === 'Healthy');
    // Status sent to the object is ignored; spec sent to /status is ignored.
    await kube(`${ROLLOUTS}/web`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { status: { abort: true } },
    });
    await patchStatus({ spec: { paused: true } });
    const unchanged = await get();
    expect(unchanged.status.abort).toBeUndefined();
    expect(unchanged.spec.paused).toBeUndefined();

    await release('shop/web:2');
    const paused = await until(ro => ro.status.phase === 'Paused');
    expect(paused.status.currentStepIndex).toBe(1);
    // No traffic routing: weights come from replica counts only, as in Argo Rollouts.
    expect(paused.status.canary.weights).toBeUndefined();
    const done = await until(ro => ro.status.phase === 'Healthy', 5000);
    expect(done.status.stableRS).toBe(done.status.currentPodHash);
  });

  it('runs analysis steps: a passing one moves on, a failing one aborts the rollout as the controller does', async () => {
    await kube(ROLLOUTS, {
      method: 'POST',
      body: rollout({
        canary: {
          trafficRouting: { nginx: { stableIngress: 'web' } },
          steps: [
            { setWeight: 25 },
            { analysis: { templates: [{ templateName: 'success-rate' }] } },
            { setWeight: 50 },
            { analysis: { templates: [{ templateName: 'always-fail' }] } },
          ],
        },
      }),
    });
    const first = await until(ro => ro.status?.phase === 'Healthy');
    await release('shop/web:2');
    const analysing = await until(
      ro =>
        ro.status.canary?.currentStepAnalysisRunStatus?.status === 'Running',
    );
    expect(analysing.status.currentStepIndex).toBe(1);
    const failed = await until(ro => ro.status.phase === 'Degraded');
    expect(failed.status).toMatchObject({
      abort: true,
      currentStepIndex: 0,
      stableRS: first.status.stableRS,
      message:
        'RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "always-fail" assessed Failed due to failed (1) > failureLimit (0)',
      canary: { weights: { canary: { weight: 0 }, stable: { weight: 100 } } },
    });
  });

  it('holds a blue/green revision in preview until promoted, then switches the active Service', async () => {
    await kube(ROLLOUTS, {
      method: 'POST',
      body: rollout({
        blueGreen: {
          activeService: 'web',
          previewService: 'web-preview',
          autoPromotionEnabled: false,
        },
      }),
    });
    const first = await until(ro => ro.status?.phase === 'Healthy');
    const blue = first.status.currentPodHash;
    expect(first.status.blueGreen.activeSelector).toBe(blue);
    expect(await selectorOf('web')).toBe(blue);

    await release('shop/web:2');
    const paused = await until(ro => ro.status.phase === 'Paused');
    const green = paused.status.currentPodHash;
    expect(paused.status).toMatchObject({
      message: 'BlueGreenPause',
      stableRS: blue,
      blueGreen: { activeSelector: blue, previewSelector: green },
      pauseConditions: [
        { reason: 'BlueGreenPause', startTime: expect.any(String) },
      ],
    });
    expect(await selectorOf('web')).toBe(blue);
    expect(await selectorOf('web-preview')).toBe(green);

    await promote();
    const promoted = await until(ro => ro.status.phase === 'Healthy');
    expect(promoted.status).toMatchObject({
      stableRS: green,
      blueGreen: { activeSelector: green, previewSelector: green },
    });
    expect(await selectorOf('web')).toBe(green);
  });

  it('renders a Rollout from the chart value and reports it to Argo CD as Suspended while paused', async () => {
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    const application = (d: string) => ({
      metadata: { name: 'storefront', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://charts.example.invalid/autonomous',
          chart: 'web-service',
          targetRevision: '1.4.0',
          helm: {
            parameters: [
              { name: 'image.repository', value: 'shop/storefront' },
              { name: 'image.digest', value: d },
              { name: 'replicaCount', value: '2' },
              { name: 'rollout.strategy', value: 'canary' },
              { name: 'rollout.steps', value: '50,pause' },
            ],
          },
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'shop',
        },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
    const argo = (path: string, method = 'GET', body?: unknown) =>
      client.call('argocd', path, {
        method,
        headers: { ...auth.argocd, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    await argo(
      '/api/v1/applications?upsert=true',
      'POST',
      application(digest('a')),
    );
    await argo('/api/v1/applications/storefront/sync', 'POST', {
      name: 'storefront',
    });
    await eventually(async () => {
      const app = (await argo('/api/v1/applications/storefront')).json;
      return app.status?.health?.status === 'Healthy' ? app : undefined;
    });
    await argo(
      '/api/v1/applications?upsert=true',
      'POST',
      application(digest('b')),
    );
    await argo('/api/v1/applications/storefront/sync', 'POST', {
      name: 'storefront',
    });
    const suspended = await eventually(async () => {
      const app = (await argo('/api/v1/applications/storefront')).json;
      return app.status?.health?.status === 'Suspended' ? app : undefined;
    });
    expect(suspended.status.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          group: 'argoproj.io',
          kind: 'Rollout',
          name: 'storefront',
          health: { status: 'Suspended', message: 'Rollout is paused' },
        }),
      ]),
    );
    const ro = (
      await kube(
        '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/storefront',
      )
    ).json;
    expect(ro.status.currentStepIndex).toBe(1);
  });
});
