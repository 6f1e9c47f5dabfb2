import { RunningSandbox, startSandbox } from '@autonomous-dev/sandbox';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { databaseEntity, databaseTestConfig } from './databaseEntities';
import { sandboxConfigData } from './sandboxProject';
import { startAutonomousTestBackend } from './testBackend';
import { migrateTestDatabase } from '../database/migrations';

/*
 * The real plugin against the sandbox with the machine's real PostgreSQL, MariaDB and Redis:
 * instances are provisioned through the API, and the console runs on them as a user would.
 */

export const API = '/api/autonomous';
export const OWNER = 'user:default/owner';
export const ADMIN = 'user:default/admin';
/** May read the entity but not use its console. */
export const STRANGER = 'user:default/stranger';
export const as = (who: string) => ({
  Authorization: mockCredentials.user.header(who),
});

export interface ConsoleBackend {
  server: Server;
  knex: Knex;
  sandbox: RunningSandbox;
  /** Provisions an instance of the entity's engine and waits until it is ready. */
  provision(
    entity: string,
  ): Promise<{ id: string; name: string; connection: any }>;
  stop(): Promise<void>;
}

export async function startConsoleBackend(options: {
  engines: Array<'postgresql' | 'mysql' | 'redis'>;
  console?: JsonObject;
}): Promise<ConsoleBackend> {
  const sandbox = await startSandbox({
    port: 0,
    speed: 'fast',
    databases: { real: options.engines },
  });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  const base = sandboxConfigData(sandbox.url);
  const server = await startAutonomousTestBackend({
    knex,
    config: {
      autonomous: {
        ...base.autonomous,
        databases: {
          ...databaseTestConfig().databases,
          console: options.console ?? {},
        },
      },
    },
    entities: options.engines.map(engine =>
      databaseEntity(`${engine}-console`, { engine }),
    ),
    policy: {
      allows: (who, permission) =>
        who === ADMIN ||
        (who === OWNER && permission !== 'autonomous.database.console.audit') ||
        (who === STRANGER && permission === 'autonomous.project.read'),
    },
  });

  async function waitReady(id: string) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await request(server)
        .get(`${API}/databases/${id}`)
        .set(as(OWNER));
      if (res.body.status === 'ready') return res.body;
      if (Date.now() > deadline || res.body.status === 'failed') {
        const events = await request(server)
          .get(`${API}/databases/${id}/events`)
          .set(as(OWNER));
        throw new Error(
          `${res.body.status}: ${JSON.stringify(events.body.items?.slice(-3))}`,
        );
      }
      await new Promise(r => setTimeout(r, 200));
    }
  }

  return {
    server,
    knex,
    sandbox,
    async provision(entity) {
      const name = `${entity.slice(0, 5)}-${Date.now().toString(36).slice(-6)}`;
      const accepted = await request(server)
        .post(`${API}/databases`)
        .set(as(OWNER))
        .send({ entityRef: `resource:default/${entity}`, name });
      if (accepted.status !== 202) {
        throw new Error(`provision: ${accepted.status} ${accepted.text}`);
      }
      return waitReady(accepted.body.id);
    },
    async stop() {
      await knex.destroy();
      await sandbox.stop();
    },
  };
}

export interface ConsoleAnswer {
  status: number;
  columns?: Array<{ name: string; type: string }>;
  rows: unknown[][];
  end?: Record<string, any>;
  error?: Record<string, any>;
  body: any;
}

/** Runs a statement through the route and reads its NDJSON answer line by line. */
export async function runStatement(
  server: Server,
  databaseId: string,
  body: Record<string, unknown>,
  who = OWNER,
): Promise<ConsoleAnswer> {
  const res = await request(server)
    .post(`${API}/databases/${databaseId}/console/statements`)
    .set(as(who))
    .send(body)
    .buffer(true)
    .parse((response, callback) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => callback(null, text));
    });
  const answer: ConsoleAnswer = {
    status: res.status,
    rows: [],
    body: res.body,
  };
  if (res.status !== 200) {
    answer.body = JSON.parse(res.body);
    return answer;
  }
  for (const line of String(res.body).split('\n').filter(Boolean)) {
    const item = JSON.parse(line);
    if (item.type === 'columns') answer.columns = item.columns;
    else if (item.type === 'row') answer.rows.push(item.values);
    else if (item.type === 'end') answer.end = item;
    else if (item.type === 'error') answer.error = item;
  }
  return answer;
}

export async function history(
  server: Server,
  databaseId: string,
  who = OWNER,
  mine = true,
) {
  return request(server)
    .get(`${API}/databases/${databaseId}/console/history?mine=${mine}`)
    .set(as(who));
}
