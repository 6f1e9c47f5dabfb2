import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { setupServer } from 'msw/node';
import { portalClient, servePortal } from '../__testUtils__/servePortal';
import { registerAutonomousReadActions } from './readActions';

describe('the Autonomous read actions for MCP clients', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  let portal: ReturnType<typeof servePortal>;
  let registry: ReturnType<typeof actionsRegistryServiceMock>;
  beforeEach(() => {
    portal = servePortal(server);
    portal.addProject('component:default/shop');
    registry = actionsRegistryServiceMock({
      logger: mockServices.logger.mock(),
    });
    registerAutonomousReadActions(registry, portalClient());
  });
  afterEach(() => portal.assertNoProblems());

  const user = mockCredentials.user('user:default/bob');

  /** Two releases to staging and one to production, as a user would have made them. */
  async function release(environment: string) {
    await portalClient().createRelease(
      'component:default/shop',
      { environment, reason: `to ${environment}` } as any,
      user,
    );
  }

  it('are read-only, and nothing else is registered', async () => {
    const { actions } = await registry.list();
    expect(
      actions.map(a => ({ name: a.name, attributes: a.attributes })),
    ).toEqual([
      {
        name: 'list-releases',
        attributes: { readOnly: true, idempotent: true, destructive: false },
      },
      {
        name: 'get-project-status',
        attributes: { readOnly: true, idempotent: true, destructive: false },
      },
    ]);
  });

  it('list a project’s releases, newest first, of one environment when asked, as the caller', async () => {
    await release('staging');
    await release('production');
    await release('staging');
    const before = portal.writes().length;

    const all = await registry.invoke({
      id: 'test:list-releases',
      input: { entityRef: 'component:default/shop' },
      credentials: user,
    });
    expect(
      (all.output as any).releases.map((r: any) => [r.number, r.environment]),
    ).toEqual([
      [3, 'staging'],
      [2, 'production'],
      [1, 'staging'],
    ]);

    const staging = await registry.invoke({
      id: 'test:list-releases',
      input: { entityRef: 'Component:default/shop', environment: 'staging' },
      credentials: user,
    });
    expect((staging.output as any).releases[0]).toEqual({
      number: 3,
      environment: 'staging',
      version: 'main-3',
      status: 'queued',
      trigger: 'api',
      requestedBy: 'user:default/mock',
      reason: 'to staging',
      createdAt: expect.any(String),
    });
    expect((staging.output as any).releases).toHaveLength(2);

    // Read-only: the actions wrote nothing, and asked with the caller's token.
    expect(portal.writes()).toHaveLength(before);
    expect(portal.tokens.at(-1)).toContain('user:default/bob');
  });

  it('give a project’s status with each environment’s newest release', async () => {
    await release('staging');
    await release('staging');
    const { output } = await registry.invoke({
      id: 'test:get-project-status',
      input: { entityRef: 'component:default/shop' },
      credentials: user,
    });
    expect(output).toMatchObject({
      entityRef: 'component:default/shop',
      kind: 'monolith',
      autoDeploy: true,
      environments: [
        {
          name: 'staging',
          namespace: 'shop-staging',
          branch: 'main',
          latestRelease: { number: 2, status: 'queued' },
        },
        { name: 'production', namespace: 'shop-production' },
      ],
    });
    expect((output as any).environments[1].latestRelease).toBeUndefined();
  });

  it('say what was wrong with a bad entity ref or a project the catalog lacks', async () => {
    await expect(
      registry.invoke({
        id: 'test:get-project-status',
        input: { entityRef: 'shop' },
        credentials: user,
      }),
    ).rejects.toThrow(/entityRef must be a full entity ref/);
    await expect(
      registry.invoke({
        id: 'test:get-project-status',
        input: { entityRef: 'component:default/nothing' },
        credentials: user,
      }),
    ).rejects.toThrow(
      /component:default\/nothing is not an Autonomous project/,
    );
  });
});
