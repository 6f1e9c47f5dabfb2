import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import {
  ADMIN,
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
 * The console on a real PostgreSQL database provisioned through the sandbox, end to end: the
 * read-only user inside a read-only transaction cannot write by any route a user could type,
 * the owner can in write mode, the server's timeout and a cancel stop the statement on the
 * server, the cap truncates, and each statement is in the audit trail once.
 */

jest.setTimeout(300_000);

let backend: ConsoleBackend;
let db: { id: string; name: string; connection: any };
let admin: Client;

beforeAll(async () => {
  backend = await startConsoleBackend({
    engines: ['postgresql'],
    console: { timeout: { seconds: 2 } },
  });
  db = await backend.provision('postgresql-console');
  admin = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  const write = (statement: string) =>
    runStatement(backend.server, db.id, { statement, mode: 'write' });
  for (const statement of [
    'CREATE TABLE invoices (id int primary key, total int)',
    'INSERT INTO invoices SELECT g, g * 10 FROM generate_series(1, 25) g',
    'CREATE SEQUENCE invoice_numbers',
    `CREATE FUNCTION add_invoice() RETURNS int LANGUAGE sql AS $$ INSERT INTO invoices VALUES (1000, 1) RETURNING 1 $$`,
  ]) {
    const answer = await write(statement);
    if (answer.error ?? answer.body?.error) {
      throw new Error(
        `${statement}: ${JSON.stringify(answer.body ?? answer.error)}`,
      );
    }
  }
});

afterAll(async () => {
  await admin?.end();
  await backend?.stop();
});

async function invoiceCount(): Promise<number> {
  const answer = await runStatement(backend.server, db.id, {
    statement: 'SELECT count(*)::int AS n FROM invoices',
  });
  return answer.rows[0][0] as number;
}

/** Sessions of the database running a statement that contains `marker`. */
async function running(marker: string): Promise<number> {
  const { rows } = await admin.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`,
    [`%${marker}%`],
  );
  return rows[0].n;
}

it('answers a SELECT with its columns, types and rows, streamed as NDJSON', async () => {
  const answer = await runStatement(backend.server, db.id, {
    statement:
      'SELECT id, total, now() AS at FROM invoices ORDER BY id LIMIT 3',
  });
  expect(answer.status).toBe(200);
  expect(answer.columns).toEqual([
    { name: 'id', type: 'int4' },
    { name: 'total', type: 'int4' },
    { name: 'at', type: 'timestamptz' },
  ]);
  expect(answer.rows.map(r => r.slice(0, 2))).toEqual([
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  expect(answer.end).toMatchObject({ rowCount: 3, truncated: false });
  expect(answer.end!.durationMs).toEqual(expect.any(Number));
});

it.each([
  ['an INSERT', 'INSERT INTO invoices VALUES (500, 1)'],
  ['an UPDATE', 'UPDATE invoices SET total = 0'],
  ['a DELETE', 'DELETE FROM invoices'],
  ['DDL', 'DROP TABLE invoices'],
  [
    'a data-modifying CTE',
    'WITH x AS (INSERT INTO invoices VALUES (501, 1) RETURNING 1) SELECT 1',
  ],
  [
    'SET TRANSACTION READ WRITE first',
    'SET TRANSACTION READ WRITE; INSERT INTO invoices VALUES (502, 1)',
  ],
  [
    'SET default_transaction_read_only = off first',
    'SET default_transaction_read_only = off; INSERT INTO invoices VALUES (503, 1)',
  ],
  ['a function with side effects', 'SELECT add_invoice()'],
  ['nextval', "SELECT nextval('invoice_numbers')"],
])(
  'refuses %s in read mode with the database’s own message',
  async (_what, statement) => {
    const before = await invoiceCount();
    const answer = await runStatement(backend.server, db.id, { statement });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(
      /read-only transaction|permission denied|multiple commands/,
    );
    expect(await invoiceCount()).toBe(before);
  },
);

it('refuses SET TRANSACTION READ WRITE on its own: the snapshot is already taken', async () => {
  const answer = await runStatement(backend.server, db.id, {
    statement: 'SET TRANSACTION READ WRITE',
  });
  expect(answer.status).toBe(400);
  expect(answer.body.error.message).toMatch(/before any query/);
});

it('runs writes in write mode as the owner', async () => {
  const before = await invoiceCount();
  const insert = await runStatement(backend.server, db.id, {
    statement: 'INSERT INTO invoices VALUES (900, 9) RETURNING id',
    mode: 'write',
  });
  expect(insert.rows).toEqual([[900]]);
  const update = await runStatement(backend.server, db.id, {
    statement: 'UPDATE invoices SET total = 99 WHERE id = 900',
    mode: 'write',
  });
  expect(update.end).toBeDefined();
  expect(await invoiceCount()).toBe(before + 1);
  const del = await runStatement(backend.server, db.id, {
    statement: 'DELETE FROM invoices WHERE id = 900',
    mode: 'write',
  });
  expect(del.end).toBeDefined();
  expect(await invoiceCount()).toBe(before);
});

it('truncates at the row cap and says so', async () => {
  const answer = await runStatement(backend.server, db.id, {
    statement: 'SELECT g FROM generate_series(1, 100000) g',
    maxRows: 10,
  });
  expect(answer.rows).toHaveLength(10);
  expect(answer.end).toMatchObject({ rowCount: 10, truncated: true });
  const exact = await runStatement(backend.server, db.id, {
    statement: 'SELECT g FROM generate_series(1, 10) g',
    maxRows: 10,
  });
  expect(exact.end).toMatchObject({ rowCount: 10, truncated: false });
});

it('takes a statement up to the 100 KB limit, multi-byte characters too, and refuses a longer one with the limit', async () => {
  // 60,000 two-byte characters: under the statement limit, over 100 KB of JSON body.
  const long = await runStatement(backend.server, db.id, {
    statement: `SELECT length('${'é'.repeat(60_000)}') AS n`,
  });
  expect(long.status).toBe(200);
  expect(long.rows).toEqual([[60_000]]);
  const tooLong = await runStatement(backend.server, db.id, {
    statement: `SELECT 1 -- ${'x'.repeat(150_000)}`,
  });
  expect(tooLong.status).toBe(400);
  expect(tooLong.body.error.message).toContain('at most 100 KB');
});

it('stops a statement longer than the timeout on the server', async () => {
  const started = Date.now();
  const answer = await runStatement(backend.server, db.id, {
    statement: 'SELECT pg_sleep(30) /* timeout-probe */',
  });
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(answer.status).toBe(400);
  expect(answer.body.error.message).toMatch(/statement timeout/);
  expect(await running('timeout-probe')).toBe(0);
  const mine = await history(backend.server, db.id);
  expect(
    mine.body.items.find((s: any) => s.statement.includes('timeout-probe')),
  ).toMatchObject({ outcome: 'timed-out' });
});

it('cancels a running statement on the server, for the user who started it only', async () => {
  // The server's timeout is 2 s: a cursor that streams slowly runs longer than that only while
  // rows are produced, so the statement sleeps in one function call of 1.5 s per row.
  const runId = randomUUID();
  const pending = runStatement(backend.server, db.id, {
    statement:
      'SELECT g, pg_sleep(1.5) /* cancel-probe */ FROM generate_series(1, 1) g',
    runId,
  });
  const deadline = Date.now() + 10_000;
  while ((await running('cancel-probe')) === 0 && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 50));
  }
  expect(await running('cancel-probe')).toBe(1);
  await request(backend.server)
    .post(`${API}/databases/${db.id}/console/runs/${runId}/cancel`)
    .set(as(ADMIN))
    .expect(404);
  await request(backend.server)
    .post(`${API}/databases/${db.id}/console/runs/${runId}/cancel`)
    .set(as(OWNER))
    .expect(202);
  const answer = await pending;
  expect(answer.body.error?.message ?? answer.error?.message).toMatch(
    /canceling statement due to user request|cancelled/,
  );
  expect(await running('cancel-probe')).toBe(0);
  const mine = await history(backend.server, db.id);
  expect(
    mine.body.items.filter((s: any) => s.statement.includes('cancel-probe')),
  ).toEqual([expect.objectContaining({ outcome: 'cancelled' })]);
});

it('records every statement once with its outcome; the trail is for admins', async () => {
  const marker = `audit-${Date.now()}`;
  await runStatement(backend.server, db.id, {
    statement: `SELECT '${marker}-ok'`,
  });
  await runStatement(backend.server, db.id, {
    statement: `INSERT INTO invoices VALUES (777, 1) /* ${marker}-ro */`,
  });
  const trail = await history(backend.server, db.id, ADMIN, false);
  expect(trail.status).toBe(200);
  const mine = trail.body.items.filter((s: any) =>
    s.statement.includes(marker),
  );
  expect(
    mine.map((s: any) => [s.statement, s.outcome, s.user, s.mode]),
  ).toEqual([
    [expect.stringContaining(`${marker}-ro`), 'failed', OWNER, 'read'],
    [expect.stringContaining(`${marker}-ok`), 'succeeded', OWNER, 'read'],
  ]);
  expect(mine[0].message).toMatch(/read-only transaction|permission denied/);
  expect(mine[1]).toMatchObject({ rowCount: 1, truncated: false });
  // Owners see their own statements, not the trail.
  await history(backend.server, db.id, OWNER, false).then(r =>
    expect(r.status).toBe(403),
  );
  const own = await history(backend.server, db.id, OWNER);
  expect(own.body.items.every((s: any) => s.user === OWNER)).toBe(true);
  expect(JSON.stringify(trail.body)).not.toMatch(/password/i);
});

it('answers 403 to a user without the console permission, and runs nothing', async () => {
  const before = (await history(backend.server, db.id, ADMIN, false)).body.items
    .length;
  const answer = await runStatement(
    backend.server,
    db.id,
    { statement: 'SELECT pg_sleep(0) /* stranger */' },
    STRANGER,
  );
  expect(answer.status).toBe(403);
  const writer = await runStatement(
    backend.server,
    db.id,
    {
      statement: 'SELECT 1',
      mode: 'write',
    },
    STRANGER,
  );
  expect(writer.status).toBe(403);
  const after = (await history(backend.server, db.id, ADMIN, false)).body.items;
  expect(after.length).toBe(before);
  expect(after.some((s: any) => s.statement.includes('stranger'))).toBe(false);
});

it('exports a result as CSV, as an attachment', async () => {
  const res = await request(backend.server)
    .post(`${API}/databases/${db.id}/console/statements`)
    .set(as(OWNER))
    .send({
      statement: `SELECT id, 'a,"b"' AS label FROM invoices ORDER BY id LIMIT 2`,
      format: 'csv',
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-disposition']).toMatch(
    /^attachment; filename=".*\.csv"$/,
  );
  expect(res.text).toBe('id,label\r\n1,"a,""b"""\r\n2,"a,""b"""\r\n');
});

it('keeps saved queries to their author unless shared', async () => {
  const created = await request(backend.server)
    .post(`${API}/databases/${db.id}/console/saved-queries`)
    .set(as(OWNER))
    .send({
      name: 'Big invoices',
      statement: 'SELECT * FROM invoices WHERE total > 100',
    })
    .expect(201);
  const adminList = await request(backend.server)
    .get(`${API}/databases/${db.id}/console/saved-queries`)
    .set(as(ADMIN));
  expect(adminList.body.items.map((q: any) => q.id)).not.toContain(
    created.body.id,
  );
  await request(backend.server)
    .put(`${API}/databases/${db.id}/console/saved-queries/${created.body.id}`)
    .set(as(OWNER))
    .send({
      name: 'Big invoices',
      statement: created.body.statement,
      shared: true,
    })
    .expect(200);
  const shared = await request(backend.server)
    .get(`${API}/databases/${db.id}/console/saved-queries`)
    .set(as(ADMIN));
  expect(shared.body.items).toEqual([
    expect.objectContaining({
      id: created.body.id,
      shared: true,
      createdBy: OWNER,
    }),
  ]);
  await request(backend.server)
    .delete(
      `${API}/databases/${db.id}/console/saved-queries/${created.body.id}`,
    )
    .set(as(ADMIN))
    .expect(403);
  await request(backend.server)
    .delete(
      `${API}/databases/${db.id}/console/saved-queries/${created.body.id}`,
    )
    .set(as(OWNER))
    .expect(204);
});
