import {
  auth,
  ContractClient,
  eventually,
  startTestSandbox,
} from '../__testUtils__/contractClient.ts';
import type { RunningSandbox } from '../sandbox.ts';

const PIPELINE = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job"><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>
<hudson.model.StringParameterDefinition><name>GIT_COMMIT</name><defaultValue></defaultValue></hudson.model.StringParameterDefinition>
<hudson.model.StringParameterDefinition><name>GIT_BRANCH</name><defaultValue></defaultValue></hudson.model.StringParameterDefinition>
</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties></flow-definition>`;
const FREESTYLE = `<?xml version='1.1' encoding='UTF-8'?><project><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>
<hudson.model.StringParameterDefinition><name>GIT_COMMIT</name><defaultValue></defaultValue></hudson.model.StringParameterDefinition>
</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties><builders/></project>`;

describe('the sandbox Jenkins reports the commit a build was given', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  async function build(job: string, configXml: string, params: object) {
    await client.call('jenkins', `/createItem?name=${job}`, {
      method: 'POST',
      headers: { ...auth.jenkins, 'Content-Type': 'application/xml' },
      body: configXml,
    });
    const trigger = await client.call(
      'jenkins',
      `/job/${job}/buildWithParameters`,
      {
        method: 'POST',
        headers: {
          ...auth.jenkins,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(params as Record<string, string>).toString(),
      },
    );
    const queuePath = new URL(
      trigger.headers.get('location')!,
    ).pathname.replace(/^\/jenkins/, '');
    const number = await eventually(async () => {
      const item = await client.call('jenkins', `${queuePath}api/json`, {
        headers: auth.jenkins,
      });
      return item.json.executable?.number as number | undefined;
    });
    return (
      await client.call('jenkins', `/job/${job}/${number}/api/json`, {
        headers: auth.jenkins,
      })
    ).json;
  }

  const builtRevision = (json: any) =>
    json.actions.find(
      (a: any) => a._class === 'hudson.plugins.git.util.BuildData',
    )?.lastBuiltRevision.SHA1;

  it('checks out the SHA it was given, completed to 40 characters, with a subject', async () => {
    const json = await build('storefront', PIPELINE, {
      GIT_COMMIT: '3F2A9C1',
      GIT_BRANCH: 'main',
    });
    const sha = builtRevision(json);
    expect(sha).toMatch(/^3f2a9c1[0-9a-f]{33}$/);
    const [item] = json.changeSets[0].items;
    expect(item).toMatchObject({ commitId: sha, id: sha });
    expect(item.msg).toMatch(/^[A-Z].+/);
    expect(item.comment).toBe(`${item.msg}\n`);
    // The same SHA resolves to the same commit in every build.
    const again = await build('storefront-2', PIPELINE, {
      GIT_COMMIT: '3f2a9c1',
    });
    expect(builtRevision(again)).toBe(sha);
    expect(again.changeSets[0].items[0].msg).toBe(item.msg);
  });

  it('reports a commit pushed through the webhook control with the message it was pushed with', async () => {
    const sha = 'ab'.repeat(20);
    const message =
      'Checkout button says what it costs\n\nShown before paying.';
    const push = await fetch(`${running.url}/_sandbox/webhooks/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        provider: 'github',
        repository: 'acme/storefront',
        after: sha,
        message,
        // Delivered nowhere that listens: the repository holds the commit all the same.
        url: `${running.url}/_sandbox/nowhere`,
      }),
    });
    expect(push.status).toBe(200);
    const json = await build('storefront-pushed', PIPELINE, {
      GIT_COMMIT: sha.slice(0, 12),
      GIT_BRANCH: 'main',
    });
    expect(builtRevision(json)).toBe(sha);
    expect(json.changeSets[0].items[0]).toMatchObject({
      commitId: sha,
      msg: 'Checkout button says what it costs',
      comment: `${message}\n`,
    });
  });

  it('builds a new head commit of a branch each time, and a freestyle build lists it in changeSet', async () => {
    const first = await build('shop', FREESTYLE, { GIT_COMMIT: 'main' });
    expect(first.changeSets).toBeUndefined();
    expect(first.changeSet.items[0].commitId).toBe(builtRevision(first));
    expect(builtRevision(first)).toMatch(/^[0-9a-f]{40}$/);
    const second = await build('shop-2', FREESTYLE, { GIT_COMMIT: 'main' });
    expect(builtRevision(second)).not.toBe(builtRevision(first));
  });
});
