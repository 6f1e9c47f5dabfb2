import {
  auth,
  ContractClient,
  eventually,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import type { RunningSandbox } from './sandbox.ts';

const PIPELINE = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job"><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>
<hudson.model.StringParameterDefinition><name>AUTONOMOUS_RELEASE_ID</name><defaultValue></defaultValue></hudson.model.StringParameterDefinition>
</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties></flow-definition>`;

describe('Jenkins queue sandbox', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  const trigger = async (release: string) => {
    const res = await client.call(
      'jenkins',
      '/job/storefront/buildWithParameters',
      {
        method: 'POST',
        headers: {
          ...auth.jenkins,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: `AUTONOMOUS_RELEASE_ID=${release}`,
      },
    );
    expect(res.status).toBe(201);
    return Number(
      /\/queue\/item\/(\d+)\/$/.exec(res.headers.get('location')!)![1],
    );
  };

  const queue = async () =>
    (
      await client.call(
        'jenkins',
        '/queue/api/json?tree=items[id,task[name,url],actions[parameters[name,value]]]',
        { headers: auth.jenkins },
      )
    ).json;

  it('lists the items still waiting, with their job and parameters, as Jenkins does', async () => {
    const created = await client.call(
      'jenkins',
      '/createItem?name=storefront',
      {
        method: 'POST',
        headers: { ...auth.jenkins, 'Content-Type': 'application/xml' },
        body: PIPELINE,
      },
    );
    expect(created.status).toBe(200);
    expect(await queue()).toEqual({
      _class: 'hudson.model.Queue',
      discoverableItems: [],
      items: [],
    });

    await client.control('/timings', 'POST', { queueDelayMs: 60_000 });
    const waitingId = await trigger('rel-1');
    await client.control('/timings', 'POST', { queueDelayMs: 0 });
    const startedId = await trigger('rel-2');

    const body = await eventually(async () => {
      const q = await queue();
      return q.items.length === 1 ? q : undefined;
    });
    const [item] = body.items;
    expect(item).toMatchObject({
      _class: 'hudson.model.Queue$WaitingItem',
      id: waitingId,
      url: `queue/item/${waitingId}/`,
      blocked: false,
      buildable: false,
      stuck: false,
      params: '\nAUTONOMOUS_RELEASE_ID=rel-1',
      task: {
        _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
        name: 'storefront',
        url: `${running.url}/jenkins/job/storefront/`,
      },
    });
    expect(item.why).toMatch(/^In the quiet period\. Expires in \d+\.\d sec$/);
    expect(item.timestamp).toBeGreaterThan(item.inQueueSince);
    expect(item.actions[0]).toEqual({
      _class: 'hudson.model.ParametersAction',
      parameters: [
        {
          _class: 'hudson.model.StringParameterValue',
          name: 'AUTONOMOUS_RELEASE_ID',
          value: 'rel-1',
        },
      ],
    });

    // The item that left the queue is a build that carries its parameters and queue id.
    const build = await client.call('jenkins', '/job/storefront/1/api/json', {
      headers: auth.jenkins,
    });
    expect(build.json.queueId).toBe(startedId);
    expect(build.json.actions[0].parameters).toEqual([
      expect.objectContaining({
        name: 'AUTONOMOUS_RELEASE_ID',
        value: 'rel-2',
      }),
    ]);
    const left = await client.call(
      'jenkins',
      `/queue/item/${startedId}/api/json`,
      { headers: auth.jenkins },
    );
    expect(left.json).toMatchObject({
      _class: 'hudson.model.Queue$LeftItem',
      executable: { number: 1 },
    });
  });

  it('asks for credentials like Jenkins', async () => {
    const res = await client.call('jenkins', '/queue/api/json', {
      invalidOnPurpose: true,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="Jenkins"');
  });
});
