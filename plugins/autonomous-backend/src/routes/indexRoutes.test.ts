import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { authHeader } from '../__testUtils__/matrixCallers';
import { entityFor } from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseReleaseStore } from '../database/ReleaseStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();
const JANE = 'user:default/jane';
const STRANGER = 'user:default/stranger';
const INDEXER = 'service:search-indexer';
const ADMIN = 'user:default/admin';
const PROJECTS = ['checkout', 'payments', 'storefront'];
const ref = (name: string) => `component:default/${name}`;

/** Jane reads storefront only (decided per entity, as an ownership rule); the indexer all. */
const policy = {
  dependsOnEntity: (who: string) => who === JANE,
  allows: (who: string, _permission: string, resourceRef?: string) =>
    who === ADMIN ||
    who === INDEXER ||
    (who === JANE && resourceRef === ref('storefront')),
};

async function insertDatabase(
  knex: Knex,
  entityRef: string,
  name: string,
  status: string,
) {
  const now = new Date();
  await knex('database_instances').insert({
    id: randomUUID(),
    entity_ref: entityRef,
    name,
    engine: 'postgresql',
    version: '16',
    mode: 'single',
    environment: 'production',
    namespace: `db-${name}`,
    storage_gi: 1,
    status,
    credentials_path: `autonomous/databases/${name}`,
    created_by: ADMIN,
    created_at: now,
    updated_at: now,
  });
}

describe.each(databases.ids)('index routes on %s', databaseId => {
  let knex: Knex;
  let server: Server;

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    const releases = new DatabaseReleaseStore(knex);
    // 12 releases per project, in turns, so every project's rows are spread over the table.
    for (let i = 1; i <= 12; i++) {
      for (const name of PROJECTS) {
        await releases.createRelease({
          entityRef: ref(name),
          environment: i % 3 === 0 ? 'staging' : 'production',
          version: `${name}-${i}`,
          trigger: 'api',
          requestedBy: ADMIN,
        });
      }
    }
    await knex('releases')
      .where({ version: 'storefront-10' })
      .update({ status: 'healthy' });
    await insertDatabase(
      knex,
      'resource:default/payments-db',
      'payments',
      'ready',
    );
    await insertDatabase(
      knex,
      'resource:default/shop-db',
      'shop',
      'installing',
    );
    await insertDatabase(knex, 'resource:default/old-db', 'old', 'deleted');
    server = await startAutonomousTestBackend({
      knex,
      config: { autonomous: { orchestrator: { enabled: false } } },
      entities: [
        ...PROJECTS.map(name =>
          entityFor(name, { environments: ['production', 'staging'] }),
        ),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: { name: 'payments-db', namespace: 'default' },
          spec: { type: 'database', owner: 'group:default/payments' },
        },
      ],
      policy,
    });
  });
  afterAll(async () => {
    await knex?.destroy();
  });

  async function pages(path: string, who: string, limit: number) {
    const items: any[] = [];
    let cursor: string | undefined;
    let count = 0;
    do {
      const res = await request(server)
        .get(`/api/autonomous${path}`)
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set(authHeader(who));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      count++;
    } while (cursor && count < 100);
    return { items, pages: count };
  }

  it('hands the indexer the most recent releases of each project, bounded, across pages', async () => {
    for (const limit of [1, 4, 7, 100]) {
      const { items } = await pages(
        '/index/releases?perProject=5',
        INDEXER,
        limit,
      );
      expect(items.map(r => r.version)).toEqual(
        PROJECTS.flatMap(name => [12, 11, 10, 9, 8].map(i => `${name}-${i}`)),
      );
    }
  });

  it('caps perProject and refuses a cursor it did not hand out', async () => {
    const tooMany = await request(server)
      .get('/api/autonomous/index/releases?perProject=101')
      .set(authHeader(INDEXER));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('perProject');
    const projectsCursor = (
      await request(server)
        .get('/api/autonomous/index/projects?limit=1')
        .set(authHeader(INDEXER))
    ).body.nextCursor;
    const crossed = await request(server)
      .get('/api/autonomous/index/releases')
      .query({ cursor: projectsCursor })
      .set(authHeader(INDEXER));
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.message).toContain(
      'is not one this route returned',
    );
  });

  it('lists projects with what runs where and their last release', async () => {
    const { items } = await pages('/index/projects', INDEXER, 2);
    expect(items.map(p => p.entityRef).sort()).toEqual(PROJECTS.map(ref));
    const storefront = items.find(p => p.entityRef === ref('storefront'));
    expect(storefront).toMatchObject({
      kind: 'monolith',
      owner: 'group:default/shop',
      environments: [
        {
          name: 'production',
          running: { version: 'storefront-10', status: 'healthy' },
        },
        { name: 'staging' },
      ],
      lastRelease: { version: 'storefront-12', status: 'queued' },
    });
    expect(storefront.environments[1].running).toBeUndefined();
  });

  it('lists databases that are not deleted, with their owner and no connection details', async () => {
    const { items } = await pages('/index/databases', INDEXER, 1);
    expect(items.map(d => [d.entityRef, d.status]).sort()).toEqual([
      ['resource:default/payments-db', 'ready'],
      ['resource:default/shop-db', 'installing'],
    ]);
    expect(
      items.find(d => d.entityRef === 'resource:default/payments-db'),
    ).toMatchObject({ engine: 'postgresql', owner: 'group:default/payments' });
    expect(JSON.stringify(items)).not.toMatch(
      /credentials|autonomous\/databases/,
    );
  });

  it('gives a user whose access depends on the entity only what they may read', async () => {
    const releases = await pages('/index/releases', JANE, 5);
    expect(new Set(releases.items.map(r => r.entityRef))).toEqual(
      new Set([ref('storefront')]),
    );
    expect(releases.items).toHaveLength(10);
    const projects = await pages('/index/projects', JANE, 1);
    expect(projects.items.map(p => p.entityRef)).toEqual([ref('storefront')]);
    const dbs = await pages('/index/databases', JANE, 10);
    expect(dbs.items).toEqual([]);
  });

  it('refuses a caller who may read nothing, and one without credentials', async () => {
    for (const path of ['projects', 'releases', 'databases']) {
      const denied = await request(server)
        .get(`/api/autonomous/index/${path}`)
        .set(authHeader(STRANGER));
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('autonomous.project.read');
      const anonymous = await request(server).get(
        `/api/autonomous/index/${path}`,
      );
      expect(anonymous.status).toBe(401);
    }
  });
});
