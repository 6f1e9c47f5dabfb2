import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import {
  entityFor,
  SandboxProjects,
  sandboxConfigData,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const OWNER = 'user:default/owner';
const as = (who: string) => ({
  Authorization: mockCredentials.user.header(who),
});
const path = (name: string, action: string) =>
  `/api/autonomous/projects/component/default/${name}/environments/production/${action}`;

let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
});
afterAll(() => upstream.stop());

describe.each(databases.ids)('environment ArgoCD actions on %s', databaseId => {
  let server: Server;
  let knex: Knex;
  const shop = `shop${databaseId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const timings = () => upstream.sandbox.sandbox.ctx.timings;
  let usualSyncMs: number;

  beforeAll(async () => {
    await upstream.addProject(shop);
    knex = await databases.migrated(databaseId);
    server = await startAutonomousTestBackend({
      knex,
      config: {
        autonomous: {
          ...sandboxConfigData(upstream.sandbox.url).autonomous,
          upstreams: { timeoutMs: 2_000, retries: 0, cacheTtlSeconds: 0 },
          orchestrator: { enabled: false },
        },
      },
      entities: [entityFor(shop)],
      policy: { allows: who => who === OWNER },
    });
    usualSyncMs = timings().syncDurationMs;
  });
  afterEach(() => {
    timings().syncDurationMs = usualSyncMs;
  });

  it('answers a sync or a reconcile while ArgoCD runs another operation with a 409 that says to try again, and syncs once it ended, remembering who asked', async () => {
    // An operation that outlasts the requests below, as a release's sync or a rollback would.
    timings().syncDurationMs = 60_000;
    const argocd = upstream.clients.get('argocd');
    await argocd.sync(shop, { prune: true });

    for (const action of ['sync', 'reconcile']) {
      const busy = await request(server)
        .post(path(shop, action))
        .set(as(OWNER));
      expect(busy.status).toBe(409);
      expect(busy.body.error).toMatchObject({
        name: 'ConflictError',
        message: `ArgoCD is already running an operation on ${shop}: try again when it ends (the environment shows it as syncing until then)`,
      });
    }

    const requests = () =>
      knex('environment_sync_requests').where({
        entity_ref: `component:default/${shop}`,
      });
    expect(await requests()).toEqual([]);

    timings().syncDurationMs = usualSyncMs;
    await argocd.terminateOperation(shop);
    const free = await request(server).post(path(shop, 'sync')).set(as(OWNER));
    expect(free.status).toBe(202);
    expect(free.body).toEqual({ message: `ArgoCD is syncing ${shop}` });
    // The accepted sync is remembered as the owner's, for the drift it may correct.
    expect(await requests()).toEqual([
      expect.objectContaining({
        environment: 'production',
        requested_by: OWNER,
      }),
    ]);
  });
});
