import { RunningSandbox, startSandbox } from '@autonomous-dev/sandbox';
import { mockCredentials } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { Server } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import {
  databaseEntity,
  databaseTestConfig,
} from '../__testUtils__/databaseEntities';
import { sandboxConfigData } from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { migrateTestDatabase } from '../database/migrations';

/*
 * Against the machine's real PostgreSQL (the sandbox's real-database mode): the profile and the
 * owner's password open the database, the read-only user reads and cannot write, not even
 * through a data-modifying CTE, and deleting the instance drops it.
 */

jest.setTimeout(180_000);

const OWNER = 'user:default/owner';
const API = '/api/autonomous';
const owner = { Authorization: mockCredentials.user.header(OWNER) };

let sandbox: RunningSandbox;
let knex: Knex;
let server: Server;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    speed: 'fast',
    databases: { real: ['postgresql'] },
  });
  knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  const base = sandboxConfigData(sandbox.url);
  server = await startAutonomousTestBackend({
    knex,
    config: { autonomous: { ...base.autonomous, ...databaseTestConfig() } },
    entities: [databaseEntity('billing-db', { engine: 'postgresql' })],
    policy: { allows: who => who === OWNER },
  });
});

afterAll(async () => {
  await knex?.destroy();
  await sandbox?.stop();
});

async function waitFor(id: string, status: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await request(server).get(`${API}/databases/${id}`).set(owner);
    if (res.body.status === status) return res.body;
    if (Date.now() > deadline || res.body.status === 'failed') {
      const events = await request(server)
        .get(`${API}/databases/${id}/events`)
        .set(owner);
      throw new Error(
        `${res.body.status}: ${JSON.stringify(events.body.items.slice(-3))}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

async function connect(
  profile: { host: string; port: number; database: string },
  user: { username: string; password: string },
): Promise<Client> {
  const client = new Client({
    host: profile.host,
    port: profile.port,
    database: profile.database,
    user: user.username,
    password: user.password,
  });
  await client.connect();
  return client;
}

it('gives a real PostgreSQL database whose owner writes and whose read-only user only reads', async () => {
  const name = `billing-${Date.now().toString(36).slice(-6)}`;
  const accepted = await request(server)
    .post(`${API}/databases`)
    .set(owner)
    .send({ entityRef: 'resource:default/billing-db', name });
  expect(accepted.status).toBe(202);
  const ready = await waitFor(accepted.body.id, 'ready');
  expect(ready.connection).toMatchObject({ host: '127.0.0.1', port: 5432 });

  const credentials = async (user: string) =>
    (
      await request(server)
        .get(`${API}/databases/${ready.id}/credentials?user=${user}`)
        .set(owner)
        .expect(200)
    ).body;
  const ownerClient = await connect(
    ready.connection,
    await credentials('owner'),
  );
  await ownerClient.query(
    'CREATE TABLE invoices (id int primary key, total int)',
  );
  await ownerClient.query('INSERT INTO invoices VALUES (1, 100), (2, 250)');
  await ownerClient.end();

  const reader = await connect(ready.connection, await credentials('readonly'));
  try {
    const rows = await reader.query('SELECT sum(total) AS s FROM invoices');
    expect(Number(rows.rows[0].s)).toBe(350);
    await expect(
      reader.query('INSERT INTO invoices VALUES (3, 1)'),
    ).rejects.toThrow(/read-only transaction|permission denied/);
    await expect(
      reader.query(
        'WITH x AS (INSERT INTO invoices VALUES (4, 1) RETURNING 1) SELECT 1',
      ),
    ).rejects.toThrow(/read-only transaction|permission denied/);
    await expect(reader.query('DROP TABLE invoices')).rejects.toThrow();
  } finally {
    await reader.end();
  }

  await request(server)
    .delete(`${API}/databases/${ready.id}`)
    .set(owner)
    .send({ confirm: name, finalBackup: false })
    .expect(202);
  await waitFor(ready.id, 'deleted');
  // The database and both users are gone from the server.
  const admin = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  try {
    const db = name.replace(/-/g, '_');
    // ArgoCD's cascade runs after the application is gone: the drop follows shortly.
    const deadline = Date.now() + 30_000;
    let left: { dbs: string; roles: string };
    for (;;) {
      left = (
        await admin.query(
          'SELECT (SELECT count(*) FROM pg_database WHERE datname = $1) AS dbs, (SELECT count(*) FROM pg_roles WHERE rolname IN ($2, $3)) AS roles',
          [db, `${db}_owner`, `${db}_ro`],
        )
      ).rows[0];
      if ((left.dbs === '0' && left.roles === '0') || Date.now() > deadline)
        break;
      await new Promise(r => setTimeout(r, 200));
    }
    expect(left).toEqual({ dbs: '0', roles: '0' });
  } finally {
    await admin.end();
  }
});
