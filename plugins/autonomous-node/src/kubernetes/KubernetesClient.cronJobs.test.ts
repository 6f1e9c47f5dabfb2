import { http, HttpResponse } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { KubernetesClient } from './KubernetesClient';

const BASE = 'http://k8s.test/clusters/main';
const TOKEN = 'k8s-sa-token-abcdefgh';

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

const cronJob = (schedule: string) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: {
    name: 'payments-backup',
    labels: { 'autonomous.dev/database': 'payments' },
  },
  spec: {
    schedule,
    concurrencyPolicy: 'Forbid',
    jobTemplate: {
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'backup', image: 'postgres:16' }],
          },
        },
      },
    },
  },
});

describe('KubernetesClient CronJobs and Jobs', () => {
  const server = setupUpstreamServer([{ system: 'kubernetes', baseUrl: BASE }]);
  const client = () =>
    new KubernetesClient(
      { name: 'main', url: BASE, token: TOKEN },
      { fetch: (input, init) => fetch(input, init), sleep: async () => {} },
    );
  const path = `${BASE}/apis/batch/v1/namespaces/db-payments/cronjobs`;

  it('checks every request against the Kubernetes API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it('creates a CronJob, then replaces it with the live resourceVersion', async () => {
    const seen: string[] = [];
    let stored: any;
    server.use(
      http.post(path, async ({ request }) => {
        if (stored)
          return status(
            409,
            'AlreadyExists',
            'cronjobs.batch "payments-backup" already exists',
          );
        stored = { ...((await request.json()) as any) };
        stored.metadata.resourceVersion = '7';
        seen.push(`create ${stored.spec.schedule}`);
        return HttpResponse.json(stored, { status: 201 });
      }),
      http.get(`${path}/payments-backup`, () =>
        stored
          ? HttpResponse.json(stored)
          : status(404, 'NotFound', 'not found'),
      ),
      http.put(`${path}/payments-backup`, async ({ request }) => {
        const body = (await request.json()) as any;
        seen.push(
          `replace ${body.spec.schedule} at ${body.metadata.resourceVersion}`,
        );
        stored = {
          ...body,
          metadata: { ...body.metadata, resourceVersion: '8' },
        };
        return HttpResponse.json(stored);
      }),
    );
    const c = client();
    expect(
      await c.getCronJob('db-payments', 'payments-backup'),
    ).toBeUndefined();
    await c.createOrReplaceCronJob('db-payments', cronJob('0 3 * * *') as any);
    await c.createOrReplaceCronJob('db-payments', cronJob('30 1 * * *') as any);
    expect(seen).toEqual(['create 0 3 * * *', 'replace 30 1 * * * at 7']);
    const live = await c.getCronJob('db-payments', 'payments-backup');
    expect(live?.spec?.schedule).toBe('30 1 * * *');
  });

  it('deletes a CronJob with its Jobs, and a missing one without error', async () => {
    let deleted = 0;
    server.use(
      http.delete(`${path}/payments-backup`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('propagationPolicy')).toBe(
          'Background',
        );
        deleted++;
        return deleted === 1
          ? HttpResponse.json({
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Success',
            })
          : status(
              404,
              'NotFound',
              'cronjobs.batch "payments-backup" not found',
            );
      }),
    );
    await client().deleteCronJob('db-payments', 'payments-backup');
    await client().deleteCronJob('db-payments', 'payments-backup');
    expect(deleted).toBe(2);
  });

  it('lists Jobs by label selector and returns an existing Job instead of a second one', async () => {
    const jobs = `${BASE}/apis/batch/v1/namespaces/db-payments/jobs`;
    let creates = 0;
    server.use(
      http.get(jobs, ({ request }) => {
        expect(new URL(request.url).searchParams.get('labelSelector')).toBe(
          'autonomous.dev/database=payments,autonomous.dev/job-kind=scheduled-backup',
        );
        return HttpResponse.json({
          apiVersion: 'batch/v1',
          kind: 'JobList',
          metadata: {},
          items: [{ metadata: { name: 'payments-backup-29412345' } }],
        });
      }),
      http.post(jobs, async ({ request }) => {
        creates++;
        return creates === 1
          ? HttpResponse.json(await request.json(), { status: 201 })
          : status(
              409,
              'AlreadyExists',
              'jobs.batch "backup-1" already exists',
            );
      }),
      http.get(`${jobs}/backup-1`, () =>
        HttpResponse.json({ metadata: { name: 'backup-1', uid: 'first' } }),
      ),
    );
    const c = client();
    const listed = await c.listJobs(
      'db-payments',
      'autonomous.dev/database=payments,autonomous.dev/job-kind=scheduled-backup',
    );
    expect(listed.map(j => j.metadata?.name)).toEqual([
      'payments-backup-29412345',
    ]);
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'backup-1' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'backup', image: 'postgres:16' }],
          },
        },
      },
    };
    await c.ensureJob('db-payments', job);
    const again = await c.ensureJob('db-payments', job);
    expect(again.metadata?.uid).toBe('first');
    expect(creates).toBe(2);
  });
});
