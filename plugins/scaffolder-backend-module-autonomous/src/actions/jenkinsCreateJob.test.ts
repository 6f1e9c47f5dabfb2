import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import {
  CheckpointStore,
  JENKINS,
  TestActionContext,
  actionContext,
  testClients,
} from '../__testUtils__/actionContext';
import { createJenkinsCreateJobAction, withClaim } from './jenkinsCreateJob';
import { examples } from './jenkinsCreateJob.examples';

const TEMPLATE = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job">
  <description>Nightly build</description>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
    <script>pipeline { agent any; stages { stage('x') { steps { echo 'hi' } } } }</script>
  </definition>
</flow-definition>
`;

const CLAIM = 'autonomous.dev/entity-ref: component:default/shop';

/** What each example's job config must hold. */
const EXPECTED_CONFIG: Record<string, string[]> = {
  shop: [
    `<description>Builds shop and pushes its image to Harbor\n${CLAIM}</description>`,
    '<url>https://github.com/acme/shop.git</url>',
    '<credentialsId>github-app</credentialsId>',
    '<name>*/main</name>',
    '<scriptPath>Jenkinsfile</scriptPath>',
  ],
  'shop-nightly': [
    `<description>Nightly build\n${CLAIM}</description>`,
    "echo 'hi'",
  ],
};

describe('autonomous:jenkins:create-job', () => {
  const server = setupUpstreamServer([{ system: 'jenkins', baseUrl: JENKINS }]);

  /** Jenkins with a `teams` folder; jobs kept by full name with their config.xml. */
  function serveJenkins(jobs: Record<string, string> = {}) {
    const configs = new Map(Object.entries(jobs));
    const requests: string[] = [];
    const description = (config: string) =>
      /<description>([\s\S]*?)<\/description>/
        .exec(config)?.[1]
        ?.replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>') ?? null;
    const fullName = (url: string) =>
      decodeURIComponent(
        new URL(url).pathname
          .replace('/ci/', '')
          .replace(/\/(api\/json|config\.xml)$/, ''),
      )
        .split('/')
        .filter((_, i) => i % 2 === 1)
        .join('/');
    server.use(
      http.get(`${JENKINS}/job/*`, ({ request }) => {
        const name = fullName(request.url);
        requests.push(`GET ${name}`);
        const config = configs.get(name);
        if (!config) return new HttpResponse('Not found', { status: 404 });
        return HttpResponse.json({
          _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
          name: name.split('/').pop(),
          fullName: name,
          url: `${JENKINS}/job/${name.split('/').join('/job/')}/`,
          description: description(config),
        });
      }),
      http.post(`${JENKINS}/job/teams/createItem`, async ({ request }) => {
        const name = `teams/${new URL(request.url).searchParams.get('name')}`;
        requests.push(`CREATE ${name}`);
        if (configs.has(name)) {
          return new HttpResponse('A job already exists with the name', {
            status: 400,
          });
        }
        configs.set(name, await request.text());
        return new HttpResponse(null, { status: 200 });
      }),
      http.post(`${JENKINS}/job/*`, async ({ request }) => {
        const name = fullName(request.url);
        requests.push(`UPDATE ${name}`);
        configs.set(name, await request.text());
        return new HttpResponse(null, { status: 200 });
      }),
    );
    return { configs, requests };
  }

  const action = () => {
    const clients = testClients();
    return createJenkinsCreateJobAction({
      clients,
      instances: name => clients.instancesOf('jenkins').get(name),
    });
  };

  async function withTemplate(ctx: TestActionContext) {
    await fs.mkdir(join(ctx.workspacePath, 'ci'), { recursive: true });
    await fs.writeFile(join(ctx.workspacePath, 'ci/config.xml'), TEMPLATE);
    return ctx;
  }

  it('checks every request against the Jenkins API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_, example) => {
      const jenkins = serveJenkins();
      const ctx = await withTemplate(actionContext(example.input));
      await action().handler(ctx);
      const full = `teams/${example.input.name}`;
      const config = jenkins.configs.get(full)!;
      for (const part of EXPECTED_CONFIG[example.input.name]) {
        expect(config).toContain(part);
      }
      expect(ctx.output).toHaveBeenCalledWith('jobFullName', full);
      expect(ctx.output).toHaveBeenCalledWith(
        'jobUrl',
        `${JENKINS}/job/teams/job/${example.input.name}/`,
      );
      expect(ctx.output).toHaveBeenCalledWith('result', 'created');
      expect(example.example).toContain(
        `action: ${'autonomous:jenkins:create-job'}`,
      );
    },
  );

  it('updates a job that claims the same entity', async () => {
    const jenkins = serveJenkins();
    const input = examples[0].input;
    await action().handler(actionContext(input));
    const ctx = actionContext({ ...input, branch: 'develop' });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('result', 'updated');
    expect(jenkins.configs.get('teams/shop')).toContain(
      '<name>*/develop</name>',
    );
  });

  it('asks the ownership check before updating a claimed job, not before creating one', async () => {
    const jenkins = serveJenkins();
    const assertOwner = jest.fn(async () => {});
    const clients = testClients();
    const guarded = createJenkinsCreateJobAction({
      clients,
      ownership: { assertOwner },
    });
    await guarded.handler(actionContext(examples[0].input));
    expect(assertOwner).not.toHaveBeenCalled();
    await guarded.handler(actionContext(examples[0].input));
    expect(assertOwner).toHaveBeenCalledWith(
      'component:default/shop',
      expect.objectContaining({ principal: expect.anything() }),
    );
    assertOwner.mockRejectedValueOnce(
      Object.assign(new Error('not yours'), { name: 'NotAllowedError' }),
    );
    jenkins.requests.length = 0;
    await expect(
      guarded.handler(actionContext(examples[0].input)),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(jenkins.requests).toEqual(['GET teams/shop']);
  });

  it('refuses to touch a job that does not claim the entity', async () => {
    const jenkins = serveJenkins({
      'teams/shop':
        '<flow-definition><description>other team</description></flow-definition>',
    });
    await expect(
      action().handler(actionContext(examples[0].input)),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(jenkins.requests).toEqual(['GET teams/shop']);
  });

  it('touches nothing in a dry run', async () => {
    const jenkins = serveJenkins();
    const ctx = actionContext(examples[0].input, { dryRun: true });
    await action().handler(ctx);
    expect(jenkins.requests).toEqual([]);
    expect(ctx.store.ran).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('jobFullName', 'teams/shop');
    expect(ctx.logged.join('\n')).toContain(
      'would create or update pipeline job "teams/shop"',
    );
  });

  it('creates the job once when the task is resumed', async () => {
    const jenkins = serveJenkins();
    const store = new CheckpointStore();
    await action().handler(actionContext(examples[0].input, { store }));
    const resumed = actionContext(examples[0].input, { store });
    await action().handler(resumed);
    expect(jenkins.requests.filter(r => !r.startsWith('GET'))).toEqual([
      'CREATE teams/shop',
    ]);
    expect(resumed.output).toHaveBeenCalledWith('result', 'created');
    expect(store.ran).toEqual(['jenkins.job.ci.teams/shop']);
  });

  it('updates instead of creating twice after a crash that lost the checkpoint', async () => {
    const jenkins = serveJenkins();
    await action().handler(actionContext(examples[0].input));
    await action().handler(actionContext(examples[0].input));
    expect(jenkins.requests.filter(r => r.startsWith('CREATE'))).toEqual([
      'CREATE teams/shop',
    ]);
  });

  it('fails the step when Jenkins refuses', async () => {
    serveJenkins();
    server.use(
      http.post(
        `${JENKINS}/job/teams/createItem`,
        () => new HttpResponse('Forbidden', { status: 403 }),
      ),
    );
    await expect(
      action().handler(actionContext(examples[0].input)),
    ).rejects.toMatchObject({ name: 'UpstreamError', status: 403 });
  });

  it('adds the claim to a template without a description', () => {
    expect(
      withClaim(
        '<flow-definition plugin="x">\n</flow-definition>',
        'autonomous.dev/entity-ref: a:b/c',
      ),
    ).toBe(
      '<flow-definition plugin="x">\n  <description>autonomous.dev/entity-ref: a:b/c</description>\n</flow-definition>',
    );
  });

  const good = examples[0].input;
  it.each([
    [{ ...good, name: 'a/b' }, 'is not a Jenkins item name'],
    [{ ...good, entityRef: 'shop' }, 'is not a full entity ref'],
    [{ ...good, repoUrl: 'not a url' }, 'is not a Git URL'],
    [{ ...good, branch: 'a..b' }, 'is not a branch name'],
    [{ ...good, configXmlPath: 'ci/config.xml' }, 'not both'],
    [
      { ...good, repoUrl: undefined, configXmlPath: '../x.xml' },
      'outside the workspace',
    ],
    [
      { ...good, repoUrl: undefined, configXmlPath: 'missing.xml' },
      'is not a file',
    ],
    [{ ...good, instance: 'other' }, 'no jenkins instance is named "other"'],
  ])('rejects bad input %j', async (input, message) => {
    const jenkins = serveJenkins();
    await expect(action().handler(actionContext(input))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(jenkins.requests).toEqual([]);
  });
});
