import {
  auth,
  ContractClient,
  eventually,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import type { RunningSandbox } from './sandbox.ts';

const PIPELINE = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job">
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.StringParameterDefinition>
          <name>IMAGE_REPOSITORY</name>
          <defaultValue>shop/storefront</defaultValue>
        </hudson.model.StringParameterDefinition>
        <hudson.model.StringParameterDefinition>
          <name>IMAGE_TAG</name>
          <defaultValue>latest</defaultValue>
        </hudson.model.StringParameterDefinition>
        <hudson.model.StringParameterDefinition>
          <name>GIT_COMMIT</name>
          <defaultValue></defaultValue>
        </hudson.model.StringParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
</flow-definition>`;

const FOLDER = `<?xml version='1.1' encoding='UTF-8'?>
<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder"><description/></com.cloudbees.hudson.plugins.folder.Folder>`;

const FREESTYLE = `<?xml version='1.1' encoding='UTF-8'?><project><builders/></project>`;

describe('Jenkins and Harbor sandbox', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  const xml = (body: string) => ({
    method: 'POST',
    headers: { ...auth.jenkins, 'Content-Type': 'application/xml' },
    body,
  });

  it('builds a parameterized job in a folder and pushes its image to Harbor', async () => {
    const harbor = await client.json(
      'harbor',
      '/api/v2.0/projects',
      'POST',
      { project_name: 'shop', metadata: { public: 'false' } },
      auth.harbor,
    );
    expect(harbor.status).toBe(201);
    expect(harbor.headers.get('location')).toMatch(
      /^\/api\/v2\.0\/projects\/\d+$/,
    );
    expect(harbor.headers.get('x-autonomous-sandbox')).toBe('true');

    const crumb = await client.call('jenkins', '/crumbIssuer/api/json', {
      headers: auth.jenkins,
    });
    expect(crumb.json.crumbRequestField).toBe('Jenkins-Crumb');

    expect(
      (await client.call('jenkins', '/createItem?name=shop', xml(FOLDER)))
        .status,
    ).toBe(200);
    expect(
      (
        await client.call(
          'jenkins',
          '/job/shop/createItem?name=storefront',
          xml(PIPELINE),
        )
      ).status,
    ).toBe(200);
    const config = await client.call(
      'jenkins',
      '/job/shop/job/storefront/config.xml',
      { headers: auth.jenkins },
    );
    expect(config.text).toContain('IMAGE_REPOSITORY');

    const job = await client.call(
      'jenkins',
      '/job/shop/job/storefront/api/json',
      { headers: auth.jenkins },
    );
    expect(job.json).toMatchObject({
      fullName: 'shop/storefront',
      nextBuildNumber: 1,
      color: 'notbuilt',
    });

    const trigger = await client.call(
      'jenkins',
      '/job/shop/job/storefront/buildWithParameters',
      {
        method: 'POST',
        headers: {
          ...auth.jenkins,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          IMAGE_TAG: 'a1b2c3d',
          GIT_COMMIT: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        }).toString(),
      },
    );
    expect(trigger.status).toBe(201);
    const location = trigger.headers.get('location')!;
    expect(location).toMatch(/\/jenkins\/queue\/item\/\d+\/$/);
    const queuePath = new URL(location).pathname.replace(/^\/jenkins/, '');

    const waiting = await client.call('jenkins', `${queuePath}api/json`, {
      headers: auth.jenkins,
    });
    expect(waiting.json.why).toMatch(/quiet period/);
    expect(waiting.json.executable).toBeUndefined();

    const executable = await eventually(async () => {
      const item = await client.call('jenkins', `${queuePath}api/json`, {
        headers: auth.jenkins,
      });
      return item.json.executable ?? undefined;
    });
    expect(executable.number).toBe(1);
    expect(executable.url).toMatch(/\/job\/shop\/job\/storefront\/1\/$/);

    const running1 = await client.call(
      'jenkins',
      '/job/shop/job/storefront/1/api/json',
      { headers: auth.jenkins },
    );
    expect(running1.json).toMatchObject({
      building: true,
      result: null,
      number: 1,
      queueId: Number(queuePath.split('/')[3]),
    });

    let start = 0;
    let log = '';
    let polls = 0;
    for (;;) {
      const chunk = await client.call(
        'jenkins',
        `/job/shop/job/storefront/1/logText/progressiveText?start=${start}`,
        { headers: auth.jenkins },
      );
      log += chunk.text;
      start = Number(chunk.headers.get('x-text-size'));
      polls++;
      if (chunk.headers.get('x-more-data') !== 'true') break;
      await new Promise(r => setTimeout(r, 40));
    }
    expect(polls).toBeGreaterThan(1);
    expect(start).toBe(Buffer.byteLength(log));
    expect(log).toContain(
      'Checking out Revision a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    );
    expect(log).toContain('+ docker push');
    expect(log).toMatch(/a1b2c3d: digest: sha256:[0-9a-f]{64} size: \d+/);
    expect(log.trimEnd().endsWith('Finished: SUCCESS')).toBe(true);

    const done = await client.call(
      'jenkins',
      '/job/shop/job/storefront/1/api/json',
      { headers: auth.jenkins },
    );
    expect(done.json).toMatchObject({ building: false, result: 'SUCCESS' });
    expect(done.json.duration).toBeGreaterThan(0);
    expect(typeof done.json.timestamp).toBe('number');

    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(log)![1];
    const byTag = await client.call(
      'harbor',
      '/api/v2.0/projects/shop/repositories/storefront/artifacts/a1b2c3d?with_tag=true',
      { headers: auth.harbor },
    );
    expect(byTag.status).toBe(200);
    expect(byTag.json.digest).toBe(digest);
    expect(byTag.json.tags[0].name).toBe('a1b2c3d');
    const byDigest = await client.call(
      'harbor',
      `/api/v2.0/projects/shop/repositories/storefront/artifacts/${digest}`,
      { headers: auth.harbor },
    );
    expect(byDigest.json.repository_name).toBe('shop/storefront');

    const list = await client.call(
      'harbor',
      '/api/v2.0/projects/shop/repositories/storefront/artifacts?with_scan_overview=true&with_tag=true',
      { headers: auth.harbor },
    );
    expect(list.headers.get('x-total-count')).toBe('1');
    const overview = Object.values(list.json[0].scan_overview)[0] as any;
    expect(overview.scan_status).toBe('Success');
    expect(overview.summary.total).toBeGreaterThan(0);

    const repos = await client.call(
      'harbor',
      '/api/v2.0/projects/shop/repositories',
      { headers: auth.harbor },
    );
    expect(repos.json.map((r: any) => r.name)).toEqual(['shop/storefront']);
  });

  it('answers the documented Jenkins errors', async () => {
    const noName = await client.call('jenkins', '/createItem', {
      ...xml(FREESTYLE),
      invalidOnPurpose: true,
    });
    expect(noName.status).toBe(400);
    expect(noName.text).toContain("Query parameter 'name' is required");

    const noType = await client.call('jenkins', '/createItem?name=x', {
      method: 'POST',
      headers: auth.jenkins,
      body: Buffer.from(FREESTYLE),
      invalidOnPurpose: true,
    });
    expect(noType.status).toBe(400);
    expect(noType.text).toContain('No Content-Type header set');

    expect(
      (await client.call('jenkins', '/createItem?name=plain', xml(FREESTYLE)))
        .status,
    ).toBe(200);
    expect(
      (await client.call('jenkins', '/createItem?name=plain', xml(FREESTYLE)))
        .status,
    ).toBe(400);

    const notParameterized = await client.call(
      'jenkins',
      '/job/plain/buildWithParameters?X=1',
      { method: 'POST', headers: auth.jenkins },
    );
    expect(notParameterized.status).toBe(400);
    expect(notParameterized.text).toContain('is not parameterized');

    const plainBuild = await client.call('jenkins', '/job/plain/build', {
      method: 'POST',
      headers: auth.jenkins,
      invalidOnPurpose: true,
    });
    expect(plainBuild.status).toBe(201);

    const unauthorized = await client.call('jenkins', '/job/plain/api/json', {
      headers: {
        Authorization: `Basic ${Buffer.from('autonomous:wrong').toString(
          'base64',
        )}`,
      },
    });
    expect(unauthorized.status).toBe(401);

    const missing = await client.call('jenkins', '/job/nope/api/json', {
      headers: auth.jenkins,
    });
    expect(missing.status).toBe(404);
  });

  it('stops a running build and fails builds on request', async () => {
    await client.json(
      'harbor',
      '/api/v2.0/projects',
      'POST',
      { project_name: 'shop' },
      auth.harbor,
    );
    await client.call('jenkins', '/createItem?name=app', xml(PIPELINE));
    await client.control('/builds', 'POST', { durationMs: 5000, fail: false });
    const trigger = await client.call(
      'jenkins',
      '/job/app/buildWithParameters',
      { method: 'POST', headers: auth.jenkins },
    );
    const queuePath = new URL(
      trigger.headers.get('location')!,
    ).pathname.replace(/^\/jenkins/, '');
    await eventually(
      async () =>
        (
          await client.call('jenkins', `${queuePath}api/json`, {
            headers: auth.jenkins,
          })
        ).json.executable,
    );
    expect(
      (
        await client.call('jenkins', '/job/app/1/stop', {
          method: 'POST',
          headers: auth.jenkins,
          invalidOnPurpose: true,
        })
      ).status,
    ).toBe(200);
    const stopped = await client.call('jenkins', '/job/app/1/api/json', {
      headers: auth.jenkins,
    });
    expect(stopped.json).toMatchObject({ building: false, result: 'ABORTED' });
    const log = await client.call(
      'jenkins',
      '/job/app/1/logText/progressiveText?start=0',
      { headers: auth.jenkins },
    );
    expect(log.headers.get('x-more-data')).toBeNull();
    expect(log.text).toContain('Finished: ABORTED');

    await client.control('/builds', 'POST', { durationMs: 100, fail: true });
    await client.call('jenkins', '/job/app/buildWithParameters', {
      method: 'POST',
      headers: auth.jenkins,
    });
    const failed = await eventually(async () => {
      const b = await client.call('jenkins', '/job/app/2/api/json', {
        headers: auth.jenkins,
      });
      return b.status === 200 && b.json.result ? b.json : undefined;
    });
    expect(failed.result).toBe('FAILURE');
  });

  it('fails the push when the Harbor project does not exist', async () => {
    await client.call('jenkins', '/createItem?name=app', xml(PIPELINE));
    await client.call(
      'jenkins',
      '/job/app/buildWithParameters?IMAGE_REPOSITORY=ghost/app&IMAGE_TAG=v1',
      { method: 'POST', headers: auth.jenkins },
    );
    const result = await eventually(async () => {
      const b = await client.call('jenkins', '/job/app/1/api/json', {
        headers: auth.jenkins,
      });
      return b.status === 200 && b.json.result ? b.json.result : undefined;
    });
    expect(result).toBe('FAILURE');
    const log = await client.call(
      'jenkins',
      '/job/app/1/logText/progressiveText?start=0',
      { headers: auth.jenkins },
    );
    expect(log.text).toContain('project ghost not found');
  });

  it('serves the Harbor project, immutability, retention and robot APIs', async () => {
    expect(
      (
        await client.json(
          'harbor',
          '/api/v2.0/projects',
          'POST',
          { project_name: 'team' },
          auth.harbor,
        )
      ).status,
    ).toBe(201);
    const dup = await client.json(
      'harbor',
      '/api/v2.0/projects',
      'POST',
      { project_name: 'team' },
      auth.harbor,
    );
    expect(dup.status).toBe(409);
    expect(dup.json.errors[0].code).toBe('CONFLICT');

    const project = await client.call('harbor', '/api/v2.0/projects/team', {
      headers: { ...auth.harbor, 'X-Is-Resource-Name': 'true' },
    });
    expect(project.json.name).toBe('team');

    const rule = await client.json(
      'harbor',
      '/api/v2.0/projects/team/immutabletagrules',
      'POST',
      {
        disabled: false,
        action: 'immutable',
        template: 'immutable_template',
        tag_selectors: [
          { kind: 'doublestar', decoration: 'matches', pattern: '**' },
        ],
        scope_selectors: {
          repository: [
            { kind: 'doublestar', decoration: 'repoMatches', pattern: '**' },
          ],
        },
      },
      { ...auth.harbor, 'X-Is-Resource-Name': 'true' },
    );
    expect(rule.status).toBe(201);

    const retention = await client.json(
      'harbor',
      '/api/v2.0/retentions',
      'POST',
      {
        algorithm: 'or',
        rules: [
          {
            action: 'retain',
            template: 'always',
            tag_selectors: [
              { kind: 'doublestar', decoration: 'matches', pattern: '**' },
            ],
            scope_selectors: {
              repository: [
                {
                  kind: 'doublestar',
                  decoration: 'repoMatches',
                  pattern: '**',
                },
              ],
            },
          },
        ],
        trigger: { kind: 'Schedule', settings: { cron: '0 0 0 * * *' } },
        scope: { level: 'project', ref: project.json.project_id },
      },
      auth.harbor,
    );
    expect(retention.status).toBe(201);
    expect(retention.headers.get('location')).toMatch(
      /\/api\/v2\.0\/retentions\/\d+/,
    );

    const robot = await client.json(
      'harbor',
      '/api/v2.0/robots',
      'POST',
      {
        name: 'ci',
        level: 'project',
        duration: -1,
        permissions: [
          {
            kind: 'project',
            namespace: 'team',
            access: [{ resource: 'repository', action: 'push' }],
          },
        ],
      },
      auth.harbor,
    );
    expect(robot.status).toBe(201);
    expect(robot.json.name).toBe('robot$team+ci');
    expect(robot.json.secret).toBeTruthy();

    // The robot's credentials work, a wrong password does not.
    const asRobot = {
      Authorization: `Basic ${Buffer.from(
        `${robot.json.name}:${robot.json.secret}`,
      ).toString('base64')}`,
    };
    expect(
      (
        await client.call('harbor', '/api/v2.0/projects/team/repositories', {
          headers: asRobot,
        })
      ).status,
    ).toBe(200);
    const denied = await client.call('harbor', '/api/v2.0/projects', {
      headers: {
        Authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}`,
      },
    });
    expect(denied.status).toBe(401);

    // An immutable tag cannot be pushed twice.
    expect(
      (
        await client.control('/harbor/push', 'POST', {
          repository: 'team/api',
          tag: 'v1',
        })
      ).digest,
    ).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(
      (
        await client.control('/harbor/push', 'POST', {
          repository: 'team/api',
          tag: 'v1',
        })
      ).message,
    ).toContain('immutable');

    // A repository name with a slash is double-URL-encoded.
    await client.control('/harbor/push', 'POST', {
      repository: 'team/web/frontend',
      tag: 'v2',
    });
    const nested = await client.call(
      'harbor',
      '/api/v2.0/projects/team/repositories/web%252Ffrontend/artifacts/v2',
      { headers: auth.harbor },
    );
    expect(nested.status).toBe(200);
    expect(nested.json.repository_name).toBe('team/web/frontend');
    const missing = await client.call(
      'harbor',
      '/api/v2.0/projects/team/repositories/api/artifacts/nope',
      { headers: auth.harbor },
    );
    expect(missing.status).toBe(404);
  });
});
