import { Client, types } from 'pg';
import {
  ConsoleColumn,
  ConsoleEngine,
  ConsoleResult,
  ConsoleSession,
  ConsoleTarget,
  errorCode,
  jsonValue,
  RunOptions,
} from './types';

// pg-cursor ships no types: the part of it used here.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Cursor = require('pg-cursor') as new (
  text: string,
  values: unknown[] | null,
  config: { rowMode: 'array' },
) => PgCursor;

interface PgCursor {
  read(rows: number): Promise<unknown[][]>;
  close(): Promise<void>;
  _result: { fields: Array<{ name: string; dataTypeID: number }> };
}

const TYPE_NAMES = new Map<number, string>(
  Object.entries(types.builtins).map(([name, oid]) => [
    oid as number,
    name.toLowerCase(),
  ]),
);

/** Rows are fetched from the server's cursor in batches of this many (a round trip each). */
const BATCH_ROWS = 2_000;

class PostgresSession implements ConsoleSession {
  private cursor?: PgCursor;
  private closed = false;
  private inTransaction = false;

  constructor(
    private readonly client: Client,
    private readonly target: ConsoleTarget,
  ) {}

  async run(statement: string, options: RunOptions): Promise<ConsoleResult> {
    const timeout = Math.max(1, Math.round(options.timeoutMs));
    await this.client.query(
      options.mode === 'read'
        ? 'BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY'
        : 'BEGIN',
    );
    this.inTransaction = true;
    await this.client.query(`SET LOCAL statement_timeout = ${timeout}`);
    // Takes the transaction's snapshot: its read-only mode can no longer be changed.
    await this.client.query('SELECT 1');
    const cursor = this.client.query(
      new Cursor(statement, null, { rowMode: 'array' }) as any,
    ) as unknown as PgCursor;
    this.cursor = cursor;
    const first = await cursor.read(Math.min(BATCH_ROWS, options.maxRows + 1));
    const columns: ConsoleColumn[] = (cursor._result.fields ?? []).map(f => ({
      name: f.name,
      type: TYPE_NAMES.get(f.dataTypeID) ?? `oid:${f.dataTypeID}`,
    }));
    const commit = () => this.finish();
    async function* rows(): AsyncGenerator<unknown[]> {
      let batch = first;
      while (batch.length > 0) {
        for (const row of batch) yield row.map(jsonValue);
        batch = await cursor.read(BATCH_ROWS);
      }
      await commit();
    }
    return { columns, rows: rows() };
  }

  /** All rows read: commit (write mode's changes) and leave the transaction. */
  private async finish() {
    if (!this.inTransaction) return;
    await this.cursor?.close();
    this.cursor = undefined;
    await this.client.query('COMMIT');
    this.inTransaction = false;
  }

  async cancel(): Promise<void> {
    if (this.closed) return;
    const pid = (this.client as unknown as { processID?: number }).processID;
    if (!pid) return;
    // pg_cancel_backend from a second connection of the same user: a role may cancel its own
    // backends, and the statement stops on the server, not just in this process.
    const other = new Client({
      host: this.target.host,
      port: this.target.port,
      database: this.target.database,
      user: this.target.username,
      password: this.target.password,
      application_name: 'autonomous-console-cancel',
    });
    other.on('error', () => {});
    try {
      await other.connect();
      await other.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await other.end().catch(() => {});
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Ending the connection rolls back whatever was not committed (a cap reached in write
    // mode commits first: see finish) and closes the cursor on the server.
    if (this.inTransaction && this.cursor) {
      await this.cursor.close().catch(() => {});
      await this.client.query('COMMIT').catch(() => {});
    }
    await this.client.end().catch(() => {});
  }
}

/**
 * PostgreSQL through a server-side cursor (pg-cursor): rows are fetched a batch at a time, so
 * a million-row SELECT never sits in memory. Every statement runs inside a transaction that
 * sets statement_timeout; read mode's is `READ ONLY` and runs as the read-only user, whose role
 * also defaults to read-only transactions. A snapshot is taken before the statement, so a
 * `SET TRANSACTION READ WRITE` typed into the console is refused ("must be called before any
 * query"); the extended protocol refuses several statements in one, so nothing can be slipped
 * in before or after.
 */
export const postgresEngine: ConsoleEngine = {
  async open(target: ConsoleTarget): Promise<ConsoleSession> {
    const client = new Client({
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.username,
      password: target.password,
      application_name: 'autonomous-console',
    });
    // A dropped connection surfaces through the running query; an idle one must not crash.
    client.on('error', () => {});
    await client.connect();
    return new PostgresSession(client, target);
  },
  isTimeout(error) {
    return (
      errorCode(error) === '57014' &&
      /statement timeout/.test(String((error as Error)?.message))
    );
  },
};
