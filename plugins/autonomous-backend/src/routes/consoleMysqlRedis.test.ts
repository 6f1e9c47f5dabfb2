import { createConnection } from 'mysql2/promise';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  API,
  as,
  ConsoleBackend,
  history,
  OWNER,
  runStatement,
  startConsoleBackend,
  STRANGER,
} from '../__testUtils__/consoleBackend';

/*
 * The console on real MariaDB and Redis instances provisioned through the sandbox: the
 * read-only users cannot write, the owner can in write mode, MariaDB's max_statement_time and
 * a cancel stop a statement on the server, and Redis refuses CONFIG SET and FLUSHALL to the
 * read-only ACL user.
 */

jest.setTimeout(300_000);

let backend: ConsoleBackend;

beforeAll(async () => {
  backend = await startConsoleBackend({
    engines: ['mysql', 'redis'],
    console: { timeout: { seconds: 2 } },
  });
});

afterAll(async () => {
  await backend?.stop();
});

describe('MariaDB', () => {
  let db: { id: string; name: string; connection: any };
  let root: Awaited<ReturnType<typeof createConnection>>;

  beforeAll(async () => {
    db = await backend.provision('mysql-console');
    root = await createConnection({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
    });
    for (const statement of [
      'CREATE TABLE invoices (id int primary key, total int)',
      'INSERT INTO invoices VALUES (1, 10), (2, 20), (3, 30)',
    ]) {
      const answer = await runStatement(backend.server, db.id, {
        statement,
        mode: 'write',
      });
      if (answer.body?.error ?? answer.error) {
        throw new Error(
          `${statement}: ${JSON.stringify(answer.body ?? answer.error)}`,
        );
      }
    }
  });
  afterAll(() => root?.end());

  async function count(): Promise<number> {
    const answer = await runStatement(backend.server, db.id, {
      statement: 'SELECT count(*) AS n FROM invoices',
    });
    return Number(answer.rows[0][0]);
  }

  async function running(marker: string): Promise<number> {
    const [rows] = await root.query(
      `SELECT count(*) AS n FROM information_schema.PROCESSLIST
        WHERE INFO LIKE ? AND ID <> CONNECTION_ID()`,
      [`%${marker}%`],
    );
    return Number((rows as any)[0].n);
  }

  it('answers a SELECT with columns, types and rows', async () => {
    const answer = await runStatement(backend.server, db.id, {
      statement: 'SELECT id, total FROM invoices ORDER BY id',
    });
    expect(answer.columns).toEqual([
      { name: 'id', type: 'LONG' },
      { name: 'total', type: 'LONG' },
    ]);
    expect(answer.rows).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    expect(answer.end).toMatchObject({ rowCount: 3, truncated: false });
  });

  it.each([
    ['an INSERT', 'INSERT INTO invoices VALUES (9, 9)'],
    ['an UPDATE', 'UPDATE invoices SET total = 0'],
    ['a DELETE', 'DELETE FROM invoices'],
    ['DDL', 'DROP TABLE invoices'],
    [
      'SET TRANSACTION READ WRITE first',
      'SET TRANSACTION READ WRITE; INSERT INTO invoices VALUES (9, 9)',
    ],
  ])(
    'refuses %s in read mode with the database’s own message',
    async (_what, statement) => {
      const answer = await runStatement(backend.server, db.id, { statement });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(
        /READ ONLY|command denied|SQL syntax|can't be changed/i,
      );
      expect(await count()).toBe(3);
    },
  );

  it('runs writes in write mode as the owner', async () => {
    const insert = await runStatement(backend.server, db.id, {
      statement: 'INSERT INTO invoices VALUES (4, 40)',
      mode: 'write',
    });
    expect(insert.columns).toEqual([
      { name: 'affectedRows', type: 'LONGLONG' },
    ]);
    expect(insert.rows).toEqual([[1]]);
    expect(await count()).toBe(4);
    await runStatement(backend.server, db.id, {
      statement: 'DELETE FROM invoices WHERE id = 4',
      mode: 'write',
    });
    expect(await count()).toBe(3);
  });

  it('truncates at the row cap and says so', async () => {
    const answer = await runStatement(backend.server, db.id, {
      statement: 'SELECT seq FROM seq_1_to_100000',
      maxRows: 5,
    });
    // BIGINT comes as text: JSON numbers cannot hold every 64-bit value.
    expect(answer.rows).toEqual([['1'], ['2'], ['3'], ['4'], ['5']]);
    expect(answer.end).toMatchObject({ rowCount: 5, truncated: true });
  });

  it('stops SLEEP longer than the timeout on the server', async () => {
    const started = Date.now();
    const answer = await runStatement(backend.server, db.id, {
      statement: 'SELECT SLEEP(30) AS timeout_probe',
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await running('timeout_probe')).toBe(0);
    const item = (await history(backend.server, db.id)).body.items.find(
      (s: any) => s.statement.includes('timeout_probe'),
    );
    // MariaDB ends the statement with max_statement_time's error.
    expect(answer.body?.error?.message ?? answer.error?.message).toMatch(
      /max_statement_time|interrupted/i,
    );
    expect(item).toMatchObject({ outcome: 'timed-out' });
  });

  it('cancels a running statement on the server', async () => {
    const runId = randomUUID();
    const pending = runStatement(backend.server, db.id, {
      statement: 'SELECT SLEEP(1.8) AS cancel_probe',
      runId,
    });
    const deadline = Date.now() + 10_000;
    while ((await running('cancel_probe')) === 0 && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 50));
    }
    expect(await running('cancel_probe')).toBe(1);
    await request(backend.server)
      .post(`${API}/databases/${db.id}/console/runs/${runId}/cancel`)
      .set(as(OWNER))
      .expect(202);
    await pending;
    expect(await running('cancel_probe')).toBe(0);
    const items = (await history(backend.server, db.id)).body.items.filter(
      (s: any) => s.statement.includes('cancel_probe'),
    );
    expect(items).toEqual([expect.objectContaining({ outcome: 'cancelled' })]);
  });

  it('answers 403 to a user without the console permission', async () => {
    const answer = await runStatement(
      backend.server,
      db.id,
      { statement: 'SELECT 1 AS stranger' },
      STRANGER,
    );
    expect(answer.status).toBe(403);
    const items = (await history(backend.server, db.id)).body.items;
    expect(items.some((s: any) => s.statement.includes('stranger'))).toBe(
      false,
    );
  });
});

describe('Redis', () => {
  let db: { id: string; name: string; connection: any };
  let direct: Redis;

  beforeAll(async () => {
    db = await backend.provision('redis-console');
    direct = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await direct.connect();
  });
  afterAll(() => direct?.disconnect());

  it('reads with the read-only user and writes as the owner', async () => {
    // The sandbox's Redis "database" is a key prefix the instance's users are limited to.
    const key = `${db.connection.database}:console-test-${randomUUID()}`;
    const set = await runStatement(backend.server, db.id, {
      statement: `SET ${key} "hello world"`,
      mode: 'write',
    });
    expect(set.rows).toEqual([['OK']]);
    const get = await runStatement(backend.server, db.id, {
      statement: `GET ${key}`,
    });
    expect(get.rows).toEqual([['hello world']]);
    const refused = await runStatement(backend.server, db.id, {
      statement: `SET ${key} changed`,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/NOPERM/);
    expect(await direct.get(key)).toBe('hello world');
    await direct.del(key);
  });

  it.each([
    ['CONFIG SET', 'CONFIG SET maxmemory 1'],
    ['FLUSHALL', 'FLUSHALL'],
  ])('refuses %s in read mode', async (_what, statement) => {
    const before = await direct.dbsize();
    const maxmemory = await direct.config('GET', 'maxmemory');
    const answer = await runStatement(backend.server, db.id, { statement });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/NOPERM/);
    expect(await direct.config('GET', 'maxmemory')).toEqual(maxmemory);
    expect(await direct.dbsize()).toBeGreaterThanOrEqual(before);
  });

  it('caps a long reply and says so', async () => {
    const key = `${db.connection.database}:console-list-${randomUUID()}`;
    await direct.rpush(key, ...Array.from({ length: 50 }, (_, i) => `v${i}`));
    const answer = await runStatement(backend.server, db.id, {
      statement: `LRANGE ${key} 0 -1`,
      maxRows: 10,
    });
    expect(answer.rows).toHaveLength(10);
    expect(answer.end).toMatchObject({ rowCount: 10, truncated: true });
    await direct.del(key);
  });
});
