import { http, HttpResponse, delay } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { ReadCache } from '../cache/ReadCache';
import { UpstreamError } from '../errors';
import { ArgoCdClient } from './ArgoCdClient';
import { ArgoCdOperationInProgressError } from './errors';

const BASE = 'http://argocd.test/argocd';
const TOKEN = 'argocd-secret-token-123';

const app = (name: string, extra: object = {}) => ({
  metadata: { name, namespace: 'argocd' },
  spec: {
    project: 'default',
    source: {
      repoURL: 'https://charts.example.com',
      chart: 'web',
      targetRevision: '1.0.0',
      helm: { parameters: [{ name: 'image.repository', value: 'shop' }] },
    },
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: 'shop',
    },
  },
  status: {
    sync: { status: 'Synced' },
    health: { status: 'Healthy' },
    summary: { images: ['registry/shop@sha256:abc'] },
  },
  ...extra,
});

describe('ArgoCdClient', () => {
  const server = setupUpstreamServer([{ system: 'argocd', baseUrl: BASE }]);
  const sleep = jest.fn(async () => {});
  const client = (options: { cache?: ReadCache; timeoutMs?: number } = {}) =>
    new ArgoCdClient(
      { name: 'main', url: BASE, token: TOKEN },
      { sleep, retries: 2, ...options },
    );

  beforeEach(() => sleep.mockClear());

  it('checks every request against the ArgoCD API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it('refuses an application name that would climb out of /applications, before any request', async () => {
    const seen: string[] = [];
    server.use(
      http.all('*', ({ request }) => {
        seen.push(`${request.method} ${request.url}`);
        return HttpResponse.json({});
      }),
    );
    // `/api/v1/applications/..` would be `/api/v1/`.
    await expect(client().getApplication('..')).rejects.toThrow(
      'the ArgoCD application name ".." is not allowed',
    );
    await expect(client().deleteApplication('.')).rejects.toThrow(
      'the ArgoCD application name "." is not allowed',
    );
    expect(seen).toEqual([]);
  });

  it('upserts an application with Helm parameters under the path prefix', async () => {
    let seen: any;
    server.use(
      http.post(`${BASE}/api/v1/applications`, async ({ request }) => {
        expect(new URL(request.url).searchParams.get('upsert')).toBe('true');
        expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
        seen = await request.json();
        return HttpResponse.json(app('shop'));
      }),
    );
    const result = await client().upsertApplication({
      name: 'shop',
      repoURL: 'https://charts.example.com',
      chart: 'web',
      targetRevision: '1.0.0',
      destinationNamespace: 'shop',
      helmParameters: [{ name: 'image.digest', value: 'sha256:abc' }],
      automatedSync: true,
    });
    expect(result.metadata.name).toBe('shop');
    expect(seen.spec.source.helm.parameters).toEqual([
      { name: 'image.digest', value: 'sha256:abc' },
    ]);
    expect(seen.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true'],
    });
  });

  it('reads an application with status, history and images', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/shop`, () =>
        HttpResponse.json(app('shop')),
      ),
    );
    const result = await client().getApplication('shop');
    expect(result.status?.health?.status).toBe('Healthy');
    expect(result.status?.summary?.images).toEqual([
      'registry/shop@sha256:abc',
    ]);
  });

  it('coalesces 50 concurrent reads into one call and reads again after a sync', async () => {
    let reads = 0;
    server.use(
      http.get(`${BASE}/api/v1/applications/shop`, async () => {
        reads++;
        await delay(20);
        return HttpResponse.json(app('shop'));
      }),
      http.post(`${BASE}/api/v1/applications/shop/sync`, () =>
        HttpResponse.json(app('shop')),
      ),
    );
    const c = client({ cache: new ReadCache({ ttlSeconds: 5 }) });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => c.getApplication('shop')),
    );
    expect(results).toHaveLength(50);
    expect(reads).toBe(1);
    await c.getApplication('shop');
    expect(reads).toBe(1);

    await c.sync('shop', { prune: true });
    await c.getApplication('shop');
    expect(reads).toBe(2);
  });

  it('syncs with prune and revision', async () => {
    let body: any;
    server.use(
      http.post(
        `${BASE}/api/v1/applications/shop/sync`,
        async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(app('shop'));
        },
      ),
    );
    await client().sync('shop', { prune: true, revision: '1.2.3' });
    expect(body).toEqual({ name: 'shop', prune: true, revision: '1.2.3' });
  });

  it('reports a 409 from sync in ArgoCD words, once, without the token', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/api/v1/applications/shop/sync`, () => {
        calls++;
        return HttpResponse.json(
          {
            error: 'another operation is already in progress',
            code: 9,
            message: 'another operation is already in progress',
          },
          { status: 409 },
        );
      }),
    );
    const error = await client()
      .sync('shop')
      .catch(e => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe(
      'ArgoCD sync of application "shop" failed: 409 Conflict: another operation is already in progress',
    );
    expect(error).toMatchObject({
      name: 'UpstreamError',
      system: 'argocd',
      status: 409,
      retryable: false,
      isOperationInProgress: true,
      application: 'shop',
    });
    expect(calls).toBe(1);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('tells a sync refused while an operation runs, as ArgoCD answers it, from any other refusal', async () => {
    // ArgoCD's REST gateway: gRPC FailedPrecondition (9) is a 400, the text wrapped by the server.
    const refusal = (message: string) =>
      HttpResponse.json(
        { error: message, code: 9, message },
        { status: 400, statusText: 'Bad Request' },
      );
    server.use(
      http.post(`${BASE}/api/v1/applications/shop/sync`, () =>
        refusal(
          'error setting app operation: another operation is already in progress',
        ),
      ),
      http.post(`${BASE}/api/v1/applications/gone/sync`, () =>
        refusal('application gone is being deleted'),
      ),
    );
    const busy = await client()
      .sync('shop')
      .catch(e => e);
    expect(busy).toBeInstanceOf(ArgoCdOperationInProgressError);
    expect(busy).toBeInstanceOf(UpstreamError);
    expect(busy.isOperationInProgress).toBe(true);
    expect(busy.message).toBe(
      'ArgoCD sync of application "shop" failed: 400 Bad Request: error setting app operation: another operation is already in progress',
    );

    const other = await client()
      .sync('gone')
      .catch(e => e);
    expect(other).toBeInstanceOf(UpstreamError);
    expect(other).not.toBeInstanceOf(ArgoCdOperationInProgressError);
    expect(other).toMatchObject({ status: 400, isOperationInProgress: false });
  });

  it.each([
    [401, 'Unauthorized', 'invalid session: token is expired'],
    [404, 'Not Found', 'applications.argoproj.io "nope" not found'],
  ])('maps %s without retrying', async (status, text, message) => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v1/applications/nope`, () => {
        calls++;
        return HttpResponse.json({ error: message, message }, { status });
      }),
    );
    const error = await client()
      .getApplication('nope')
      .catch(e => e);
    expect(error.message).toBe(
      `ArgoCD read of application "nope" failed: ${status} ${text}: ${message}`,
    );
    expect(error.status).toBe(status);
    expect(calls).toBe(1);
  });

  it('retries a GET on 503 with backoff and then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v1/applications/shop`, () => {
        calls++;
        return calls < 3
          ? HttpResponse.text('upstream connect error', { status: 503 })
          : HttpResponse.json(app('shop'));
      }),
    );
    await expect(client().getApplication('shop')).resolves.toBeDefined();
    expect(calls).toBe(3);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('honours Retry-After on 429', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v1/applications/shop`, () => {
        calls++;
        return calls === 1
          ? new HttpResponse(null, {
              status: 429,
              headers: { 'Retry-After': '2' },
            })
          : HttpResponse.json(app('shop'));
      }),
    );
    await client().getApplication('shop');
    expect(sleep).toHaveBeenCalledWith(2000);
  });

  it('gives up after the retries on 500 and says so', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/shop`, () =>
        HttpResponse.json({ error: 'boom', message: 'boom' }, { status: 500 }),
      ),
    );
    const error = await client()
      .getApplication('shop')
      .catch(e => e);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('times out a slow answer', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/shop`, async () => {
        await delay(500);
        return HttpResponse.json(app('shop'));
      }),
    );
    const error = await client({ timeoutMs: 30 })
      .getApplication('shop')
      .catch(e => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.status).toBeUndefined();
    expect(error.message).toBe(
      'ArgoCD read of application "shop" failed: no answer within 30 ms',
    );
  });

  it('refreshes hard, patches Helm parameters keeping the others, and reads the tree', async () => {
    let patch: any;
    let refresh: string | null = null;
    server.use(
      http.get(`${BASE}/api/v1/applications/shop`, ({ request }) => {
        refresh = new URL(request.url).searchParams.get('refresh') ?? refresh;
        return HttpResponse.json(app('shop'));
      }),
      http.patch(`${BASE}/api/v1/applications/shop`, async ({ request }) => {
        patch = await request.json();
        return HttpResponse.json(app('shop'));
      }),
      http.get(`${BASE}/api/v1/applications/shop/resource-tree`, () =>
        HttpResponse.json({ nodes: [{ kind: 'Deployment', name: 'shop' }] }),
      ),
    );
    const c = client();
    await c.refreshApplication('shop', 'hard');
    expect(refresh).toBe('hard');
    await c.setHelmParameters('shop', [
      { name: 'image.digest', value: 'sha256:def' },
      { name: 'ingress.hosts[0]', value: 'shop.example.com' },
    ]);
    expect(patch.patchType).toBe('merge');
    expect(JSON.parse(patch.patch)).toEqual({
      spec: {
        source: {
          helm: {
            parameters: [
              { name: 'image.repository', value: 'shop' },
              { name: 'image.digest', value: 'sha256:def' },
              { name: 'ingress.hosts[0]', value: 'shop.example.com' },
            ],
          },
        },
      },
    });
    const tree = await c.getResourceTree('shop');
    expect(tree.nodes?.[0].kind).toBe('Deployment');
  });

  it('terminates an operation and deletes with cascade', async () => {
    const seen: string[] = [];
    server.use(
      http.delete(`${BASE}/api/v1/applications/shop/operation`, () => {
        seen.push('terminate');
        return HttpResponse.json({});
      }),
      http.delete(`${BASE}/api/v1/applications/shop`, ({ request }) => {
        seen.push(
          `delete cascade=${new URL(request.url).searchParams.get('cascade')}`,
        );
        return HttpResponse.json({});
      }),
    );
    await client().terminateOperation('shop');
    await client().deleteApplication('shop');
    expect(seen).toEqual(['terminate', 'delete cascade=true']);
  });

  it('reads the managed resources, cached until a sync changes the application', async () => {
    let reads = 0;
    const deployment = (replicas: number) =>
      JSON.stringify({ kind: 'Deployment', spec: { replicas } });
    server.use(
      http.get(`${BASE}/api/v1/applications/shop/managed-resources`, () => {
        reads++;
        return HttpResponse.json({
          items: [
            {
              group: 'apps',
              kind: 'Deployment',
              namespace: 'shop',
              name: 'shop',
              modified: true,
              normalizedLiveState: deployment(3),
              predictedLiveState: deployment(1),
            },
          ],
        });
      }),
      http.post(`${BASE}/api/v1/applications/shop/sync`, () =>
        HttpResponse.json(app('shop')),
      ),
    );
    const c = client({ cache: new ReadCache({ ttlSeconds: 5 }) });
    const items = await c.getManagedResources('shop');
    expect(items).toEqual([
      expect.objectContaining({ kind: 'Deployment', modified: true }),
    ]);
    await c.getManagedResources('shop');
    expect(reads).toBe(1);
    await c.sync('shop', { prune: true });
    await c.getManagedResources('shop');
    expect(reads).toBe(2);
  });
});
