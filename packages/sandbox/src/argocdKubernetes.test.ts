import {
  auth,
  ContractClient,
  eventually,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import { FAST_TIMINGS } from './context.ts';
import type { RunningSandbox } from './sandbox.ts';

// Each test drives a whole sync and rollout; on a loaded machine that takes more than 5 s.
jest.setTimeout(30_000);

const DIGEST_A = `sha256:${'a'.repeat(64)}`;

function application(
  name: string,
  namespace: string,
  parameters: { name: string; value: string }[],
  extra: Record<string, unknown> = {},
) {
  return {
    metadata: {
      name,
      namespace: 'argocd',
      labels: { 'autonomous.dev/project': name },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://charts.example.invalid/autonomous',
        chart: 'web-service',
        targetRevision: '1.4.0',
        helm: { parameters },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      ...extra,
    },
  };
}

describe('Argo CD and Kubernetes sandbox', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  const getApp = async (name: string) =>
    (
      await client.call(
        'argocd',
        `/api/v1/applications/${name}?refresh=normal`,
        { headers: auth.argocd },
      )
    ).json;

  const waitFor = (name: string, sync: string, health: string) =>
    eventually(async () => {
      const app = await getApp(name);
      return app.status.sync.status === sync &&
        app.status.health.status === health
        ? app
        : undefined;
    });

  it('syncs an application into a Deployment that runs the digest, and degrades on request', async () => {
    const session = await client.json('argocd', '/api/v1/session', 'POST', {
      username: 'admin',
      password: 'sandbox',
    });
    expect(session.status).toBe(200);
    const bearer = { Authorization: `Bearer ${session.json.token}` };

    const created = await client.json(
      'argocd',
      '/api/v1/applications?upsert=true',
      'POST',
      application('storefront', 'shop', [
        { name: 'image.repository', value: 'shop/storefront' },
        { name: 'image.digest', value: DIGEST_A },
        { name: 'ingress.hosts[0].host', value: 'storefront.apps.sandbox' },
      ]),
      bearer,
    );
    expect(created.status).toBe(200);
    expect(created.json.status.sync.status).toBe('OutOfSync');
    expect(created.json.status.health.status).toBe('Missing');

    // Long enough that the second sync below arrives while the first runs, on a loaded machine too.
    running.sandbox.ctx.timings.syncDurationMs = 2_000;
    const sync = await client.json(
      'argocd',
      '/api/v1/applications/storefront/sync',
      'POST',
      { name: 'storefront', prune: true },
      bearer,
    );
    expect(sync.status).toBe(200);
    expect(sync.json.status.operationState.phase).toBe('Running');
    const again = await client.json(
      'argocd',
      '/api/v1/applications/storefront/sync',
      'POST',
      { name: 'storefront' },
      bearer,
    );
    expect(again.status).toBe(400);
    expect(again.json.message).toContain(
      'another operation is already in progress',
    );
    running.sandbox.ctx.timings.syncDurationMs = FAST_TIMINGS.syncDurationMs;

    const progressing = await eventually(async () => {
      const app = await getApp('storefront');
      return app.status.operationState?.phase === 'Succeeded' ? app : undefined;
    }, 15_000);
    expect(progressing.status.sync.status).toBe('Synced');
    const healthy = await waitFor('storefront', 'Synced', 'Healthy');
    expect(healthy.status.summary.images).toEqual([
      `shop/storefront@${DIGEST_A}`,
    ]);
    expect(healthy.status.summary.externalURLs).toEqual([
      'http://storefront.apps.sandbox/',
    ]);
    expect(healthy.status.history).toHaveLength(1);
    expect(healthy.status.history[0]).toMatchObject({
      id: 0,
      revision: '1.4.0',
    });

    const list = await client.call(
      'argocd',
      '/api/v1/applications?selector=autonomous.dev/project%3Dstorefront',
      { headers: auth.argocd },
    );
    expect(list.json.items.map((a: any) => a.metadata.name)).toEqual([
      'storefront',
    ]);

    const ns = await client.call('kubernetes', '/api/v1/namespaces/shop', {
      headers: auth.kubernetes,
    });
    expect(ns.json.status.phase).toBe('Active');
    const deployment = await client.call(
      'kubernetes',
      '/apis/apps/v1/namespaces/shop/deployments/storefront',
      { headers: auth.kubernetes },
    );
    expect(deployment.json.spec.template.spec.containers[0].image).toBe(
      `shop/storefront@${DIGEST_A}`,
    );
    expect(deployment.json.status.readyReplicas).toBe(1);

    const pods = await client.call(
      'kubernetes',
      '/api/v1/namespaces/shop/pods?labelSelector=app.kubernetes.io%2Finstance%3Dstorefront',
      { headers: auth.kubernetes },
    );
    expect(pods.json.items).toHaveLength(1);
    const pod = pods.json.items[0];
    expect(pod.status.phase).toBe('Running');
    expect(
      pod.status.conditions.find((c: any) => c.type === 'Ready').status,
    ).toBe('True');

    const endpoints = await client.call(
      'kubernetes',
      '/api/v1/namespaces/shop/endpoints/storefront',
      { headers: auth.kubernetes },
    );
    expect(endpoints.json.subsets[0].addresses[0].targetRef.name).toBe(
      pod.metadata.name,
    );
    const ingress = await client.call(
      'kubernetes',
      '/apis/networking.k8s.io/v1/namespaces/shop/ingresses/storefront',
      { headers: auth.kubernetes },
    );
    expect(ingress.json.spec.rules[0].host).toBe('storefront.apps.sandbox');
    const service = await client.call(
      'kubernetes',
      '/api/v1/namespaces/shop/services/storefront',
      { headers: auth.kubernetes },
    );
    expect(service.json.spec.ports[0].port).toBe(80);

    const log = await client.call(
      'kubernetes',
      `/api/v1/namespaces/shop/pods/${pod.metadata.name}/log`,
      { headers: auth.kubernetes },
    );
    expect(log.text).toContain('Listening on http://0.0.0.0:8080');
    const previous = await client.call(
      'kubernetes',
      `/api/v1/namespaces/shop/pods/${pod.metadata.name}/log?previous=true`,
      { headers: auth.kubernetes },
    );
    expect(previous.status).toBe(400);
    expect(previous.json.message).toContain('previous terminated container');

    const events = await client.call(
      'kubernetes',
      `/api/v1/namespaces/shop/events?fieldSelector=involvedObject.name%3D${pod.metadata.name}`,
      { headers: auth.kubernetes },
    );
    expect(events.json.items.map((e: any) => e.reason)).toEqual(
      expect.arrayContaining(['Scheduled', 'Pulled', 'Started']),
    );

    const tree = await client.call(
      'argocd',
      '/api/v1/applications/storefront/resource-tree',
      { headers: auth.argocd },
    );
    expect(tree.json.nodes.map((n: any) => n.kind)).toEqual(
      expect.arrayContaining([
        'Deployment',
        'ReplicaSet',
        'Pod',
        'Service',
        'Ingress',
      ]),
    );

    const degrade = await client.control('/argocd/degrade', 'POST', {
      application: 'storefront',
    });
    expect(degrade.badDigests).toEqual([]);
    const degraded = await waitFor('storefront', 'Synced', 'Degraded');
    expect(degraded.status.health.message).toContain('CrashLoopBackOff');
    const crashed = await eventually(async () => {
      const r = await client.call(
        'kubernetes',
        `/api/v1/namespaces/shop/pods/${pod.metadata.name}/log?previous=true`,
        { headers: auth.kubernetes },
      );
      return r.status === 200 ? r.text : undefined;
    });
    expect(crashed).toContain('Error');
  });

  it('patches the image parameter and lets automated sync roll it out; a bad digest degrades', async () => {
    const bad = `sha256:${'b'.repeat(64)}`;
    await client.json(
      'argocd',
      '/api/v1/applications',
      'POST',
      application(
        'api',
        'team',
        [
          { name: 'image.repository', value: 'team/api' },
          { name: 'image.digest', value: DIGEST_A },
        ],
        {
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['CreateNamespace=true'],
          },
        },
      ),
      auth.argocd,
    );
    await waitFor('api', 'Synced', 'Healthy');

    await client.control('/argocd/degrade', 'POST', { digest: bad });
    const patch = {
      spec: {
        source: {
          repoURL: 'https://charts.example.invalid/autonomous',
          chart: 'web-service',
          targetRevision: '1.4.0',
          helm: {
            parameters: [
              { name: 'image.repository', value: 'team/api' },
              { name: 'image.digest', value: bad },
            ],
          },
        },
      },
    };
    const patched = await client.json(
      'argocd',
      '/api/v1/applications/api',
      'PATCH',
      { name: 'api', patch: JSON.stringify(patch), patchType: 'merge' },
      auth.argocd,
    );
    expect(patched.status).toBe(200);
    expect(patched.json.status.sync.status).toBe('OutOfSync');
    const degraded = await waitFor('api', 'Synced', 'Degraded');
    expect(degraded.status.history).toHaveLength(2);
    expect(degraded.status.history[1].initiatedBy).toEqual({ automated: true });

    const deployment = await client.call(
      'kubernetes',
      '/apis/apps/v1/namespaces/team/deployments/api',
      { headers: auth.kubernetes },
    );
    expect(deployment.json.spec.template.spec.containers[0].image).toContain(
      bad,
    );

    // Rolling back to the good digest through PUT heals the application.
    const current = await getApp('api');
    current.spec.source.helm.parameters[1].value = DIGEST_A;
    delete current.status;
    const put = await client.json(
      'argocd',
      '/api/v1/applications/api',
      'PUT',
      current,
      auth.argocd,
    );
    expect(put.status).toBe(200);
    await waitFor('api', 'Synced', 'Healthy');

    const terminate = await client.call(
      'argocd',
      '/api/v1/applications/api/operation',
      { method: 'DELETE', headers: auth.argocd },
    );
    expect(terminate.status).toBe(400);

    const del = await client.call(
      'argocd',
      '/api/v1/applications/api?cascade=true',
      { method: 'DELETE', headers: auth.argocd },
    );
    expect(del.status).toBe(200);
    const gone = await client.call(
      'kubernetes',
      '/apis/apps/v1/namespaces/team/deployments/api',
      { headers: auth.kubernetes },
    );
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      code: 404,
    });
    expect(
      (
        await client.call('argocd', '/api/v1/applications/api', {
          headers: auth.argocd,
        })
      ).status,
    ).toBe(404);
  });

  it('renders a database chart as a StatefulSet with a bound PVC', async () => {
    await client.json(
      'argocd',
      '/api/v1/applications',
      'POST',
      {
        metadata: { name: 'orders-db' },
        spec: {
          project: 'default',
          source: {
            repoURL: 'https://charts.example.invalid/bitnami',
            chart: 'postgresql',
            targetRevision: '16.2.1',
            helm: { parameters: [{ name: 'persistence.size', value: '2Gi' }] },
          },
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'orders',
          },
          syncPolicy: { syncOptions: ['CreateNamespace=true'] },
        },
      },
      auth.argocd,
    );
    await client.json(
      'argocd',
      '/api/v1/applications/orders-db/sync',
      'POST',
      { name: 'orders-db' },
      auth.argocd,
    );
    await waitFor('orders-db', 'Synced', 'Healthy');
    const sts = await client.call(
      'kubernetes',
      '/apis/apps/v1/namespaces/orders/statefulsets/orders-db',
      { headers: auth.kubernetes },
    );
    expect(sts.json.status.readyReplicas).toBe(1);
    const pvc = await client.call(
      'kubernetes',
      '/api/v1/namespaces/orders/persistentvolumeclaims/data-orders-db-0',
      { headers: auth.kubernetes },
    );
    expect(pvc.json.status.phase).toBe('Bound');
    expect(pvc.json.spec.resources.requests.storage).toBe('2Gi');
    const svc = await client.call(
      'kubernetes',
      '/api/v1/namespaces/orders/services/orders-db',
      { headers: auth.kubernetes },
    );
    expect(svc.json.spec.ports[0].port).toBe(5432);
    const endpoints = await client.call(
      'kubernetes',
      '/api/v1/namespaces/orders/endpoints/orders-db',
      { headers: auth.kubernetes },
    );
    expect(endpoints.json.subsets[0].addresses).toHaveLength(1);
    const log = await client.call(
      'kubernetes',
      '/api/v1/namespaces/orders/pods/orders-db-0/log',
      { headers: auth.kubernetes },
    );
    expect(log.text).toContain(
      'database system is ready to accept connections',
    );
  });

  it('serves Kubernetes objects with the real error statuses, patches and jobs', async () => {
    const k = auth.kubernetes;
    const ns = await client.json(
      'kubernetes',
      '/api/v1/namespaces',
      'POST',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobs' } },
      k,
    );
    expect(ns.status).toBe(201);
    const dup = await client.json(
      'kubernetes',
      '/api/v1/namespaces',
      'POST',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobs' } },
      k,
    );
    expect(dup.status).toBe(409);
    expect(dup.json.reason).toBe('AlreadyExists');
    const invalid = await client.json(
      'kubernetes',
      '/api/v1/namespaces/jobs/secrets',
      'POST',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'Bad_Name' } },
      k,
    );
    expect(invalid.status).toBe(422);
    expect(invalid.json.reason).toBe('Invalid');

    const secret = await client.json(
      'kubernetes',
      '/api/v1/namespaces/jobs/secrets',
      'POST',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db' },
        stringData: { password: 'pw' },
      },
      k,
    );
    expect(secret.json.data.password).toBe(
      Buffer.from('pw').toString('base64'),
    );
    const replaced = await client.json(
      'kubernetes',
      '/api/v1/namespaces/jobs/secrets/db',
      'PUT',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db' },
        data: { password: Buffer.from('pw2').toString('base64') },
      },
      k,
    );
    expect(replaced.status).toBe(200);
    expect(
      (
        await client.call('kubernetes', '/api/v1/namespaces/jobs/secrets/db', {
          method: 'DELETE',
          headers: k,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await client.call('kubernetes', '/api/v1/namespaces/jobs/secrets/db', {
          headers: k,
        })
      ).status,
    ).toBe(404);

    const dep = await client.json(
      'kubernetes',
      '/apis/apps/v1/namespaces/jobs/deployments',
      'POST',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'web:1' }] },
          },
        },
      },
      k,
    );
    expect(dep.status).toBe(201);
    const merge = await client.call(
      'kubernetes',
      '/apis/apps/v1/namespaces/jobs/deployments/web',
      {
        method: 'PATCH',
        headers: { ...k, 'Content-Type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { replicas: 1 } }),
      },
    );
    expect(merge.json.spec.replicas).toBe(1);
    const strategic = await client.call(
      'kubernetes',
      '/apis/apps/v1/namespaces/jobs/deployments/web',
      {
        method: 'PATCH',
        headers: {
          ...k,
          'Content-Type': 'application/strategic-merge-patch+json',
        },
        body: JSON.stringify({
          spec: {
            template: {
              spec: { containers: [{ name: 'web', image: 'web:2' }] },
            },
          },
        }),
      },
    );
    expect(strategic.json.spec.template.spec.containers).toEqual([
      { name: 'web', image: 'web:2' },
    ]);
    await eventually(async () => {
      const pods = await client.call(
        'kubernetes',
        '/api/v1/namespaces/jobs/pods?labelSelector=app%3Dweb',
        { headers: k },
      );
      return pods.json.items.length === 1 &&
        pods.json.items[0].spec.containers[0].image === 'web:2' &&
        pods.json.items[0].status.phase === 'Running'
        ? true
        : undefined;
    });

    const job = await client.json(
      'kubernetes',
      '/apis/batch/v1/namespaces/jobs/jobs',
      'POST',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'backup-1' },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'backup',
                  image: 'postgres:16',
                  command: ['sh', '-c'],
                  args: ['pg_dump -Fc -f /backups/orders.dump'],
                  env: [{ name: 'PGDATABASE', value: 'orders' }],
                },
              ],
            },
          },
        },
      },
      k,
    );
    expect(job.status).toBe(201);
    const pods = await eventually(async () => {
      const list = await client.call(
        'kubernetes',
        '/api/v1/namespaces/jobs/pods?labelSelector=job-name%3Dbackup-1',
        { headers: k },
      );
      return list.json.items[0]?.status.phase === 'Running'
        ? list.json.items
        : undefined;
    });
    const podName = pods[0].metadata.name;
    const streamed = await fetch(
      `${running.url}/kubernetes/api/v1/namespaces/jobs/pods/${podName}/log?follow=true`,
      { headers: k },
    );
    const text = await streamed.text();
    expect(text).toContain(
      'pg_dump: dumped database "orders" to /backups/orders.dump',
    );
    expect(text).toContain('backup completed');
    const complete = await eventually(async () => {
      const j = await client.call(
        'kubernetes',
        '/apis/batch/v1/namespaces/jobs/jobs/backup-1',
        { headers: k },
      );
      return j.json.status.succeeded === 1 ? j.json : undefined;
    });
    expect(complete.status.conditions.map((c: any) => c.type)).toContain(
      'Complete',
    );
    const jobs = await client.call(
      'kubernetes',
      '/apis/batch/v1/namespaces/jobs/jobs',
      { headers: k },
    );
    expect(jobs.json.items).toHaveLength(1);

    const unauthorized = await client.call('kubernetes', '/api/v1/namespaces', {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(unauthorized.status).toBe(401);
  });

  it('answers Prometheus and Loki queries about the sandbox pods', async () => {
    await client.json(
      'argocd',
      '/api/v1/applications',
      'POST',
      application('web', 'demo', [
        { name: 'image.repository', value: 'demo/web' },
        { name: 'image.digest', value: DIGEST_A },
      ]),
      auth.argocd,
    );
    await client.json(
      'argocd',
      '/api/v1/applications/web/sync',
      'POST',
      { name: 'web' },
      auth.argocd,
    );
    await waitFor('web', 'Synced', 'Healthy');
    await new Promise(r => setTimeout(r, 200));

    const up = await client.call(
      'prometheus',
      `/api/v1/query?query=${encodeURIComponent('up{namespace="demo"}')}`,
    );
    expect(up.json.status).toBe('success');
    expect(up.json.data.resultType).toBe('vector');
    expect(up.json.data.result[0].value[1]).toBe('1');
    const ratio = await client.call(
      'prometheus',
      `/api/v1/query?query=${encodeURIComponent(
        'sum(rate(http_requests_total{namespace="demo",status=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="demo"}[5m]))',
      )}`,
    );
    expect(Number(ratio.json.data.result[0].value[1])).toBeLessThan(0.01);

    const now = Date.now();
    const loki = await client.call(
      'loki',
      `/loki/api/v1/query_range?query=${encodeURIComponent(
        '{namespace="demo"}',
      )}&start=${(now - 60_000) * 1e6}&end=${(now + 1000) * 1e6}&limit=50`,
    );
    expect(loki.json.data.resultType).toBe('streams');
    expect(loki.json.data.result[0].stream.namespace).toBe('demo');
    expect(
      loki.json.data.result[0].values.some((v: string[]) =>
        v[1].includes('Listening on'),
      ),
    ).toBe(true);
  });
});
