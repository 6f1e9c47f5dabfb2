import {
  auth,
  ContractClient,
  eventually,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import type { RunningSandbox } from './sandbox.ts';

jest.setTimeout(30_000);

const DIGEST = `sha256:${'a'.repeat(64)}`;

function application(automated?: object) {
  return {
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
            { name: 'image.digest', value: DIGEST },
          ],
        },
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'shop',
      },
      syncPolicy: {
        syncOptions: ['CreateNamespace=true'],
        ...(automated ? { automated } : {}),
      },
    },
  };
}

describe('Argo CD drift in the sandbox', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  const app = async () =>
    (
      await client.call('argocd', '/api/v1/applications/storefront', {
        headers: auth.argocd,
      })
    ).json;

  async function deployed(automated?: object) {
    await client.json(
      'argocd',
      '/api/v1/applications?upsert=true',
      'POST',
      application(automated),
      auth.argocd,
    );
    await client.json(
      'argocd',
      '/api/v1/applications/storefront/sync',
      'POST',
      { name: 'storefront', prune: true },
      auth.argocd,
    );
    await eventually(async () =>
      (await app()).status.sync.status === 'Synced' ? true : undefined,
    );
  }

  const managed = async () =>
    (
      await client.call(
        'argocd',
        '/api/v1/applications/storefront/managed-resources',
        { headers: auth.argocd },
      )
    ).json.items as any[];

  it('serves a hand-made change as OutOfSync with its managed-resources diff until a sync', async () => {
    await deployed();
    expect((await managed()).every(i => !i.modified)).toBe(true);

    const drift = await client.control('/argocd/drift', 'POST', {
      application: 'storefront',
    });
    expect(drift.drift).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'storefront',
        path: 'spec.replicas',
      }),
    ]);
    const desired = drift.drift[0].desired;

    const outOfSync = await app();
    expect(outOfSync.status.sync.status).toBe('OutOfSync');
    expect(
      outOfSync.status.resources.find((r: any) => r.kind === 'Deployment')
        .status,
    ).toBe('OutOfSync');
    expect(
      outOfSync.status.resources.find((r: any) => r.kind === 'Service').status,
    ).toBe('Synced');

    const modified = (await managed()).filter(i => i.modified);
    expect(modified).toHaveLength(1);
    expect(JSON.parse(modified[0].normalizedLiveState).spec.replicas).toBe(
      desired + 1,
    );
    expect(JSON.parse(modified[0].predictedLiveState).spec.replicas).toBe(
      desired,
    );

    await client.json(
      'argocd',
      '/api/v1/applications/storefront/sync',
      'POST',
      { name: 'storefront', prune: true },
      auth.argocd,
    );
    await eventually(async () =>
      (await app()).status.sync.status === 'Synced' ? true : undefined,
    );
    expect((await managed()).every(i => !i.modified)).toBe(true);
    const deployment = running.sandbox.kubernetes.get(
      'deployments',
      'shop',
      'storefront',
    );
    expect(deployment.spec.replicas).toBe(desired);
  });

  it('changes the field asked for, and self-heal undoes it at once', async () => {
    await deployed({ prune: true, selfHeal: true });
    const drift = await client.control('/argocd/drift', 'POST', {
      application: 'storefront',
      resources: [
        {
          kind: 'Service',
          path: 'metadata.labels.edited-by',
          value: 'hand',
        },
      ],
    });
    expect(drift.drift[0]).toMatchObject({
      kind: 'Service',
      path: 'metadata.labels.edited-by',
    });
    await eventually(async () =>
      (await app()).status.sync.status === 'Synced' ? true : undefined,
    );
    expect(
      running.sandbox.kubernetes.get('services', 'shop', 'storefront').metadata
        .labels['edited-by'],
    ).toBeUndefined();
  });

  it('says what was wrong with a drift request', async () => {
    expect(await client.control('/argocd/drift', 'POST', {})).toEqual({
      message: 'application is required (its name)',
    });
    await deployed();
    const missing = await client.control('/argocd/drift', 'POST', {
      application: 'storefront',
      resources: [{ kind: 'CronJob', path: 'spec.suspend', value: true }],
    });
    expect(missing.message).toContain('storefront manages no CronJob');
  });
});
