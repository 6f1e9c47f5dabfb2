import {
  DATABASE_ENGINES,
  DatabaseEvent,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import {
  databaseEntity,
  databaseTestConfig,
} from '../__testUtils__/databaseEntities';
import {
  entityFor,
  SandboxProjects,
  sandboxConfig,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(180_000);

const OWNER = 'user:default/owner';
const READER = 'user:default/reader';
const owner = { Authorization: mockCredentials.user.header(OWNER) };
const reader = { Authorization: mockCredentials.user.header(READER) };
const API = '/api/autonomous';

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
});
afterAll(() => upstream?.stop());

/** The events' steps and statuses, one line each. */
const timeline = (events: DatabaseEvent[]) =>
  events.map(e => `${e.step} ${e.status}`);

const PROVISIONED = [
  'accepted info',
  'namespace started',
  'namespace succeeded',
  'credentials started',
  'credentials succeeded',
  'secret started',
  'secret succeeded',
  'application started',
  'application succeeded',
  'readiness started',
  'readiness succeeded',
  'users started',
  'users succeeded',
  'profile started',
  'profile succeeded',
  'ready succeeded',
];

describe.each(databases.ids)('provisioning on %s', databaseId => {
  let knex: Knex;
  let server: Server;

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    const config = sandboxConfig(upstream.sandbox.url).get() as JsonObject;
    server = await startAutonomousTestBackend({
      knex,
      config: {
        ...config,
        autonomous: {
          ...(config.autonomous as JsonObject),
          ...databaseTestConfig(),
        },
      },
      entities: [
        ...DATABASE_ENGINES.map(e =>
          databaseEntity(`${e}-${databaseId.toLowerCase().slice(0, 5)}`, {
            engine: e,
          }),
        ),
        databaseEntity('plain-bucket', { type: 's3-bucket' }),
        entityFor('storefront'),
      ],
      policy: {
        allows: (who, permission) =>
          who === OWNER ||
          (who === READER && permission === 'autonomous.project.read'),
      },
    });
  });

  async function waitUntil(
    id: string,
    statuses: string[],
  ): Promise<DatabaseInstance> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(server)
        .get(`${API}/databases/${id}`)
        .set(owner)
        .expect(200);
      if (statuses.includes(res.body.status)) return res.body;
      if (res.body.status === 'failed' || Date.now() > deadline) {
        const events = await request(server)
          .get(`${API}/databases/${id}/events`)
          .set(owner);
        throw new Error(
          `${res.body.name} is ${res.body.status}: ${events.body.items
            .map((e: DatabaseEvent) => `${e.step} ${e.status}: ${e.message}`)
            .join(' | ')}`,
        );
      }
      await new Promise(r => setTimeout(r, 50));
    }
  }

  it.each([...DATABASE_ENGINES])(
    'provisions %s to ready with its events in order and a connection profile',
    async engine => {
      const entityRef = `resource:default/${engine}-${databaseId
        .toLowerCase()
        .slice(0, 5)}`;
      const accepted = await request(server)
        .post(`${API}/databases`)
        .set(owner)
        .send({ entityRef, storageGi: 2 });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({
        entityRef,
        engine,
        status: 'accepted',
        mode: 'single',
        storageGi: 2,
        createdBy: OWNER,
      });
      const ready = await waitUntil(accepted.body.id, ['ready']);
      const name = accepted.body.name;
      const db = name.replace(/-/g, '_');
      expect(ready.connection).toEqual({
        host: expect.any(String),
        port: expect.any(Number),
        database: db,
        username: `${db}_owner`,
        readonlyUsername: `${db}_ro`,
      });
      const events = await request(server)
        .get(`${API}/databases/${accepted.body.id}/events`)
        .set(reader)
        .expect(200);
      expect(timeline(events.body.items)).toEqual(PROVISIONED);
      expect(events.body.items.at(-1).message).toBe(`${name} is ready`);

      // What the cluster holds: the claimed namespace and application, one users Job.
      const kubernetes = upstream.clients.get('kubernetes');
      const app = await upstream.clients
        .get('argocd')
        .getApplication(`db-${name}`);
      const claim = {
        'autonomous.dev/entity-kind': 'resource',
        'autonomous.dev/entity-namespace': 'default',
        'autonomous.dev/entity-name': entityRef.split('/')[1],
      };
      expect(app.metadata.labels).toMatchObject(claim);
      expect((app.spec as any).destination?.namespace).toBe(`db-${name}`);
      expect(
        (await kubernetes.getNamespace(`db-${name}`))?.metadata?.labels,
      ).toMatchObject(claim);
      const jobs = await kubernetes.listJobs(
        `db-${name}`,
        'autonomous.dev/job-kind=users',
      );
      expect(jobs.map(j => j.metadata?.name)).toEqual([`${name}-users`]);
      expect(JSON.stringify(jobs[0].spec)).not.toMatch(/Password":"/);
      const vault = upstream.clients.get('vault');
      const secret = await vault.readSecret(`autonomous/databases/${name}`);
      expect(Object.keys(secret!.data).sort()).toEqual([
        'ownerPassword',
        'ownerUsername',
        'readonlyPassword',
        'readonlyUsername',
      ]);
    },
  );

  it("lists the entity's instance and every engine, cluster mode unavailable with its reason", async () => {
    const list = await request(server)
      .get(`${API}/databases`)
      .query({
        entityRef: `resource:default/postgresql-${databaseId
          .toLowerCase()
          .slice(0, 5)}`,
      })
      .set(reader)
      .expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ engine: 'postgresql', status: 'ready' }),
    ]);
    const engines = await request(server)
      .get(`${API}/database-engines`)
      .query({
        entityRef: `resource:default/redis-${databaseId
          .toLowerCase()
          .slice(0, 5)}`,
      })
      .set(reader)
      .expect(200);
    expect(engines.body.defaultEngine).toBe('redis');
    expect(engines.body.items.map((e: any) => e.engine)).toEqual([
      ...DATABASE_ENGINES,
    ]);
    expect(engines.body.items[0].modes).toEqual([
      { mode: 'single', available: true },
      {
        mode: 'cluster',
        available: false,
        reason:
          'Cluster mode is not available: only single-instance databases can be provisioned',
      },
    ]);
  });

  it('refuses cluster mode, an entity that is no database, and a second live instance of a name', async () => {
    const before = await knex('database_instances').count({ n: '*' });
    const cluster = await request(server)
      .post(`${API}/databases`)
      .set(owner)
      .send({
        entityRef: `resource:default/mysql-${databaseId
          .toLowerCase()
          .slice(0, 5)}`,
        mode: 'cluster',
        name: 'other-mysql',
      });
    expect(cluster.status).toBe(400);
    expect(cluster.body.error.message).toBe(
      'Cluster mode is not available: only single-instance databases can be provisioned',
    );
    const bucket = await request(server)
      .post(`${API}/databases`)
      .set(owner)
      .send({ entityRef: 'resource:default/plain-bucket', engine: 'redis' });
    expect(bucket.status).toBe(400);
    expect(bucket.body.error.message).toBe(
      'resource:default/plain-bucket is a Resource of spec.type s3-bucket: databases are provisioned for Resources of spec.type database',
    );
    const component = await request(server)
      .post(`${API}/databases`)
      .set(owner)
      .send({ entityRef: 'component:default/storefront', engine: 'redis' });
    expect(component.status).toBe(400);
    expect(component.body.error.message).toBe(
      'component:default/storefront is a Component: databases are provisioned for Resource entities of spec.type database',
    );
    const suffix = databaseId.toLowerCase().slice(0, 5);
    const again = await request(server)
      .post(`${API}/databases`)
      .set(owner)
      .send({ entityRef: `resource:default/redis-${suffix}` });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      `a database named redis-${suffix} already exists and is not deleted; pick another name, or delete that one first`,
    );
    expect(await knex('database_instances').count({ n: '*' })).toEqual(before);
  });
});
