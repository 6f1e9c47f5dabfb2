import { http, HttpResponse } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import {
  ARGOCD,
  CheckpointStore,
  actionContext,
  testClients,
} from '../__testUtils__/actionContext';
import { createArgoCdCreateAppAction } from './argocdCreateApp';
import { examples } from './argocdCreateApp.examples';

const API = `${ARGOCD}/api/v1/applications`;

describe('autonomous:argocd:create-app', () => {
  const server = setupUpstreamServer([{ system: 'argocd', baseUrl: ARGOCD }]);

  /**
   * An in-memory ArgoCD: an upsert replaces spec, labels and annotations (as ArgoCD's
   * updateApp does); a merge patch merges.
   */
  function serveArgoCd(initial: Record<string, any> = {}) {
    const apps = new Map<string, any>(Object.entries(initial));
    const requests: string[] = [];
    const notFound = (name: string) =>
      HttpResponse.json(
        {
          error: `applications.argoproj.io "${name}" not found`,
          code: 5,
          message: `applications.argoproj.io "${name}" not found`,
        },
        { status: 404 },
      );
    server.use(
      http.get(`${API}/:name`, ({ params }) => {
        requests.push(`GET ${params.name}`);
        const app = apps.get(String(params.name));
        return app ? HttpResponse.json(app) : notFound(String(params.name));
      }),
      http.post(API, async ({ request }) => {
        const body = (await request.json()) as any;
        requests.push(`UPSERT ${body.metadata.name}`);
        expect(new URL(request.url).searchParams.get('upsert')).toBe('true');
        const app = {
          metadata: {
            namespace: 'argocd',
            ...body.metadata,
          },
          spec: body.spec,
        };
        apps.set(body.metadata.name, app);
        return HttpResponse.json(app);
      }),
      http.patch(`${API}/:name`, async ({ params, request }) => {
        const body = (await request.json()) as any;
        requests.push(`PATCH ${params.name}`);
        const app = apps.get(String(params.name));
        if (!app) return notFound(String(params.name));
        const patch = JSON.parse(body.patch);
        app.metadata.annotations = {
          ...app.metadata.annotations,
          ...patch.metadata?.annotations,
        };
        return HttpResponse.json(app);
      }),
    );
    return { apps, requests };
  }

  const action = () => createArgoCdCreateAppAction({ clients: testClients() });

  it('checks every request against the ArgoCD API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it('runs the example: staging and production from the chart in the repository', async () => {
    const argocd = serveArgoCd();
    const ctx = actionContext(examples[0].input);
    await action().handler(ctx);

    const staging = argocd.apps.get('shop-staging');
    expect(staging.metadata.labels).toEqual({
      'autonomous.dev/entity-kind': 'component',
      'autonomous.dev/entity-namespace': 'default',
      'autonomous.dev/entity-name': 'shop',
      'autonomous.dev/environment': 'staging',
    });
    expect(staging.metadata.annotations).toEqual({
      'autonomous.dev/entity-ref': 'component:default/shop',
    });
    expect(staging.spec).toEqual({
      project: 'default',
      source: {
        repoURL: 'https://github.com/acme/shop.git',
        targetRevision: 'main',
        path: 'chart',
        helm: {
          parameters: [
            { name: 'image.repository', value: 'harbor.example.com/shop/shop' },
          ],
        },
      },
      destination: {
        namespace: 'shop-staging',
        server: 'https://kubernetes.default.svc',
      },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    });
    const production = argocd.apps.get('shop-production');
    expect(production.spec.destination.namespace).toBe('shop');
    expect(production.spec.syncPolicy.automated).toBeUndefined();
    expect(production.spec.source.helm.parameters).toEqual([
      { name: 'image.repository', value: 'harbor.example.com/shop/shop' },
      { name: 'replicaCount', value: '3' },
    ]);
    expect(production.metadata.annotations['autonomous.dev/entity-ref']).toBe(
      'component:default/shop',
    );
    expect(ctx.output).toHaveBeenCalledWith('applications', [
      {
        environment: 'staging',
        name: 'shop-staging',
        namespace: 'shop-staging',
      },
      { environment: 'production', name: 'shop-production', namespace: 'shop' },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('applicationNames', [
      'shop-staging',
      'shop-production',
    ]);
    expect(examples[0].example).toContain(
      'action: autonomous:argocd:create-app',
    );
  });

  it('runs the example: a chart from a Helm repository on a named cluster', async () => {
    const argocd = serveArgoCd();
    const ctx = actionContext(examples[1].input);
    await action().handler(ctx);
    const app = argocd.apps.get('billing-production');
    expect(app.spec).toMatchObject({
      project: 'payments',
      source: {
        repoURL: 'https://charts.example.com',
        chart: 'web',
        targetRevision: '1.4.2',
        helm: { values: 'ingress:\n  enabled: true\n' },
      },
      destination: { name: 'prod-eu', namespace: 'billing-production' },
      syncPolicy: { automated: { prune: false, selfHeal: true } },
    });
    expect(app.metadata.annotations['autonomous.dev/entity-ref']).toBe(
      'component:payments/billing',
    );
    expect(examples[1].example).toContain(
      'action: autonomous:argocd:create-app',
    );
  });

  it('names the Applications as the portal finds them from argocd/app-name, with environments given by name', async () => {
    const argocd = serveArgoCd();
    const ctx = actionContext({
      ...examples[0].input,
      portalNaming: true,
      environments: ['staging', 'production'],
    });
    await action().handler(ctx);
    expect([...argocd.apps.keys()]).toEqual(['shop-staging', 'shop']);
    expect(argocd.apps.get('shop').spec.destination.namespace).toBe(
      'shop-production',
    );
    expect(ctx.output).toHaveBeenCalledWith('applicationNames', [
      'shop-staging',
      'shop',
    ]);
  });

  it('updates an Application that claims the same entity', async () => {
    const argocd = serveArgoCd();
    await action().handler(actionContext(examples[1].input));
    await action().handler(
      actionContext({ ...examples[1].input, targetRevision: '1.5.0' }),
    );
    const app = argocd.apps.get('billing-production');
    expect(app.spec.source.targetRevision).toBe('1.5.0');
    expect(app.metadata.annotations['autonomous.dev/entity-ref']).toBe(
      'component:payments/billing',
    );
  });

  it.each([
    [
      'claimed by another entity',
      {
        'autonomous.dev/entity-ref': 'component:default/other',
      },
      {},
    ],
    ['with no claim at all', undefined, {}],
    [
      'whose labels claim the entity but whose annotation names another',
      { 'autonomous.dev/entity-ref': 'component:default/other' },
      {
        'autonomous.dev/entity-kind': 'component',
        'autonomous.dev/entity-namespace': 'payments',
        'autonomous.dev/entity-name': 'billing',
      },
    ],
  ])('refuses to touch an Application %s', async (_, annotations, labels) => {
    const argocd = serveArgoCd({
      'billing-production': {
        metadata: {
          name: 'billing-production',
          namespace: 'argocd',
          labels,
          ...(annotations ? { annotations } : {}),
        },
        spec: {
          project: 'default',
          source: { repoURL: 'https://x', targetRevision: '1' },
          destination: {
            namespace: 'x',
            server: 'https://kubernetes.default.svc',
          },
        },
      },
    });
    await expect(
      action().handler(actionContext(examples[1].input)),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(argocd.requests).toEqual(['GET billing-production']);
  });

  it('asks the ownership check before updating a claimed Application, not before creating one', async () => {
    const argocd = serveArgoCd();
    const assertOwner = jest.fn(async () => {});
    const guarded = createArgoCdCreateAppAction({
      clients: testClients(),
      ownership: { assertOwner },
    });
    await guarded.handler(actionContext(examples[1].input));
    expect(assertOwner).not.toHaveBeenCalled();
    assertOwner.mockRejectedValueOnce(
      Object.assign(new Error('not yours'), { name: 'NotAllowedError' }),
    );
    argocd.requests.length = 0;
    await expect(
      guarded.handler(actionContext(examples[1].input)),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(argocd.requests).toEqual(['GET billing-production']);
    expect(assertOwner).toHaveBeenCalledWith(
      'component:payments/billing',
      expect.objectContaining({ principal: expect.anything() }),
    );
  });

  it('touches nothing in a dry run and says what it would create', async () => {
    const argocd = serveArgoCd();
    const ctx = actionContext(examples[0].input, { dryRun: true });
    await action().handler(ctx);
    expect(argocd.requests).toEqual([]);
    expect(ctx.store.ran).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('applicationNames', [
      'shop-staging',
      'shop-production',
    ]);
    expect(ctx.logged.join('\n')).toContain(
      'would create or update ArgoCD application "shop-production" in "main" deploying chart@main to namespace shop with automated sync off, claimed by component:default/shop',
    );
  });

  it('creates each Application once when the task is resumed after a crash', async () => {
    const argocd = serveArgoCd();
    const crashing = new CheckpointStore({
      crashAfter: 'argocd.app.main.shop-staging',
    });
    await expect(
      action().handler(actionContext(examples[0].input, { store: crashing })),
    ).rejects.toThrow('crash after');
    // The first Application was written but not recorded: the re-run finds it claimed.
    const store = new CheckpointStore();
    await action().handler(actionContext(examples[0].input, { store }));
    await action().handler(actionContext(examples[0].input, { store }));
    expect(argocd.apps.size).toBe(2);
    expect(argocd.requests.filter(r => r.startsWith('UPSERT'))).toEqual([
      'UPSERT shop-staging',
      'UPSERT shop-staging',
      'UPSERT shop-production',
    ]);
    expect(store.ran).toEqual([
      'argocd.app.main.shop-staging',
      'argocd.app.main.shop-production',
    ]);
  });

  it('fails the step when ArgoCD refuses', async () => {
    serveArgoCd();
    server.use(
      http.post(API, () =>
        HttpResponse.json(
          { error: 'permission denied', code: 7, message: 'permission denied' },
          { status: 403 },
        ),
      ),
    );
    await expect(
      action().handler(actionContext(examples[1].input)),
    ).rejects.toMatchObject({ name: 'UpstreamError', status: 403 });
  });

  const good = examples[0].input;
  it.each([
    [{ ...good, entityRef: 'shop' }, 'not a full entity ref'],
    [{ ...good, name: 'Shop' }, 'name "Shop"'],
    [{ ...good, chart: 'web' }, 'either chart'],
    [
      { ...good, path: undefined, chart: 'web', targetRevision: undefined },
      'targetRevision',
    ],
    [{ ...good, repoUrl: 'nope' }, 'not a Helm or Git repository URL'],
    [{ ...good, environments: [] }, 'at least one environment'],
    [{ ...good, environments: [{ name: 'a' }, { name: 'a' }] }, 'listed twice'],
    [{ ...good, environments: [{ name: 'Prod' }] }, 'environment name "Prod"'],
    [
      { ...good, environments: [{ name: 'prod', namespace: 'a_b' }] },
      'namespace of environment',
    ],
    [
      {
        ...good,
        environments: [
          { name: 'p', destinationServer: 'https://k', destinationName: 'k' },
        ],
      },
      'both destinationServer and destinationName',
    ],
    [{ ...good, instance: 'x' }, 'no argocd instance is named "x"'],
  ])('rejects bad input %j', async (input, message) => {
    const argocd = serveArgoCd();
    await expect(action().handler(actionContext(input))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(argocd.requests).toEqual([]);
  });
});
