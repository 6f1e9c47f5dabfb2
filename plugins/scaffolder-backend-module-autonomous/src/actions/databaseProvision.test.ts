import { setupServer } from 'msw/node';
import { CheckpointStore, actionContext } from '../__testUtils__/actionContext';
import { portalClient, servePortal } from '../__testUtils__/servePortal';
import { createDatabaseProvisionAction } from './databaseProvision';
import { examples } from './databaseProvision.examples';

describe('autonomous:database:provision', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  let portal: ReturnType<typeof servePortal>;
  beforeEach(() => {
    portal = servePortal(server);
    portal.resources.set('resource:default/orders-db', 'postgresql');
  });
  afterEach(() => portal.assertNoProblems());

  const action = () =>
    createDatabaseProvisionAction({
      portal: portalClient(),
      pollIntervalMs: 1,
    });

  it('runs the example: the annotated engine, waited for until ready, each step in the log', async () => {
    const ctx = actionContext(examples[0].input);
    await action().handler(ctx);
    expect(portal.writes()).toEqual(['POST /databases']);
    const [db] = portal.databases.values();
    expect(db).toMatchObject({
      entityRef: 'resource:default/orders-db',
      name: 'orders-db',
      engine: 'postgresql',
      status: 'ready',
    });
    const log = ctx.logged.join('\n');
    expect(log).toContain(
      'Accepted postgresql 16 database orders-db for resource:default/orders-db: accepted',
    );
    expect(log).toContain(
      'Database orders-db: readiness succeeded: Step checking',
    );
    expect(log).toContain('Database orders-db: ready succeeded: Step ready');
    expect(ctx.output).toHaveBeenCalledWith('status', 'ready');
    expect(ctx.output).toHaveBeenCalledWith(
      'host',
      'orders-db.db-orders-db.svc.cluster.local',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'credentialsPath',
      'autonomous/databases/orders-db',
    );
    for (const token of portal.tokens)
      expect(token).toContain('user:default/mock');
    expect(examples[0].example).toContain(
      'action: autonomous:database:provision',
    );
  });

  it('runs the example: engine, version, storage and name given, not waited for', async () => {
    const ctx = actionContext(examples[1].input);
    await action().handler(ctx);
    const [db] = portal.databases.values();
    expect(db).toMatchObject({
      name: 'orders-archive',
      version: '15',
      storageGi: 20,
    });
    expect(portal.requests.filter(r => r.includes('/events'))).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('status', 'preparing');
  });

  it('fails the step when provisioning fails, with the reason', async () => {
    portal.state.databaseFailsAt = 'installing';
    await expect(
      action().handler(actionContext(examples[0].input)),
    ).rejects.toThrow(
      'The database orders-db for resource:default/orders-db ended failed: The StatefulSet did not become ready in time',
    );
  });

  it('fails the step when the Resource is not in the catalog', async () => {
    portal.resources.clear();
    await expect(
      action().handler(actionContext(examples[0].input)),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining(
        'resource:default/orders-db is not in the catalog',
      ),
    });
  });

  it('provisions once when re-run after a crash that lost the checkpoint', async () => {
    const crashing = new CheckpointStore({
      crashAfter: 'autonomous.database.resource:default/orders-db.orders-db',
    });
    await expect(
      action().handler(actionContext(examples[0].input, { store: crashing })),
    ).rejects.toThrow('crash after');
    const store = new CheckpointStore();
    await action().handler(actionContext(examples[0].input, { store }));
    await action().handler(actionContext(examples[0].input, { store }));
    expect(portal.writes()).toEqual(['POST /databases']);
    expect([...portal.databases.values()][0].status).toBe('ready');
  });

  it('touches nothing in a dry run', async () => {
    const ctx = actionContext(examples[1].input, { dryRun: true });
    await action().handler(ctx);
    expect(portal.requests).toEqual([]);
    expect(ctx.logged.join('\n')).toContain(
      'Dry run: would provision database orders-archive for resource:default/orders-db (postgresql 15) as the user who runs the template',
    );
  });

  it.each([
    [
      { entityRef: 'component:default/shop' },
      'databases are provisioned for Resource entities',
    ],
    [
      { entityRef: 'resource:default/orders-db', mode: 'cluster' },
      'Cluster mode is not available',
    ],
    [
      { entityRef: 'resource:default/orders-db', engine: 'sqlite' },
      'engine "sqlite" is not one of',
    ],
    [
      { entityRef: 'resource:default/orders-db', name: 'Orders' },
      'name "Orders"',
    ],
    [{ entityRef: 'resource:default/orders-db', storageGi: 0 }, 'storageGi'],
  ])('rejects bad input %j', async (input, message) => {
    await expect(action().handler(actionContext(input))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(portal.requests).toEqual([]);
  });
});
