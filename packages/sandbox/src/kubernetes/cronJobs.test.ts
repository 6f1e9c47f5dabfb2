import {
  auth,
  eventually,
  startTestSandbox,
} from '../__testUtils__/contractClient.ts';
import type { ContractClient } from '../__testUtils__/contractClient.ts';
import { waitForJob } from '../__testUtils__/databaseJobs.ts';
import type { RunningSandbox } from '../sandbox.ts';

const NS = 'db-orders';
const BASE = `/apis/batch/v1/namespaces/${NS}/cronjobs`;

function cronJob(
  name: string,
  schedule: string,
  extra: Record<string, unknown> = {},
) {
  return {
    metadata: {
      name,
      labels: { 'autonomous.dev/database': 'orders' },
    },
    spec: {
      schedule,
      successfulJobsHistoryLimit: 2,
      jobTemplate: {
        metadata: {
          labels: {
            'autonomous.dev/database': 'orders',
            'autonomous.dev/job-kind': 'scheduled-backup',
          },
        },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'backup',
                  image: 'mongo-tools:7',
                  command: ['/bin/sh', '-c', 'mongodump --archive | upload'],
                  env: [
                    {
                      name: 'JOB_NAME',
                      valueFrom: {
                        fieldRef: { fieldPath: "metadata.labels['job-name']" },
                      },
                    },
                    { name: 'AUTONOMOUS_ENGINE', value: 'mongodb' },
                    { name: 'AUTONOMOUS_DB_NAME', value: 'orders' },
                    { name: 'AUTONOMOUS_DB_USER', value: 'orders_owner' },
                    {
                      name: 'AUTONOMOUS_BACKUP_TARGET',
                      value:
                        's3://autonomous-backups/orders/scheduled/$(JOB_NAME).dump',
                    },
                  ],
                },
              ],
            },
          },
        },
      },
      ...extra,
    },
  };
}

describe('CronJobs', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
    await client.json(
      'kubernetes',
      '/api/v1/namespaces',
      'POST',
      { metadata: { name: NS } },
      auth.kubernetes,
    );
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  const get = async (name: string) =>
    (
      await client.call('kubernetes', `${BASE}/${name}`, {
        headers: auth.kubernetes,
      })
    ).json;

  it('are created, read, listed, replaced, patched and deleted like the API server does', async () => {
    const bad = await client.json(
      'kubernetes',
      BASE,
      'POST',
      cronJob('nightly', '61 * * * *'),
      auth.kubernetes,
    );
    expect(bad.status).toBe(422);
    expect(bad.json.message).toContain('spec.schedule');

    const created = await client.json(
      'kubernetes',
      BASE,
      'POST',
      cronJob('nightly', '0 3 * * *'),
      auth.kubernetes,
    );
    expect(created.status).toBe(201);
    expect(created.json.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 2,
      failedJobsHistoryLimit: 1,
    });
    const again = await client.json(
      'kubernetes',
      BASE,
      'POST',
      cronJob('nightly', '0 3 * * *'),
      auth.kubernetes,
    );
    expect(again.status).toBe(409);

    const list = await client.call(
      'kubernetes',
      `${BASE}?labelSelector=autonomous.dev%2Fdatabase%3Dorders`,
      {
        headers: auth.kubernetes,
      },
    );
    expect(list.json.kind).toBe('CronJobList');
    expect(list.json.items.map((c: any) => c.metadata.name)).toEqual([
      'nightly',
    ]);

    const current = await get('nightly');
    const replaced = await client.json(
      'kubernetes',
      `${BASE}/nightly`,
      'PUT',
      { ...current, spec: { ...current.spec, schedule: '30 2 * * *' } },
      auth.kubernetes,
    );
    expect(replaced.status).toBe(200);
    expect(replaced.json.spec.schedule).toBe('30 2 * * *');

    const patched = await client.json(
      'kubernetes',
      `${BASE}/nightly`,
      'PATCH',
      { spec: { suspend: true } },
      { ...auth.kubernetes, 'Content-Type': 'application/merge-patch+json' },
    );
    expect(patched.json.spec).toMatchObject({
      suspend: true,
      schedule: '30 2 * * *',
    });
    const badPatch = await client.json(
      'kubernetes',
      `${BASE}/nightly`,
      'PATCH',
      { spec: { schedule: 'every day' } },
      { ...auth.kubernetes, 'Content-Type': 'application/merge-patch+json' },
    );
    expect(badPatch.status).toBe(422);

    const deleted = await client.call('kubernetes', `${BASE}/nightly`, {
      method: 'DELETE',
      headers: auth.kubernetes,
    });
    expect(deleted.status).toBe(200);
    expect(
      (
        await client.call('kubernetes', `${BASE}/nightly`, {
          headers: auth.kubernetes,
        })
      ).status,
    ).toBe(404);
  }, 30_000);

  it('runs now on request: a Job named <cronjob>-<minutes> whose env resolves the downward API and $(VAR)', async () => {
    await client.json(
      'kubernetes',
      BASE,
      'POST',
      cronJob('nightly', '0 3 * * *'),
      auth.kubernetes,
    );
    const run = await client.control(
      `/kubernetes/cronjobs/${NS}/nightly/run`,
      'POST',
      {},
    );
    const minutes = Math.floor(Date.parse(run.scheduledTime) / 60_000);
    expect(run.job).toBe(`nightly-${minutes}`);

    const { outcome, log, job } = await waitForJob(client, NS, run.job);
    expect(outcome).toBe('Complete');
    expect(job.metadata.labels['autonomous.dev/job-kind']).toBe(
      'scheduled-backup',
    );
    expect(job.metadata.ownerReferences[0]).toMatchObject({
      kind: 'CronJob',
      name: 'nightly',
    });
    const target = `s3://autonomous-backups/orders/scheduled/${run.job}.dump`;
    expect(log).toContain(`wrote `);
    expect(log).toContain(target);
    const object = await fetch(
      `${running.url}/s3/autonomous-backups/orders/scheduled/${run.job}.dump`,
    );
    expect(object.status).toBe(200);
    expect(await object.text()).toContain('placeholder dump');

    const cj = await eventually(async () => {
      const got = await get('nightly');
      return got.status.lastSuccessfulTime && !got.status.active
        ? got
        : undefined;
    });
    expect(cj.status.lastScheduleTime).toBe(run.scheduledTime);
  }, 30_000);

  it('creates a Job at each due time, skips one on request (a missed run) and keeps the history limit', async () => {
    const created = await client.json(
      'kubernetes',
      BASE,
      'POST',
      cronJob('every-minute', '* * * * *'),
      auth.kubernetes,
    );
    const uid = created.json.metadata.uid;
    const controller = running.sandbox.kubernetes.cronJobs;
    const minute = Math.floor(Date.now() / 60_000) * 60_000;

    // The clock moves past the next due minute: a Job for it.
    controller.advance(minute + 60_000 + 5_000);
    let cj = await get('every-minute');
    expect(cj.status.lastScheduleTime).toBe(
      new Date(minute + 60_000).toISOString().replace('.000', ''),
    );
    expect(cj.status.active.map((a: any) => a.name)).toEqual([
      `every-minute-${minute / 60_000 + 1}`,
    ]);

    // Skip the next one: no Job, lastScheduleTime stays, a MissSchedule event says why.
    const skipped = await client.control(
      `/kubernetes/cronjobs/${NS}/every-minute/skip-next`,
      'POST',
    );
    expect(skipped).toMatchObject({
      skipNext: true,
      nextScheduleTime: new Date(minute + 120_000)
        .toISOString()
        .replace('.000', ''),
    });
    controller.advance(minute + 120_000 + 5_000);
    cj = await get('every-minute');
    expect(cj.status.lastScheduleTime).toBe(
      new Date(minute + 60_000).toISOString().replace('.000', ''),
    );
    const events = await client.call(
      'kubernetes',
      `/api/v1/namespaces/${NS}/events?fieldSelector=${encodeURIComponent(
        `involvedObject.uid=${uid}`,
      )}`,
      { headers: auth.kubernetes },
    );
    expect(events.json.items.map((e: any) => e.reason)).toContain(
      'MissSchedule',
    );

    // After a long pause only the latest missed run starts.
    controller.advance(minute + 10 * 60_000 + 5_000);
    const jobs = await client.call(
      'kubernetes',
      `/apis/batch/v1/namespaces/${NS}/jobs`,
      { headers: auth.kubernetes },
    );
    expect(jobs.json.items.map((j: any) => j.metadata.name).sort()).toEqual([
      `every-minute-${minute / 60_000 + 1}`,
      `every-minute-${minute / 60_000 + 10}`,
    ]);

    // Suspended: nothing more.
    await client.json(
      'kubernetes',
      `${BASE}/every-minute`,
      'PATCH',
      { spec: { suspend: true } },
      { ...auth.kubernetes, 'Content-Type': 'application/merge-patch+json' },
    );
    controller.advance(minute + 11 * 60_000 + 5_000);
    expect((await get('every-minute')).status.lastScheduleTime).toBe(
      new Date(minute + 10 * 60_000).toISOString().replace('.000', ''),
    );

    // Three more runs end: only successfulJobsHistoryLimit (2) finished Jobs are kept.
    for (const offset of [20, 21, 22]) {
      const run = await client.control(
        `/kubernetes/cronjobs/${NS}/every-minute/run`,
        'POST',
        {
          scheduledTime: new Date(minute + offset * 60_000).toISOString(),
        },
      );
      await waitForJob(client, NS, run.job);
    }
    const kept = await eventually(async () => {
      const got = await client.call(
        'kubernetes',
        `/apis/batch/v1/namespaces/${NS}/jobs`,
        { headers: auth.kubernetes },
      );
      return got.json.items.length === 2 ? got.json.items : undefined;
    });
    expect(kept.map((j: any) => j.metadata.name).sort()).toEqual([
      `every-minute-${minute / 60_000 + 21}`,
      `every-minute-${minute / 60_000 + 22}`,
    ]);
  }, 30_000);
});
