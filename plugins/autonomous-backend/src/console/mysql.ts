import { Connection, createConnection, FieldPacket, Types } from 'mysql2';
import {
  ConsoleColumn,
  ConsoleEngine,
  ConsoleResult,
  ConsoleSession,
  ConsoleTarget,
  jsonValue,
  RunOptions,
} from './types';

/** Rows the driver buffers before it pauses the socket (backpressure to the server). */
const HIGH_WATER_ROWS = 500;

function errno(error: unknown): number | undefined {
  const n = (error as { errno?: unknown })?.errno;
  return typeof n === 'number' ? n : undefined;
}

function connect(target: ConsoleTarget): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const conn = createConnection({
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.username,
      password: target.password,
      // One statement per run: `SET …; DELETE …` is refused by the server's parser.
      multipleStatements: false,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    conn.once('connect', () => resolve(conn));
    conn.once('error', reject);
  });
}

function exec(conn: Connection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    conn.query(sql, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );
}

class MysqlSession implements ConsoleSession {
  private closed = false;
  private inTransaction = false;

  constructor(
    private readonly conn: Connection,
    private readonly target: ConsoleTarget,
  ) {}

  async run(statement: string, options: RunOptions): Promise<ConsoleResult> {
    const version = String(
      (
        (await exec(this.conn, 'SELECT VERSION() AS v')) as Array<{ v: string }>
      )[0].v,
    );
    const timeout = Math.max(1, Math.round(options.timeoutMs));
    await exec(
      this.conn,
      /mariadb/i.test(version)
        ? `SET SESSION max_statement_time = ${timeout / 1000}`
        : `SET SESSION max_execution_time = ${timeout}`,
    );
    await exec(
      this.conn,
      options.mode === 'read'
        ? 'START TRANSACTION READ ONLY'
        : 'START TRANSACTION',
    );
    this.inTransaction = true;
    const query = this.conn.query({ sql: statement, rowsAsArray: true });
    const stream = query.stream({ highWaterMark: HIGH_WATER_ROWS });
    // The error reaches the reader through `fields` below or the rows' iterator; without a
    // listener the stream's own 'error' event would be thrown at the process.
    stream.on('error', () => {});
    const fields = await new Promise<FieldPacket[] | undefined>(
      (resolve, reject) => {
        query.once('fields', (f: FieldPacket[]) => resolve(f));
        query.once('result', (r: unknown) => {
          if (!Array.isArray(r)) resolve(undefined);
        });
        query.once('error', reject);
        query.once('end', () => resolve(undefined));
      },
    );
    const typeNames = Types as unknown as Record<number, string>;
    const columns: ConsoleColumn[] = fields
      ? fields.map(f => ({
          name: f.name,
          type: typeNames[f.columnType ?? f.type ?? -1] ?? 'unknown',
        }))
      : [{ name: 'affectedRows', type: 'LONGLONG' }];
    const commit = async () => {
      await exec(this.conn, 'COMMIT');
      this.inTransaction = false;
    };
    async function* rows(): AsyncGenerator<unknown[]> {
      for await (const item of stream) {
        if (Array.isArray(item)) yield item.map(jsonValue);
        else yield [(item as { affectedRows?: number }).affectedRows ?? 0];
      }
      await commit();
    }
    return { columns, rows: rows() };
  }

  async cancel(): Promise<void> {
    if (this.closed) return;
    // KILL QUERY from a second connection of the same user: a user may kill its own threads.
    const other = await connect(this.target);
    other.on('error', () => {});
    try {
      await exec(other, `KILL QUERY ${Number(this.conn.threadId)}`);
    } finally {
      other.destroy();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inTransaction) {
      // Rows left unread (the cap): the connection is dropped, the server ends the query and
      // rolls back; a write whose rows were all read was committed above.
      this.conn.destroy();
      return;
    }
    await new Promise<void>(resolve => this.conn.end(() => resolve()));
  }
}

/**
 * MySQL and MariaDB through mysql2's streaming query: the driver pauses the socket when the
 * rows are not read, so the server waits instead of the backend buffering. Read mode runs as
 * the read-only user (GRANT SELECT) inside `START TRANSACTION READ ONLY`; the server's own
 * timeout is `max_statement_time` (MariaDB) or `max_execution_time` (MySQL, SELECT only).
 */
export const mysqlEngine: ConsoleEngine = {
  async open(target) {
    const conn = await connect(target);
    conn.on('error', () => {});
    return new MysqlSession(conn, target);
  },
  isTimeout(error) {
    // 1969: MariaDB's max_statement_time; 3024: MySQL's max_execution_time.
    const n = errno(error);
    return n === 1969 || n === 3024;
  },
};
