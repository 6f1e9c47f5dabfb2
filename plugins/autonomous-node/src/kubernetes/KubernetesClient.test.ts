import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { http, HttpResponse, delay } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { ReadCache } from '../cache/ReadCache';
import { KubernetesClient } from './KubernetesClient';

const BASE = 'http://k8s.test/clusters/main';
const TOKEN = 'k8s-sa-token-abcdefgh';
const DIGEST = `sha256:${'a'.repeat(64)}`;

const status = (code: number, reason: string, message: string) =>
  HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message,
      reason,
      code,
    },
    { status: code },
  );

describe('KubernetesClient', () => {
  const server = setupUpstreamServer([{ system: 'kubernetes', baseUrl: BASE }]);
  const sleep = jest.fn(async () => {});
  const client = (options: { cache?: ReadCache; timeoutMs?: number } = {}) =>
    new KubernetesClient(
      { name: 'main', url: BASE, token: TOKEN },
      { fetch: (input, init) => fetch(input, init), sleep, ...options },
    );
  beforeEach(() => sleep.mockClear());

  it('checks every request against the Kubernetes API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it('creates a missing namespace under the path prefix with the bearer token', async () => {
    let created: any;
    server.use(
      http.get(`${BASE}/api/v1/namespaces/shop`, ({ request }) => {
        expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
        return status(404, 'NotFound', 'namespaces "shop" not found');
      }),
      http.post(`${BASE}/api/v1/namespaces`, async ({ request }) => {
        created = await request.json();
        return HttpResponse.json(
          { ...created, apiVersion: 'v1', kind: 'Namespace' },
          { status: 201 },
        );
      }),
    );
    const ns = await client().ensureNamespace('shop', { team: 'web' });
    expect(ns.metadata?.name).toBe('shop');
    expect(created.metadata).toEqual({ name: 'shop', labels: { team: 'web' } });
  });

  it('reads a namespace (undefined when missing) and deletes namespaces and secrets, missing ones too', async () => {
    const deleted: string[] = [];
    server.use(
      http.get(`${BASE}/api/v1/namespaces/db-orders`, () =>
        HttpResponse.json({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'db-orders', labels: { team: 'web' } },
        }),
      ),
      http.get(`${BASE}/api/v1/namespaces/gone`, () =>
        status(404, 'NotFound', 'namespaces "gone" not found'),
      ),
      http.delete(`${BASE}/api/v1/namespaces/:name`, ({ params, request }) => {
        deleted.push(
          `namespace ${params.name} ${new URL(request.url).searchParams.get(
            'propagationPolicy',
          )}`,
        );
        return params.name === 'gone'
          ? status(404, 'NotFound', 'namespaces "gone" not found')
          : HttpResponse.json({ apiVersion: 'v1', kind: 'Namespace' });
      }),
      http.delete(
        `${BASE}/api/v1/namespaces/:ns/secrets/:name`,
        ({ params }) => {
          deleted.push(`secret ${params.ns}/${params.name}`);
          return params.ns === 'gone'
            ? status(404, 'NotFound', 'secrets "x" not found')
            : HttpResponse.json({ apiVersion: 'v1', kind: 'Status' });
        },
      ),
    );
    const k = client();
    expect((await k.getNamespace('db-orders'))?.metadata?.labels).toEqual({
      team: 'web',
    });
    expect(await k.getNamespace('gone')).toBeUndefined();
    await k.deleteSecret('db-orders', 'orders-credentials');
    await k.deleteSecret('gone', 'orders-credentials');
    await k.deleteNamespace('db-orders');
    await k.deleteNamespace('gone');
    expect(deleted).toEqual([
      'secret db-orders/orders-credentials',
      'secret gone/orders-credentials',
      'namespace db-orders Background',
      'namespace gone Background',
    ]);
  });

  it('creates a secret, or replaces it when it exists', async () => {
    const seen: string[] = [];
    server.use(
      http.post(
        `${BASE}/api/v1/namespaces/shop/secrets`,
        async ({ request }) => {
          const body = (await request.json()) as any;
          seen.push(`create ${body.metadata.name}`);
          return status(409, 'AlreadyExists', 'secrets "db" already exists');
        },
      ),
      http.put(
        `${BASE}/api/v1/namespaces/shop/secrets/db`,
        async ({ request }) => {
          const body = (await request.json()) as any;
          seen.push(`replace ${JSON.stringify(body.stringData)}`);
          return HttpResponse.json(body);
        },
      ),
    );
    await client().applySecret('shop', 'db', { password: 'pw' });
    expect(seen).toEqual(['create db', 'replace {"password":"pw"}']);
  });

  it('reports the rollout of a deployment with the digests its pods run', async () => {
    server.use(
      http.get(`${BASE}/apis/apps/v1/namespaces/shop/deployments/web`, () =>
        HttpResponse.json({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'shop', generation: 4 },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'web' } },
            template: {
              spec: {
                containers: [{ name: 'web', image: `reg/shop/web@${DIGEST}` }],
              },
            },
          },
          status: {
            observedGeneration: 4,
            replicas: 3,
            updatedReplicas: 2,
            readyReplicas: 2,
            availableReplicas: 2,
          },
        }),
      ),
      http.get(`${BASE}/api/v1/namespaces/shop/pods`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('labelSelector')).toBe(
          'app=web',
        );
        return HttpResponse.json({
          apiVersion: 'v1',
          kind: 'PodList',
          metadata: {},
          items: [
            {
              metadata: { name: 'web-1' },
              status: {
                containerStatuses: [
                  {
                    name: 'web',
                    image: 'reg/shop/web:1',
                    imageID: `docker-pullable://reg/shop/web@${DIGEST}`,
                    ready: true,
                    restartCount: 0,
                  },
                ],
              },
            },
          ],
        });
      }),
    );
    const rollout = await client().getRolloutStatus('shop', 'web');
    expect(rollout).toMatchObject({
      observedGeneration: 4,
      desiredReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      complete: false,
      message: '1 old replicas are pending termination',
      images: [`reg/shop/web@${DIGEST}`],
      liveImageDigests: [DIGEST],
    });
  });

  it('reads statefulsets, claims, services and endpoints', async () => {
    server.use(
      http.get(`${BASE}/apis/apps/v1/namespaces/db/statefulsets/pg`, () =>
        HttpResponse.json({
          metadata: { name: 'pg', generation: 1 },
          spec: { replicas: 1, selector: {}, serviceName: 'pg', template: {} },
          status: { replicas: 1, readyReplicas: 1, observedGeneration: 1 },
        }),
      ),
      http.get(
        `${BASE}/api/v1/namespaces/db/persistentvolumeclaims/data-pg-0`,
        () =>
          HttpResponse.json({
            metadata: { name: 'data-pg-0' },
            status: { phase: 'Bound' },
          }),
      ),
      http.get(`${BASE}/api/v1/namespaces/db/services/pg`, () =>
        HttpResponse.json({
          metadata: { name: 'pg' },
          spec: { ports: [{ port: 5432 }] },
        }),
      ),
      http.get(`${BASE}/api/v1/namespaces/db/endpoints/pg`, () =>
        HttpResponse.json({
          metadata: { name: 'pg' },
          subsets: [
            { addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 5432 }] },
          ],
        }),
      ),
    );
    const c = client();
    await expect(c.getStatefulSetStatus('db', 'pg')).resolves.toMatchObject({
      ready: true,
    });
    await expect(
      c.getPersistentVolumeClaim('db', 'data-pg-0'),
    ).resolves.toMatchObject({
      status: { phase: 'Bound' },
    });
    await expect(c.getService('db', 'pg')).resolves.toMatchObject({
      spec: { ports: [{ port: 5432 }] },
    });
    await expect(c.countReadyEndpoints('db', 'pg')).resolves.toBe(1);
  });

  it('reads the previous container log and follows a log as a stream', async () => {
    server.use(
      http.get(
        `${BASE}/api/v1/namespaces/shop/pods/web-1/log`,
        ({ request }) => {
          const q = new URL(request.url).searchParams;
          if (q.get('follow') === 'true') {
            const encoder = new TextEncoder();
            const stream = new ReadableStream({
              async start(controller) {
                controller.enqueue(encoder.encode('line 1\n'));
                await delay(5);
                controller.enqueue(encoder.encode('line 2\n'));
                controller.close();
              },
            });
            return new HttpResponse(stream, {
              headers: { 'Content-Type': 'text/plain' },
            });
          }
          expect(q.get('previous')).toBe('true');
          expect(q.get('container')).toBe('web');
          return new HttpResponse('crashed\n', {
            headers: { 'Content-Type': 'text/plain' },
          });
        },
      ),
    );
    const c = client();
    await expect(
      c.getPodLogs('shop', 'web-1', { container: 'web', previous: true }),
    ).resolves.toBe('crashed\n');
    const stream = await c.followPodLogs('shop', 'web-1', { container: 'web' });
    let text = '';
    for await (const chunk of stream) text += chunk;
    expect(text).toBe('line 1\nline 2\n');
  });

  it('says why a log cannot be followed', async () => {
    server.use(
      http.get(`${BASE}/api/v1/namespaces/shop/pods/web-1/log`, () =>
        status(
          400,
          'BadRequest',
          'container "nope" in pod "web-1" is not valid',
        ),
      ),
    );
    await expect(
      client().followPodLogs('shop', 'web-1', { container: 'nope' }),
    ).rejects.toThrow(
      'Kubernetes following the log of pod "shop/web-1" failed: 400 Bad Request: container "nope" in pod "web-1" is not valid',
    );
  });

  it('lists the events of one object, oldest first', async () => {
    server.use(
      http.get(`${BASE}/api/v1/namespaces/shop/events`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('fieldSelector')).toBe(
          'involvedObject.kind=Deployment,involvedObject.name=web',
        );
        return HttpResponse.json({
          items: [
            {
              metadata: { name: 'b' },
              involvedObject: {},
              reason: 'ScalingReplicaSet',
              lastTimestamp: '2026-01-01T00:00:02Z',
            },
            {
              metadata: { name: 'a' },
              involvedObject: {},
              reason: 'Created',
              lastTimestamp: '2026-01-01T00:00:01Z',
            },
          ],
        });
      }),
    );
    const events = await client().listEvents('shop', {
      kind: 'Deployment',
      name: 'web',
    });
    expect(events.map(e => e.reason)).toEqual(['Created', 'ScalingReplicaSet']);
  });

  it('creates a job, reads its status and logs, and deletes it', async () => {
    server.use(
      http.post(
        `${BASE}/apis/batch/v1/namespaces/db/jobs`,
        async ({ request }) =>
          HttpResponse.json(await request.json(), { status: 201 }),
      ),
      http.get(`${BASE}/apis/batch/v1/namespaces/db/jobs/backup-1`, () =>
        HttpResponse.json({
          metadata: { name: 'backup-1' },
          status: {
            succeeded: 1,
            startTime: '2026-01-01T00:00:00Z',
            completionTime: '2026-01-01T00:01:00Z',
            conditions: [{ type: 'Complete', status: 'True' }],
          },
        }),
      ),
      http.get(`${BASE}/api/v1/namespaces/db/pods`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('labelSelector')).toBe(
          'job-name=backup-1',
        );
        return HttpResponse.json({
          items: [{ metadata: { name: 'backup-1-x' } }],
        });
      }),
      http.get(
        `${BASE}/api/v1/namespaces/db/pods/backup-1-x/log`,
        () => new HttpResponse('dump done\n'),
      ),
      http.delete(
        `${BASE}/apis/batch/v1/namespaces/db/jobs/backup-1`,
        ({ request }) => {
          expect(
            new URL(request.url).searchParams.get('propagationPolicy'),
          ).toBe('Background');
          return HttpResponse.json({ kind: 'Status', status: 'Success' });
        },
      ),
    );
    const c = client();
    await c.createJob('db', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'backup-1' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'dump', image: 'postgres:16' }],
          },
        },
      },
    });
    await expect(c.getJobStatus('db', 'backup-1')).resolves.toMatchObject({
      phase: 'succeeded',
      succeeded: 1,
      completionTime: '2026-01-01T00:01:00.000Z',
    });
    await expect(c.getJobLogs('db', 'backup-1')).resolves.toBe('dump done\n');
    await c.deleteJob('db', 'backup-1');
  });

  it('reads ingresses', async () => {
    server.use(
      http.get(
        `${BASE}/apis/networking.k8s.io/v1/namespaces/shop/ingresses`,
        () =>
          HttpResponse.json({
            items: [
              {
                metadata: { name: 'web' },
                spec: { rules: [{ host: 'shop.example.com' }] },
              },
            ],
          }),
      ),
      http.get(
        `${BASE}/apis/networking.k8s.io/v1/namespaces/shop/ingresses/web`,
        () =>
          HttpResponse.json({
            metadata: { name: 'web' },
            spec: { rules: [{ host: 'shop.example.com' }] },
          }),
      ),
    );
    const c = client();
    await expect(c.listIngresses('shop')).resolves.toHaveLength(1);
    await expect(c.getIngress('shop', 'web')).resolves.toMatchObject({
      spec: { rules: [{ host: 'shop.example.com' }] },
    });
  });

  it('reports Status messages for 401, 403 and 404 without the token', async () => {
    server.use(
      http.get(`${BASE}/apis/apps/v1/namespaces/shop/deployments/a`, () =>
        status(401, 'Unauthorized', 'Unauthorized'),
      ),
      http.get(`${BASE}/apis/apps/v1/namespaces/shop/deployments/b`, () =>
        status(
          403,
          'Forbidden',
          'deployments.apps "b" is forbidden: User "system:serviceaccount:x:y" cannot get resource',
        ),
      ),
      http.get(`${BASE}/apis/apps/v1/namespaces/shop/deployments/c`, () =>
        status(404, 'NotFound', 'deployments.apps "c" not found'),
      ),
    );
    const c = client();
    const e401 = await c.getDeployment('shop', 'a').catch(e => e);
    expect(e401.message).toBe(
      'Kubernetes read of deployment "shop/a" failed: 401 Unauthorized: Unauthorized',
    );
    const e403 = await c.getDeployment('shop', 'b').catch(e => e);
    expect(e403).toMatchObject({ status: 403, retryable: false });
    const e404 = await c.getDeployment('shop', 'c').catch(e => e);
    expect(e404.message).toBe(
      'Kubernetes read of deployment "shop/c" failed: 404 Not Found: deployments.apps "c" not found',
    );
    for (const e of [e401, e403, e404]) {
      expect(`${e.message} ${e.reason} ${e.cause ?? ''}`).not.toContain(TOKEN);
    }
  });

  it('retries reads on 5xx but not creations', async () => {
    let reads = 0;
    let creates = 0;
    server.use(
      http.get(`${BASE}/apis/apps/v1/namespaces/shop/deployments/web`, () => {
        reads++;
        return reads < 2
          ? status(
              503,
              'ServiceUnavailable',
              'the server is currently unable to handle the request',
            )
          : HttpResponse.json({ metadata: { name: 'web' } });
      }),
      http.post(`${BASE}/apis/batch/v1/namespaces/db/jobs`, () => {
        creates++;
        return status(500, 'InternalError', 'etcdserver: request timed out');
      }),
    );
    const c = client();
    await expect(c.getDeployment('shop', 'web')).resolves.toMatchObject({
      metadata: { name: 'web' },
    });
    expect(reads).toBe(2);
    await expect(
      c.createJob('db', { metadata: { name: 'j' }, spec: { template: {} } }),
    ).rejects.toThrow(
      'Kubernetes creation of job "db/j" failed: 500 Internal Server Error: etcdserver: request timed out',
    );
    expect(creates).toBe(1);
  });

  it('times out', async () => {
    server.use(
      http.get(
        `${BASE}/apis/apps/v1/namespaces/shop/deployments/slow`,
        async () => {
          await delay(400);
          return HttpResponse.json({});
        },
      ),
    );
    const error = await new KubernetesClient(
      { name: 'main', url: BASE, token: TOKEN },
      { fetch: (i, init) => fetch(i, init), sleep, timeoutMs: 30, retries: 0 },
    )
      .getDeployment('shop', 'slow')
      .catch(e => e);
    expect(error.message).toBe(
      'Kubernetes read of deployment "shop/slow" failed: no answer within 30 ms',
    );
  });

  it('shares one read between concurrent viewers', async () => {
    let reads = 0;
    server.use(
      http.get(
        `${BASE}/apis/apps/v1/namespaces/shop/deployments/web`,
        async () => {
          reads++;
          await delay(10);
          return HttpResponse.json({ metadata: { name: 'web' } });
        },
      ),
    );
    const c = client({ cache: new ReadCache() });
    await Promise.all(
      Array.from({ length: 20 }, () => c.getDeployment('shop', 'web')),
    );
    expect(reads).toBe(1);
  });
});

describe('KubernetesClient default transport', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ url?: string; auth?: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'shop' },
        }),
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
  });
  afterAll(() => new Promise<void>(r => server.close(() => r())));

  it('talks to a plain-HTTP API server under a path prefix through undici', async () => {
    const c = new KubernetesClient({ name: 'local', url, token: TOKEN });
    await expect(c.ensureNamespace('shop')).resolves.toMatchObject({
      metadata: { name: 'shop' },
    });
    await c.close();
    expect(seen).toEqual([
      { url: '/prefix/api/v1/namespaces/shop', auth: `Bearer ${TOKEN}` },
    ]);
  });
});
