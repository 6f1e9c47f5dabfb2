import {
  autonomousNotifyPermission,
  isReleaseInFlight,
  RELEASE_STATUSES,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { JsonObject } from '@backstage/config';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import {
  API_ROUTES,
  ApiRoute,
  fillPath,
  routeName,
} from './__testUtils__/apiRoutes';
import { snapshotDatabase } from './__testUtils__/databaseSnapshot';
import { servedApiOperations } from './__testUtils__/apiDocument';
import {
  entityFor,
  SandboxProjects,
  sandboxConfig,
  startSandboxProjects,
} from './__testUtils__/sandboxProject';
import {
  authHeader,
  matrixPolicy,
  NOTIFIER,
  NOTIFYING_SERVICE,
  OWNED_DATABASE,
  OWNED_ENTITY,
  OWNER,
  STRANGER,
  userWithout,
} from './__testUtils__/matrixCallers';
import {
  databaseEntity,
  databaseTestConfig,
} from './__testUtils__/databaseEntities';
import { expectOwnerAnswer } from './__testUtils__/ownerAnswers';
import { backupTestConfig } from './__testUtils__/backupHarness';
import {
  servedRoutes,
  startAutonomousTestBackend,
} from './__testUtils__/testBackend';
import { upstreamWrites } from './__testUtils__/upstreamWrites';
import { prepareConsoleRoute } from './__testUtils__/consoleMatrix';
import { createStoreTestDatabases } from './__testUtils__/testDatabases';
import { DatabaseReleaseStore } from './database/ReleaseStore';
import { ReleaseWorkStore } from './database/ReleaseWorkStore';

jest.setTimeout(120_000);

const IN_FLIGHT = RELEASE_STATUSES.filter(isReleaseInFlight);
const DATABASE_IN_FLIGHT = [
  'accepted',
  'preparing',
  'installing',
  'checking',
  'deleting',
];
/** Reads that are audited all the same: they reveal a secret. */
const AUDITED_READS = ['GET /databases/:id/credentials'];
const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  // PostgreSQL is real: the console's routes run statements on the matrix's instance.
  upstream = await startSandboxProjects({ realDatabases: ['postgresql'] });
  await upstream.addProject('storefront');
  await upstream.addProject('checkout');
});
afterAll(() => upstream?.stop());

describe.each(databases.ids)('permission matrix on %s', databaseId => {
  let knex: Knex;
  let server: Server;
  let releases: DatabaseReleaseStore;
  let work: ReleaseWorkStore;
  let healthyId: string;
  let readyDbId: string;
  let databaseCount = 0;

  /** Waits until the workers have finished every release and database (none in flight). */
  async function settle(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (
      (await knex('releases').whereIn('status', IN_FLIGHT)).length ||
      (await knex('database_instances').whereIn('status', DATABASE_IN_FLIGHT))
        .length ||
      (await knex('backups').whereIn('status', ['pending', 'running']))
        .length ||
      // A console statement the matrix left running until its cancel.
      (await knex('console_statements').where({ outcome: 'running' })).length ||
      (
        await knex('database_restores').whereIn('status', [
          'pending',
          'running',
        ])
      ).length
    ) {
      if (Date.now() > deadline)
        throw new Error('releases or databases still in flight after 60 s');
      await new Promise(r => setTimeout(r, 50));
    }
    // A sync the previous route started: ArgoCD refuses a second operation on the
    // application while one runs, as the reconcile route would then learn.
    const sandbox = upstream.sandbox.sandbox;
    const syncing = () =>
      [...sandbox.argocd.apps.values()].some(
        app => app.operation?.phase === 'Running',
      );
    for (sandbox.advance(); syncing(); sandbox.advance()) {
      if (Date.now() > deadline)
        throw new Error('an ArgoCD sync still running after 60 s');
      await new Promise(r => setTimeout(r, 50));
    }
  }

  /** A succeeded backup of the database, taken through the API by the owner. */
  async function succeededBackup(id: string): Promise<string> {
    const res = await request(server)
      .post(`/api/autonomous/databases/${id}/backups`)
      .set(authHeader(OWNER));
    if (res.status !== 202) throw new Error(JSON.stringify(res.body));
    await settle();
    const row = await knex('backups').where({ id: res.body.id }).first();
    if (row.status !== 'succeeded')
      throw new Error(`backup is ${row.status}: ${row.message}`);
    return res.body.id;
  }

  /**
   * Storefront's chart switched to an Argo Rollouts canary and a second digest sent, so that
   * its rollout waits at a pause: something for the promote and abort routes to act on.
   */
  async function pausedCanary(): Promise<void> {
    const argocd = upstream.clients.get('argocd');
    const rollouts = upstream.clients.get('kubernetes').rollouts;
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    for (const d of [digest('d'), digest('e')]) {
      await argocd.setHelmParameters('storefront', [
        { name: 'rollout.strategy', value: 'canary' },
        { name: 'rollout.steps', value: '50,pause' },
        { name: 'image.digest', value: d },
      ]);
      await settle();
      await argocd.sync('storefront', { prune: true });
      await settle();
    }
    const deadline = Date.now() + 30_000;
    while (
      (await rollouts.getRollout('storefront-production', 'storefront'))?.status
        ?.phase !== 'Paused'
    ) {
      if (Date.now() > deadline)
        throw new Error("storefront's canary did not pause within 30 s");
      await new Promise(r => setTimeout(r, 50));
    }
  }

  /** Storefront back to its Deployment (a rolling update) after a rollout route. */
  async function rollingAgain(): Promise<void> {
    const argocd = upstream.clients.get('argocd');
    await argocd.setHelmParameters('storefront', [
      { name: 'rollout.strategy', value: 'none' },
    ]);
    await settle();
    await argocd.sync('storefront', { prune: true });
    await settle();
  }

  /** A ready database of the owned Resource, provisioned through the API by the owner. */
  async function readyDatabase(): Promise<{ id: string; name: string }> {
    databaseCount += 1;
    const name = `matrix-${databaseId
      .toLowerCase()
      .slice(0, 5)}-${databaseCount}`;
    const res = await request(server)
      .post('/api/autonomous/databases')
      .set(authHeader(OWNER))
      .send({ entityRef: OWNED_DATABASE, name });
    if (res.status !== 202) throw new Error(JSON.stringify(res.body));
    await settle();
    const row = await knex('database_instances')
      .where({ id: res.body.id })
      .first();
    if (row.status !== 'ready') throw new Error(`${name} is ${row.status}`);
    return { id: res.body.id, name };
  }

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    releases = new DatabaseReleaseStore(knex);
    work = new ReleaseWorkStore(knex);
    // Written before the plugin starts; its orchestrator builds and deploys it on startup.
    const seeded = await releases.createRelease({
      entityRef: OWNED_ENTITY,
      environment: 'production',
      // Harbor's tags are immutable: each database's run pushes its own.
      version: `seed-${databaseId.toLowerCase()}`,
      ref: 'main',
      trigger: 'api',
      requestedBy: OWNER,
      buildJob: 'shop/storefront',
      argocdApplication: 'storefront',
    });
    healthyId = seeded.id;
    const config = sandboxConfig(upstream.sandbox.url).get() as JsonObject;
    server = await startAutonomousTestBackend({
      knex,
      config: {
        autonomous: {
          ...(config.autonomous as JsonObject),
          databases: {
            ...databaseTestConfig().databases,
            backups: backupTestConfig(upstream.sandbox.url),
          },
          orchestrator: { pollIntervalSeconds: 0.1 },
        },
      },
      entities: [
        entityFor('storefront', {
          repository: { provider: 'github', slug: 'acme/storefront' },
        }),
        entityFor('checkout'),
        databaseEntity('storefront-db', { engine: 'postgresql' }),
      ],
      policy: matrixPolicy,
    });
    await settle();
    readyDbId = (await readyDatabase()).id;
    const seededNow = await releases.getReleaseWithEvents(healthyId);
    if (
      seededNow?.status !== 'healthy' ||
      seededNow.buildNumber === undefined
    ) {
      throw new Error(
        `the seeded release did not become healthy: ${seededNow?.events
          .map(e => `${e.to}: ${e.message}`)
          .join('; ')}`,
      );
    }
  });

  /**
   * A queued release leased as another backend would hold it, so this backend's orchestrator
   * leaves it queued. Its pending timers may take a new release first: then it is finished
   * and another one is made.
   */
  async function heldQueuedRelease(): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await settle();
      const queued = await releases.createRelease({
        entityRef: OWNED_ENTITY,
        environment: 'production',
        version: 'to-cancel',
        trigger: 'api',
        requestedBy: OWNER,
      });
      if (await work.claim(queued.id, 600_000)) return queued.id;
    }
    throw new Error('the orchestrator took every queued release first');
  }

  /**
   * Undoes the owner's project deletion for the routes after it: the deletion record goes, the
   * ArgoCD application is created again and the healthy release redeployed to it.
   */
  async function restoreDeletedProject() {
    await knex('project_deletions').delete();
    await upstream.addProject('storefront');
    const res = await request(server)
      .post(`/api/autonomous/releases/${healthyId}/redeploy`)
      .set(authHeader(OWNER))
      .send({});
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    await settle();
  }

  /** The concrete request for a route, set up just before it is sent. */
  async function prepare(
    route: ApiRoute,
  ): Promise<{ url: string; body?: object }> {
    const params: Record<string, string> = {
      kind: 'component',
      namespace: 'default',
      name: 'storefront',
      env: 'production',
      id: route.path.startsWith('/databases/') ? readyDbId : healthyId,
    };
    let body: object | undefined;
    let query = '';
    if (['/databases', '/database-engines'].includes(route.path)) {
      query = route.method === 'GET' ? `?entityRef=${OWNED_DATABASE}` : '';
    }
    if (route.path === '/upstream-instances')
      query = `?entityRef=${OWNED_ENTITY}`;
    if (route.method === 'POST' && route.path === '/databases') {
      databaseCount += 1;
      body = {
        entityRef: OWNED_DATABASE,
        name: `matrix-${databaseId.toLowerCase().slice(0, 5)}-${databaseCount}`,
      };
    }
    if (route.path.startsWith('/databases/:id/console/')) {
      return prepareConsoleRoute(server, route, params.id, authHeader(OWNER));
    }
    if (route.path === '/metrics') query = `?entityRef=${OWNED_ENTITY}`;
    if (route.path === '/metrics/releases')
      query = `?entityRef=${OWNED_ENTITY}&figure=deploymentFrequency`;
    if (route.path.endsWith('/credentials')) query = '?user=readonly';
    if (route.path.includes('/backups/:backupId')) {
      params.backupId = await succeededBackup(params.id);
    }
    if (route.path.endsWith('/restore')) {
      databaseCount += 1;
      body = {
        target: 'new',
        name: `matrix-${databaseId.toLowerCase().slice(0, 5)}-${databaseCount}`,
      };
    }
    if (route.method === 'PUT' && route.path.endsWith('/backup-settings')) {
      body = { schedule: '0 3 * * *', retentionCount: 5 };
    }
    if (route.method === 'DELETE' && route.path === '/databases/:id') {
      const doomed = await readyDatabase();
      params.id = doomed.id;
      body = { confirm: doomed.name, finalBackup: false };
    }
    if (route.path.endsWith('/cancel')) {
      params.id = await heldQueuedRelease();
      body = { reason: 'permission matrix' };
    }
    if (route.path.endsWith(':pod/logs')) {
      const pods = await request(server)
        .get(
          '/api/autonomous/projects/component/default/storefront/environments/production/pods',
        )
        .set(authHeader(OWNER))
        .expect(200);
      params.pod = pods.body[0].name;
    }
    if (route.method === 'POST' && route.path.endsWith('/releases')) {
      body = {
        environment: 'production',
        ref: 'main',
        reason: 'permission matrix',
      };
    }
    if (/\/rollout\/(promote|abort)$/.test(route.path)) await pausedCanary();
    if (route.path.endsWith('/services/releases')) {
      body = { environment: 'production', services: ['storefront'] };
    }
    if (
      route.method === 'DELETE' &&
      route.path === '/projects/:kind/:namespace/:name'
    ) {
      body = { confirm: 'storefront' };
    }
    if (route.path.endsWith('/automated-sync')) body = { enabled: false };
    if (route.path.endsWith('/auto-deploy')) body = { enabled: false };
    if (route.path.endsWith('/domains')) body = { domains: [] };
    if (route.path.endsWith('/variables')) body = { variables: [] };
    if (route.path.endsWith('/scaling')) body = { replicas: 1 };
    if (route.method === 'PUT' && route.path.endsWith('/health-gates')) {
      body = { autoRollback: true, gates: [] };
    }
    if (route.path === '/notifications/jenkins')
      body = { name: 'shop/storefront' };
    if (route.path === '/notifications/argocd')
      body = { app: 'storefront', event: 'on-deployed' };
    return {
      url: `/api/autonomous${fillPath(route.path, params)}${query}`,
      body,
    };
  }

  function send(route: ApiRoute, url: string, body?: object, who?: string) {
    const method = route.method.toLowerCase() as
      | 'get'
      | 'post'
      | 'put'
      | 'delete';
    let req = request(server)[method](url);
    if (who) req = req.set(authHeader(who));
    return body === undefined ? req : req.send(body);
  }

  it('lists every route the plugin serves', () => {
    // Routes the document marks `none` (health, the instance names) check no permission.
    const withoutPermission = new Set(
      servedApiOperations()
        .filter(op => op.permission === 'none')
        .map(op => routeName({ method: op.method, path: op.expressPath })),
    );
    const served = servedRoutes(server)
      .map(routeName)
      .filter(r => !withoutPermission.has(r))
      .sort();
    expect(served).toEqual(API_ROUTES.map(routeName).sort());
  });

  /** Sends the route as each caller who must be refused; nothing may change. */
  async function expectRefused(
    route: ApiRoute,
    prepared: { url: string; body?: object },
    callers: Array<[who: string | undefined, status: 401 | 403]>,
  ) {
    const before = await snapshotDatabase(knex);
    const writes = upstreamWrites(upstream.sandbox);
    for (const [who, status] of callers) {
      const res = await send(route, prepared.url, prepared.body, who);
      expect({ who, status: res.status }).toEqual({ who, status });
      expect(res.body.error.message).toEqual(
        who
          ? expect.stringContaining(route.permission.name)
          : expect.any(String),
      );
      expect(await snapshotDatabase(knex)).toEqual(before);
      expect(upstreamWrites(upstream.sandbox)).toBe(writes);
    }
    return before;
  }

  const onEntity = API_ROUTES.filter(
    r => r.permission !== autonomousNotifyPermission,
  );
  const notifications = API_ROUTES.filter(
    r => r.permission === autonomousNotifyPermission,
  );

  it.each(onEntity.map(r => [routeName(r), r] as const))(
    '%s: 401 without credentials, 403 for a stranger, a user lacking its permission and a service, success for the owner',
    async (_, route) => {
      const prepared = await prepare(route);
      const before = await expectRefused(route, prepared, [
        [undefined, 401],
        [STRANGER, 403],
        [userWithout(route.permission.name), 403],
        [NOTIFYING_SERVICE, 403],
      ]);
      const allowed = await send(route, prepared.url, prepared.body, OWNER);
      expect({ status: allowed.status, error: allowed.body?.error }).toEqual({
        status: route.success,
        error: undefined,
      });
      expectOwnerAnswer(routeName(route), allowed, healthyId);
      // Every action (anything but a read) is audited, once; so is a read of a password.
      const audited = (await snapshotDatabase(knex)).audit_events.rows;
      expect(audited - before.audit_events.rows).toBe(
        route.method === 'GET' && !AUDITED_READS.includes(routeName(route))
          ? 0
          : 1,
      );
      if (routeName(route) === 'DELETE /projects/:kind/:namespace/:name') {
        await restoreDeletedProject();
      }
      await settle();
      if (/\/rollout\/(promote|abort)$/.test(route.path)) await rollingAgain();
    },
  );

  it.each(notifications.map(r => [routeName(r), r] as const))(
    '%s: 401 without credentials, 403 for users not allowed to notify, 202 for the service and a user who is',
    async (_, route) => {
      const prepared = await prepare(route);
      await expectRefused(route, prepared, [
        [undefined, 401],
        [STRANGER, 403],
        [OWNER, 403],
      ]);
      for (const who of [NOTIFYING_SERVICE, NOTIFIER]) {
        const res = await send(route, prepared.url, prepared.body, who);
        expect({ who, status: res.status, message: res.body.message }).toEqual({
          who,
          status: 202,
          message: expect.stringMatching(/^looking at releases/),
        });
      }
      await settle();
    },
  );

  it('lets a user allowed to deploy but not to roll back redeploy, and refuses the rollback', async () => {
    const deployer = userWithout('autonomous.release.rollback');
    const before = await snapshotDatabase(knex);
    const rollback = await request(server)
      .post(`/api/autonomous/releases/${healthyId}/rollback`)
      .set(authHeader(deployer))
      .send({});
    expect(rollback.status).toBe(403);
    expect(rollback.body.error.message).toContain(
      'autonomous.release.rollback',
    );
    expect(await snapshotDatabase(knex)).toEqual(before);
    const redeploy = await request(server)
      .post(`/api/autonomous/releases/${healthyId}/redeploy`)
      .set(authHeader(deployer))
      .send({ reason: 'same image again' });
    expect(redeploy.status).toBe(201);
    expect(redeploy.body).toMatchObject({
      trigger: 'redeploy',
      requestedBy: deployer,
    });
    await settle();
  });

  it('allows the owner only on the entity they own', async () => {
    const res = await request(server)
      .get('/api/autonomous/projects/component/default/checkout')
      .set(authHeader(OWNER));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('component:default/checkout');
  });
});
