import { http, HttpResponse } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import {
  CheckpointStore,
  HARBOR,
  VAULT,
  actionContext,
  testClients,
  visibleTrace,
} from '../__testUtils__/actionContext';
import { serveVault } from '../__testUtils__/serveVault';
import { createHarborCreateProjectAction } from './harborCreateProject';
import { examples } from './harborCreateProject.examples';

const API = `${HARBOR}/api/v2.0`;
const ROBOT_SECRET = 'Robot-S3cret-0123456789abcdef';

describe('autonomous:harbor:create-project', () => {
  const server = setupUpstreamServer([
    { system: 'harbor', baseUrl: HARBOR },
    { system: 'vault', baseUrl: VAULT },
  ]);

  /** An in-memory Harbor: projects, immutability rules, retention policies, robots. */
  function serveHarbor() {
    const projects = new Map<
      string,
      { id: number; retention?: any; immutable: any[] }
    >();
    const robots = new Map<
      string,
      { id: number; description: string; permissions: any }
    >();
    const requests: string[] = [];
    server.use(
      http.post(`${API}/projects`, async ({ request }) => {
        const body = (await request.json()) as any;
        requests.push(`POST project ${body.project_name}`);
        if (projects.has(body.project_name)) {
          return HttpResponse.json(
            { errors: [{ code: 'CONFLICT', message: 'already exists' }] },
            { status: 409 },
          );
        }
        projects.set(body.project_name, {
          id: projects.size + 7,
          immutable: [],
        });
        return new HttpResponse(null, { status: 201 });
      }),
      http.get(`${API}/projects/:name`, ({ params }) => {
        const p = projects.get(String(params.name));
        if (!p) {
          return HttpResponse.json(
            { errors: [{ code: 'NOT_FOUND', message: 'not found' }] },
            { status: 404 },
          );
        }
        return HttpResponse.json({
          project_id: p.id,
          name: params.name,
          metadata: p.retention
            ? { public: 'false', retention_id: '3' }
            : { public: 'false' },
        });
      }),
      http.get(`${API}/projects/:name/immutabletagrules`, ({ params }) =>
        HttpResponse.json(projects.get(String(params.name))?.immutable ?? []),
      ),
      http.post(
        `${API}/projects/:name/immutabletagrules`,
        async ({ params, request }) => {
          requests.push(`POST immutable ${params.name}`);
          const rule = await request.json();
          projects
            .get(String(params.name))!
            .immutable.push({ id: 1, ...(rule as object) });
          return new HttpResponse(null, { status: 201 });
        },
      ),
      http.post(`${API}/retentions`, async ({ request }) => {
        const body = (await request.json()) as any;
        const entry = [...projects.entries()].find(
          ([, p]) => p.id === body.scope.ref,
        )!;
        requests.push(`POST retention ${entry[0]}`);
        entry[1].retention = body;
        return new HttpResponse(null, { status: 201 });
      }),
      http.post(`${API}/robots`, async ({ request }) => {
        const body = (await request.json()) as any;
        const project = body.permissions[0].namespace;
        const name = `robot$${project}+${body.name}`;
        requests.push(`POST robot ${name}`);
        if (robots.has(name)) {
          return HttpResponse.json(
            { errors: [{ code: 'CONFLICT', message: 'robot exists' }] },
            { status: 409 },
          );
        }
        robots.set(name, {
          id: robots.size + 1,
          description: body.description,
          permissions: body.permissions,
        });
        return HttpResponse.json(
          { id: robots.size, name, secret: ROBOT_SECRET, expires_at: -1 },
          { status: 201 },
        );
      }),
    );
    return { projects, robots, requests };
  }

  const action = () =>
    createHarborCreateProjectAction({ clients: testClients() });

  it('checks every request against the Harbor and Vault API contracts', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_, example) => {
      const harbor = serveHarbor();
      const vault = serveVault(server);
      const { input } = example;
      const ctx = actionContext(input);
      await action().handler(ctx);

      const project = harbor.projects.get(input.project)!;
      expect(project.immutable).toEqual([
        expect.objectContaining({
          action: 'immutable',
          tag_selectors: [
            expect.objectContaining({
              pattern: input.immutableTagPattern ?? '**',
            }),
          ],
        }),
      ]);
      expect(project.retention).toMatchObject({
        rules: [
          {
            template: 'latestPushedK',
            params: { latestPushedK: input.retainLatestPushed ?? 50 },
          },
        ],
        trigger: {
          settings: { cron: input.retentionCron ?? '0 0 0 * * *' },
        },
      });
      const robotName = `robot$${input.project}+${input.robotName ?? 'ci'}`;
      expect(harbor.robots.get(robotName)!.permissions[0]).toMatchObject({
        kind: 'project',
        namespace: input.project,
      });
      expect(vault.store.get(input.vaultPath)!.data).toEqual({
        username: robotName,
        password: ROBOT_SECRET,
        registry: 'harbor.test',
      });
      expect((ctx.output as jest.Mock).mock.calls).toEqual(
        expect.arrayContaining([
          ['project', input.project],
          ['projectId', project.id],
          ['registryHost', 'harbor.test'],
          ['imagePrefix', `harbor.test/${input.project}`],
          ['robotAccount', robotName],
          ['vaultPath', input.vaultPath],
          ['vaultMount', 'secret'],
        ]),
      );
      // The secret went to Vault and nowhere else: not the log, outputs or checkpoints.
      expect(visibleTrace(ctx)).not.toContain(ROBOT_SECRET);
      expect(example.example).toContain(
        `action: ${'autonomous:harbor:create-project'}`,
      );
    },
  );

  it('names the entity in the robot account description', async () => {
    const harbor = serveHarbor();
    serveVault(server);
    await action().handler(actionContext(examples[0].input));
    expect(harbor.robots.get('robot$shop+ci')!.description).toBe(
      'CI pushes to shop; autonomous.dev/entity-ref: component:default/shop',
    );
  });

  it('touches nothing in a dry run', async () => {
    const harbor = serveHarbor();
    const vault = serveVault(server);
    const ctx = actionContext(examples[0].input, { dryRun: true });
    await action().handler(ctx);
    expect(harbor.requests).toEqual([]);
    expect(vault.requests).toEqual([]);
    expect(ctx.store.ran).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('vaultPath', 'ci/harbor/shop');
    expect(ctx.logged.join('\n')).toContain(
      'would create Harbor project "shop"',
    );
  });

  it('creates nothing twice when the task is resumed', async () => {
    const harbor = serveHarbor();
    const vault = serveVault(server);
    const store = new CheckpointStore();
    await action().handler(actionContext(examples[0].input, { store }));
    const resumed = actionContext(examples[0].input, { store });
    await action().handler(resumed);
    expect(harbor.requests).toEqual([
      'POST project shop',
      'POST immutable shop',
      'POST retention shop',
      'POST robot robot$shop+ci',
    ]);
    expect(vault.requests.filter(r => r.startsWith('POST'))).toHaveLength(1);
    expect(resumed.output).toHaveBeenCalledWith(
      'robotAccount',
      'robot$shop+ci',
    );
    expect(JSON.stringify([...store.values])).not.toContain(ROBOT_SECRET);
  });

  it('creates no second robot after a crash once the secret was in Vault but not recorded', async () => {
    const harbor = serveHarbor();
    const vault = serveVault(server);
    const crashing = new CheckpointStore({
      crashAfter: 'harbor.robot.main.shop.ci',
    });
    await expect(
      action().handler(actionContext(examples[0].input, { store: crashing })),
    ).rejects.toThrow('crash after harbor.robot.main.shop.ci');
    // The scaffolder resumes the task with the checkpoints it recorded before the crash.
    const rerun = actionContext(examples[0].input, { store: crashing });
    await action().handler(rerun);
    expect(harbor.requests.filter(r => r.startsWith('POST robot'))).toEqual([
      'POST robot robot$shop+ci',
    ]);
    // The project was kept as it was: no second rule or retention policy.
    expect(
      harbor.requests.filter(r => r.startsWith('POST immutable')),
    ).toHaveLength(1);
    expect(
      harbor.requests.filter(r => r.startsWith('POST retention')),
    ).toHaveLength(1);
    expect(vault.requests.filter(r => r.startsWith('POST'))).toHaveLength(1);
    expect(rerun.output).toHaveBeenCalledWith('robotAccount', 'robot$shop+ci');
  });

  it('fails the step when Vault refuses the secret, and a re-run says what to fix instead of creating a second robot', async () => {
    const harbor = serveHarbor();
    const vault = serveVault(server);
    vault.failWrites.next = 1;
    const store = new CheckpointStore();
    const first = actionContext(examples[0].input, { store });
    await expect(action().handler(first)).rejects.toMatchObject({
      name: 'UpstreamError',
      status: 503,
    });
    // The task is retried: its recorded checkpoints are kept, the failed one runs again.
    const second = actionContext(examples[0].input, { store });
    await expect(action().handler(second)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'robot account "ci" already exists in project "shop"',
      ),
    });
    expect(harbor.robots.size).toBe(1);
    expect(visibleTrace(first)).not.toContain(ROBOT_SECRET);
  });

  it('refuses a project that existed before the task, creating nothing in it', async () => {
    const harbor = serveHarbor();
    const vault = serveVault(server);
    await action().handler(actionContext(examples[0].input));
    harbor.requests.length = 0;
    await expect(
      action().handler(
        actionContext({ ...examples[0].input, vaultPath: 'ci/harbor/mine' }),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('Harbor project "shop" already exists'),
    });
    expect(harbor.requests).toEqual([]);
    expect(vault.store.has('ci/harbor/mine')).toBe(false);
  });

  it('goes on with its own project when the task is resumed after a crash right after creating it', async () => {
    const harbor = serveHarbor();
    serveVault(server);
    const store = new CheckpointStore({
      crashAfter: 'harbor.project.main.shop',
    });
    await expect(
      action().handler(actionContext(examples[0].input, { store })),
    ).rejects.toThrow('crash after harbor.project.main.shop');
    const resumed = actionContext(examples[0].input, { store });
    await action().handler(resumed);
    expect(resumed.output).toHaveBeenCalledWith(
      'robotAccount',
      'robot$shop+ci',
    );
    expect(
      harbor.requests.filter(r => r.startsWith('POST immutable')),
    ).toHaveLength(1);
    expect(
      harbor.requests.filter(r => r.startsWith('POST retention')),
    ).toHaveLength(1);
    expect(harbor.robots.size).toBe(1);
  });

  it('refuses to overwrite another secret at the Vault path', async () => {
    const harbor = serveHarbor();
    serveVault(server, { 'ci/harbor/shop': { token: 'someone else' } });
    await expect(
      action().handler(actionContext(examples[0].input)),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(harbor.robots.size).toBe(0);
  });

  it('fails the step when Harbor fails', async () => {
    serveHarbor();
    serveVault(server);
    server.use(
      http.post(`${API}/projects`, () =>
        HttpResponse.json(
          { errors: [{ code: 'FORBIDDEN', message: 'forbidden' }] },
          { status: 403 },
        ),
      ),
    );
    await expect(
      action().handler(actionContext(examples[0].input)),
    ).rejects.toMatchObject({ name: 'UpstreamError', status: 403 });
  });

  const good = examples[0].input;
  it.each([
    [{ ...good, project: 'Shop' }, 'is not a Harbor project name'],
    [{ ...good, project: 'a--b' }, 'is not a Harbor project name'],
    [{ ...good, robotName: 'CI bot' }, 'robotName'],
    [{ ...good, vaultPath: '../x' }, 'is not a KV v2 secret path'],
    [{ ...good, retainLatestPushed: 0 }, 'retainLatestPushed'],
    [{ ...good, retentionCron: '0 0 * * *' }, 'six fields'],
    [{ ...good, entityRef: 'shop' }, 'not a full entity ref'],
    [{ ...good, instance: 'x' }, 'no harbor instance is named "x"'],
    [{ ...good, vaultInstance: 'x' }, 'no vault instance is named "x"'],
  ])('rejects bad input %j', async (input, message) => {
    const harbor = serveHarbor();
    const vault = serveVault(server);
    await expect(action().handler(actionContext(input))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(harbor.requests).toEqual([]);
    expect(vault.requests).toEqual([]);
  });
});
