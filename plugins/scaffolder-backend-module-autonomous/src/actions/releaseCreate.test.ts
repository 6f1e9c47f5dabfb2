import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { CheckpointStore, actionContext } from '../__testUtils__/actionContext';
import {
  PORTAL,
  portalClient,
  servePortal,
} from '../__testUtils__/servePortal';
import { createReleaseCreateAction } from './releaseCreate';
import { examples } from './releaseCreate.examples';

describe('autonomous:release:create', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  let portal: ReturnType<typeof servePortal>;
  beforeEach(() => {
    portal = servePortal(server);
    portal.addProject('component:default/shop');
  });
  afterEach(() => portal.assertNoProblems());

  const action = () =>
    createReleaseCreateAction({ portal: portalClient(), pollIntervalMs: 1 });

  it('runs the example: the first release to staging, waited for, every stage in the log', async () => {
    const ctx = actionContext(examples[0].input);
    await action().handler(ctx);
    expect(portal.writes()).toEqual([
      'POST /projects/component/default/shop/releases',
    ]);
    const [release] = portal.releases.values();
    expect(release).toMatchObject({
      environment: 'staging',
      status: 'healthy',
      trigger: 'api',
      reason: 'First release (Software Template task mock-task-id)',
    });
    const log = ctx.logged.join('\n');
    for (const stage of [
      'building',
      'built',
      'syncing',
      'progressing',
      'healthy',
    ]) {
      expect(log).toContain(`→ ${stage}: Stage ${stage} reached`);
    }
    expect(ctx.output).toHaveBeenCalledWith('releaseId', release.id);
    expect(ctx.output).toHaveBeenCalledWith('releaseNumber', 1);
    expect(ctx.output).toHaveBeenCalledWith('status', 'healthy');
    expect(examples[0].example).toContain('action: autonomous:release:create');
  });

  it('runs the example: a tag to production, not waited for', async () => {
    const ctx = actionContext(examples[1].input);
    await action().handler(ctx);
    const [release] = portal.releases.values();
    expect(release).toMatchObject({
      environment: 'production',
      ref: 'v1.0.0',
      reason: 'Launch (Software Template task mock-task-id)',
    });
    expect(portal.requests.filter(r => r.startsWith('GET /releases'))).toEqual(
      [],
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'queued');
  });

  it('calls the backend as the user who runs the template', async () => {
    await action().handler(actionContext(examples[1].input));
    expect(portal.tokens.length).toBeGreaterThan(0);
    for (const token of portal.tokens) {
      expect(token).toContain('user:default/mock');
    }
  });

  it('fails the step when the release fails, with its last stage', async () => {
    portal.state.releasePath = ['queued', 'building', 'failed'];
    const ctx = actionContext(examples[0].input);
    await expect(action().handler(ctx)).rejects.toThrow(
      'Release #1 of component:default/shop to staging ended failed: Stage failed reached',
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'failed');
  });

  it('fails the step when the project is not in the catalog', async () => {
    portal.projects.clear();
    await expect(
      action().handler(actionContext(examples[1].input)),
    ).rejects.toThrow(
      /answered 404 Not Found to POST \/projects\/component\/default\/shop\/releases: component:default\/shop is not in the catalog/,
    );
  });

  it('fails the step when the permission policy refuses the user', async () => {
    server.use(
      http.post(`${PORTAL}/api/autonomous/projects/:k/:n/:name/releases`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message:
                'you are not allowed autonomous.release.deploy on component:default/shop',
            },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(
      action().handler(actionContext(examples[1].input)),
    ).rejects.toThrow(/403 Forbidden.*autonomous\.release\.deploy/);
  });

  it('creates one release when the task is re-run after a crash that lost the checkpoint', async () => {
    const crashing = new CheckpointStore({
      crashAfter: 'autonomous.release.component:default/shop.staging',
    });
    await expect(
      action().handler(actionContext(examples[0].input, { store: crashing })),
    ).rejects.toThrow('crash after');
    const store = new CheckpointStore();
    await action().handler(actionContext(examples[0].input, { store }));
    await action().handler(actionContext(examples[0].input, { store }));
    expect(portal.writes()).toHaveLength(1);
    expect([...portal.releases.values()][0].status).toBe('healthy');
  });

  it('touches nothing in a dry run and says what it would do', async () => {
    const ctx = actionContext(examples[0].input, { dryRun: true });
    await action().handler(ctx);
    expect(portal.requests).toEqual([]);
    expect(ctx.logged.join('\n')).toContain(
      'Dry run: would release component:default/shop to staging as the user who runs the template, and wait until it is healthy',
    );
  });

  it.each([
    [{ entityRef: 'shop', environment: 'staging' }, 'not a full entity ref'],
    [
      { entityRef: 'component:default/shop', environment: 'Prod' },
      'environment "Prod"',
    ],
    [
      {
        entityRef: 'component:default/shop',
        environment: 'staging',
        ref: '--upload-pack=x',
      },
      'not a branch or tag name',
    ],
    [
      {
        entityRef: 'component:default/shop',
        environment: 'staging',
        commitSha: 'xyz',
      },
      'is not a commit',
    ],
  ])('rejects bad input %j', async (input, message) => {
    await expect(action().handler(actionContext(input))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(portal.requests).toEqual([]);
  });
});
