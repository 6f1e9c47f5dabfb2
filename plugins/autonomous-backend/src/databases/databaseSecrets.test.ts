import {
  DatabaseEvent,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { capturedLogs } from '../__testUtils__/capturedLogs';
import {
  databaseEntity,
  databaseTestConfig,
} from '../__testUtils__/databaseEntities';
import {
  SandboxProjects,
  sandboxConfig,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';

/*
 * A whole lifecycle (provision, reveal both passwords, delete), then a search for the passwords
 * in every row of every table of the plugin, every line it logged, every event and every answer
 * but the credentials' own: they are only in Vault and the Kubernetes Secret.
 */

jest.setTimeout(180_000);

const OWNER = 'user:default/owner';
const READER = 'user:default/reader';
const API = '/api/autonomous';
const header = (who: string) => ({
  Authorization: mockCredentials.user.header(who),
});

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
});
afterAll(() => upstream?.stop());

/** Every row of every table in the plugin's database, as text. */
async function everyRow(knex: Knex): Promise<string> {
  const tables: string[] =
    knex.client.config.client === 'pg'
      ? (
          await knex.raw(
            'select tablename as name from pg_tables where schemaname = current_schema()',
          )
        ).rows.map((r: { name: string }) => r.name)
      : (
          await knex.raw("select name from sqlite_master where type = 'table'")
        ).map((r: { name: string }) => r.name);
  expect(tables).toEqual(
    expect.arrayContaining([
      'database_instances',
      'database_events',
      'audit_events',
    ]),
  );
  const dump: string[] = [];
  for (const table of tables) {
    dump.push(`${table}: ${JSON.stringify(await knex(table).select())}`);
  }
  return dump.join('\n');
}

describe.each(databases.ids)('database secrets on %s', databaseId => {
  let knex: Knex;
  let server: Server;
  const logs = capturedLogs();
  /** Every answer but the credentials', as text. */
  const answers: string[] = [];

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
      entities: [databaseEntity('ledger-db', { engine: 'postgresql' })],
      policy: {
        allows: (who, permission) =>
          who === OWNER ||
          (who === READER && permission === 'autonomous.project.read'),
      },
      features: [logs.factory],
    });
  });

  async function call(
    method: 'get' | 'post' | 'delete',
    path: string,
    who: string,
    body?: object,
  ) {
    const req = request(server)[method](`${API}${path}`).set(header(who));
    const res = await (body ? req.send(body) : req);
    answers.push(`${method} ${path} ${res.status} ${res.text}`);
    return res;
  }

  async function waitFor(
    id: string,
    status: string,
  ): Promise<DatabaseInstance> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await call('get', `/databases/${id}`, READER);
      if (res.body.status === status) return res.body;
      if (Date.now() > deadline || res.body.status === 'failed') {
        throw new Error(`${res.body.status}: ${res.body.statusMessage}`);
      }
      await new Promise(r => setTimeout(r, 50));
    }
  }

  it('reveals the passwords only through the credentials route, and nowhere else', async () => {
    const name = `ledger-${databaseId.toLowerCase().slice(0, 5)}`;
    const accepted = await call('post', '/databases', OWNER, {
      entityRef: 'resource:default/ledger-db',
      name,
    });
    expect(accepted.status).toBe(202);
    const { id } = accepted.body;
    await waitFor(id, 'ready');

    // The password of each user, read from Vault at that moment.
    const vault = upstream.clients.get('vault');
    const stored = (await vault.readSecret(`autonomous/databases/${name}`))!
      .data;
    const passwords = [stored.ownerPassword, stored.readonlyPassword];
    expect(passwords.every(p => /^[\w-]{43}$/.test(p))).toBe(true);
    for (const [user, key] of [
      ['owner', 'owner'],
      ['readonly', 'readonly'],
    ] as const) {
      const res = await request(server)
        .get(`${API}/databases/${id}/credentials?user=${user}`)
        .set(header(OWNER));
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        username: stored[`${key}Username`],
        password: stored[`${key}Password`],
      });
    }
    const denied = await call(
      'get',
      `/databases/${id}/credentials?user=owner`,
      READER,
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      'autonomous.database.credentials.read',
    );
    // Each reveal is audited, by whom and of which user, never with the value.
    const audited = await knex('audit_events')
      .where('action', 'like', 'database.credentials.%')
      .orderBy('seq');
    expect(audited.map(a => [a.actor, a.action, a.target, a.outcome])).toEqual([
      [OWNER, 'database.credentials.owner', id, 'succeeded'],
      [OWNER, 'database.credentials.readonly', id, 'succeeded'],
    ]);

    // Delete: the typed name is required; without a final backup it goes at once.
    const wrong = await call('delete', `/databases/${id}`, OWNER, {
      confirm: 'ledger',
      finalBackup: false,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe(
      `confirm: type the database's name, ${name}, to delete it`,
    );
    expect((await waitFor(id, 'ready')).status).toBe('ready');
    const deleting = await call('delete', `/databases/${id}`, OWNER, {
      confirm: name,
      finalBackup: false,
    });
    expect(deleting.status).toBe(202);
    expect(deleting.body.status).toBe('deleting');
    await waitFor(id, 'deleted');
    const events = await call('get', `/databases/${id}/events`, READER);
    expect(
      events.body.items
        .slice(-4)
        .map((e: DatabaseEvent) => `${e.step} ${e.status}`),
    ).toEqual([
      'deleting info',
      'deleting started',
      'deleting succeeded',
      'deleted succeeded',
    ]);
    expect(await vault.readSecret(`autonomous/databases/${name}`)).toBe(
      undefined,
    );
    await expect(
      upstream.clients.get('argocd').getApplication(`db-${name}`),
    ).rejects.toMatchObject({ status: 404 });
    const gone = await call(
      'get',
      `/databases/${id}/credentials?user=owner`,
      OWNER,
    );
    expect(gone.status).toBe(409);
    // The row stays, deleted, and its name may be used again.
    const listed = await call(
      'get',
      '/databases?entityRef=resource:default/ledger-db',
      READER,
    );
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, status: 'deleted' }),
    ]);

    const haystacks = {
      tables: await everyRow(knex),
      logs: logs.lines.join('\n'),
      answers: answers.join('\n'),
    };
    // The logs were captured: the worker's steps and the audit of each reveal are there.
    expect(haystacks.logs).toContain(`Database ${name}: credentials succeeded`);
    expect(haystacks.logs).toContain('database-credentials-readonly');
    for (const [where, text] of Object.entries(haystacks)) {
      for (const password of passwords) {
        expect({ where, leaks: text.includes(password) }).toEqual({
          where,
          leaks: false,
        });
      }
    }
  });
});
