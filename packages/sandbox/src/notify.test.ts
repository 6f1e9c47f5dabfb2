import {
  auth,
  ContractClient,
  eventually,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import { startNotificationReceiver } from './__testUtils__/notificationReceiver.ts';
import type { RunningSandbox } from './sandbox.ts';
import { startSandbox } from './sandbox.ts';

const JOB_XML = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job"><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>
<hudson.model.StringParameterDefinition><name>GIT_COMMIT</name><defaultValue></defaultValue></hudson.model.StringParameterDefinition>
<hudson.model.StringParameterDefinition><name>AUTONOMOUS_RELEASE_ID</name><defaultValue></defaultValue></hudson.model.StringParameterDefinition>
</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties></flow-definition>`;
const FOLDER_XML = `<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder"/>`;

function application(name: string, namespace: string, syncOptions: string[]) {
  return {
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://charts.example.invalid/autonomous',
        chart: 'web-service',
        targetRevision: '1.0.0',
        helm: {
          parameters: [
            { name: 'image.repository', value: 'registry.invalid/shop/web' },
            { name: 'image.digest', value: `sha256:${'b'.repeat(64)}` },
          ],
        },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      syncPolicy: { syncOptions },
    },
  };
}

describe('notifications from the sandbox', () => {
  let running: RunningSandbox;
  let client: ContractClient;
  let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;
  const logged: string[] = [];

  beforeEach(async () => {
    logged.length = 0;
    receiver = await startNotificationReceiver();
    ({ running, client } = await startTestSandbox({
      notify: {
        jenkinsUrl: `${receiver.url}/jenkins`,
        argocdUrl: `${receiver.url}/argocd`,
        token: 'sandbox-notifications',
      },
      log: message => logged.push(message),
    }));
  });

  afterEach(async () => {
    await running.stop();
    await receiver.stop();
    client.assertNoProblems();
  });

  const xml = (body: string) => ({
    method: 'POST',
    headers: { ...auth.jenkins, 'Content-Type': 'application/xml' },
    body,
  });

  it('posts the Notification plugin JSON for each phase of a Jenkins build, without being asked', async () => {
    await client.call('jenkins', '/createItem?name=shop', xml(FOLDER_XML));
    await client.call(
      'jenkins',
      '/job/shop/createItem?name=storefront',
      xml(JOB_XML),
    );
    await client.call(
      'jenkins',
      '/job/shop/job/storefront/buildWithParameters',
      {
        method: 'POST',
        headers: {
          ...auth.jenkins,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'GIT_COMMIT=0123456789abcdef0123456789abcdef01234567&AUTONOMOUS_RELEASE_ID=rel-7',
      },
    );
    // No request reaches the sandbox from here on: its own clock moves the build on.
    const phases = await eventually(async () => {
      const bodies = receiver.bodies('/jenkins');
      return bodies.length === 3 ? bodies : undefined;
    });
    expect(phases.map(b => [b.build.phase, b.build.status])).toEqual([
      ['STARTED', undefined],
      ['COMPLETED', 'SUCCESS'],
      ['FINALIZED', 'SUCCESS'],
    ]);
    expect(phases[2]).toEqual({
      name: 'storefront',
      display_name: 'storefront',
      url: 'job/shop/job/storefront/',
      build: expect.objectContaining({
        full_url: `${running.url}/jenkins/job/shop/job/storefront/1/`,
        number: 1,
        queue_id: expect.any(Number),
        phase: 'FINALIZED',
        status: 'SUCCESS',
        url: 'job/shop/job/storefront/1/',
        parameters: {
          GIT_COMMIT: '0123456789abcdef0123456789abcdef01234567',
          AUTONOMOUS_RELEASE_ID: 'rel-7',
        },
        scm: expect.objectContaining({
          commit: '0123456789abcdef0123456789abcdef01234567',
        }),
      }),
    });
    const [first] = receiver.received;
    expect(first.headers.authorization).toBe('Bearer sandbox-notifications');
    expect(first.headers['content-type']).toBe('application/json');
  });

  it('posts argocd-notifications webhooks when a sync ends and when health changes', async () => {
    const created = await client.json(
      'argocd',
      '/api/v1/applications?upsert=true',
      'POST',
      application('web', 'web-production', ['CreateNamespace=true']),
      auth.argocd,
    );
    expect(created.status).toBe(200);
    await client.json(
      'argocd',
      '/api/v1/applications/web/sync',
      'POST',
      {},
      auth.argocd,
    );
    const events = await eventually(async () => {
      const bodies = receiver.bodies('/argocd');
      return bodies.some(b => b.event === 'on-deployed') ? bodies : undefined;
    });
    expect(events[0]).toEqual({
      app: 'web',
      event: 'on-sync-succeeded',
      syncStatus: 'Synced',
      healthStatus: expect.any(String),
      revision: '1.0.0',
    });
    expect(events.map(e => e.event)).toContain('on-health-changed');
    expect(events[events.length - 1]).toMatchObject({
      event: 'on-deployed',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
    });

    // A new digest: on-deployed waits for the new pods, not the old ones still Healthy.
    const next = application('web', 'web-production', ['CreateNamespace=true']);
    next.spec.source.helm.parameters[1].value = `sha256:${'c'.repeat(64)}`;
    await client.json(
      'argocd',
      '/api/v1/applications?upsert=true',
      'POST',
      next,
      auth.argocd,
    );
    const seen = receiver.bodies('/argocd').length;
    await client.json(
      'argocd',
      '/api/v1/applications/web/sync',
      'POST',
      {},
      auth.argocd,
    );
    const second = await eventually(async () => {
      const bodies = receiver.bodies('/argocd').slice(seen);
      return bodies.some(b => b.event === 'on-deployed') ? bodies : undefined;
    });
    expect(second.map(b => `${b.event} ${b.healthStatus}`)).toEqual([
      'on-sync-succeeded Progressing',
      'on-health-changed Progressing',
      'on-health-changed Healthy',
      'on-deployed Healthy',
    ]);

    await client.control('/argocd/degrade', 'POST', { application: 'web' });
    const degraded = await eventually(async () =>
      receiver.bodies('/argocd').find(b => b.event === 'on-health-degraded'),
    );
    expect(degraded).toMatchObject({ app: 'web', healthStatus: 'Degraded' });

    // Without CreateNamespace=true the namespace is missing and the sync fails.
    await client.json(
      'argocd',
      '/api/v1/applications?upsert=true',
      'POST',
      application('api', 'api-production', []),
      auth.argocd,
    );
    await client.json(
      'argocd',
      '/api/v1/applications/api/sync',
      'POST',
      {},
      auth.argocd,
    );
    const failed = await eventually(async () =>
      receiver.bodies('/argocd').find(b => b.app === 'api'),
    );
    expect(failed).toMatchObject({
      event: 'on-sync-failed',
      syncStatus: 'OutOfSync',
    });
  });

  it('retries a refused delivery once, and logs a second failure without stopping', async () => {
    receiver.answers.push(503);
    await client.json(
      'argocd',
      '/api/v1/applications?upsert=true',
      'POST',
      application('retry', 'retry-production', ['CreateNamespace=true']),
      auth.argocd,
    );
    await client.json(
      'argocd',
      '/api/v1/applications/retry/sync',
      'POST',
      {},
      auth.argocd,
    );
    await eventually(async () =>
      receiver.bodies('/argocd').find(b => b.event === 'on-deployed'),
    );
    const firstTwo = receiver.received.slice(0, 2).map(r => r.body.event);
    expect(firstTwo).toEqual(['on-sync-succeeded', 'on-sync-succeeded']);
    expect(logged).toEqual([]);

    await receiver.stop();
    await client.control('/argocd/degrade', 'POST', { application: 'retry' });
    await eventually(async () => (logged.length ? logged : undefined));
    expect(logged[0]).toMatch(
      /^sandbox: a notification to http:\/\/127\.0\.0\.1:\d+\/argocd failed twice \(.+\); the sandbox goes on$/,
    );
    const status = await client.control('/notify');
    expect(status.deliveries.failed).toBe(1);
    expect(status.token).toBe('***');
    const app = await client.call('argocd', '/api/v1/applications/retry', {
      headers: auth.argocd,
    });
    expect(app.status).toBe(200);
    receiver = await startNotificationReceiver();
  });
});

describe('notification settings', () => {
  it('are changed at run time through the control API, and refused with a reason', async () => {
    const { running, client } = await startTestSandbox();
    const receiver = await startNotificationReceiver();
    try {
      expect(await client.control('/notify')).toEqual({
        deliveries: { sent: 0, failed: 0 },
      });
      const bad = await fetch(`${running.url}/_sandbox/notify`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jenkinsUrl: 'localhost:7007/jenkins' }),
      });
      expect(bad.status).toBe(400);
      expect((await bad.json()).message).toBe(
        'jenkinsUrl must be an http or https URL such as http://localhost:7007/api/autonomous/notifications/jenkins; got "localhost:7007/jenkins"',
      );
      expect(
        await client.control('/notify', 'POST', {
          jenkinsUrl: `${receiver.url}/j`,
        }),
      ).toMatchObject({ jenkinsUrl: `${receiver.url}/j` });
      await client.call('jenkins', '/createItem?name=job', {
        method: 'POST',
        headers: { ...auth.jenkins, 'Content-Type': 'application/xml' },
        body: '<project/>',
      });
      await client.call('jenkins', '/job/job/build', {
        method: 'POST',
        headers: auth.jenkins,
      });
      await eventually(async () =>
        receiver.bodies('/j').find(b => b.build.phase === 'FINALIZED'),
      );
      expect(receiver.received[0].headers.authorization).toBeUndefined();

      expect(await client.control('/notify', 'DELETE')).toEqual({
        deliveries: { sent: 3, failed: 0 },
      });
      const before = receiver.received.length;
      await client.call('jenkins', '/job/job/build', {
        method: 'POST',
        headers: auth.jenkins,
      });
      await eventually(async () => {
        const job = await client.call('jenkins', '/job/job/2/api/json', {
          headers: auth.jenkins,
        });
        return job.json?.result ?? undefined;
      });
      await running.sandbox.notifications.settled();
      expect(receiver.received.length).toBe(before);
    } finally {
      await running.stop();
      await receiver.stop();
      client.assertNoProblems();
    }
  });

  it('refuses a bad setting before the sandbox opens its port', async () => {
    await expect(
      startSandbox({ port: 0, notify: { argocdUrl: 'ftp://x', token: 'a b' } }),
    ).rejects.toThrow('sandbox notify: argocdUrl must be an http or https URL');
  });
});
