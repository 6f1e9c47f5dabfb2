import {
  ConsoleEngine,
  ConsoleResult,
  ConsoleSession,
  ConsoleTarget,
  errorCode,
  jsonValue,
  RunOptions,
} from './types';

// mssql ships no types: the part of it used here (with tedious, its pure JavaScript driver).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sql = require('mssql') as Mssql;

interface Mssql {
  ConnectionPool: new (config: Record<string, unknown>) => MssqlPool;
  Transaction: new (pool: MssqlPool) => MssqlTransaction;
  Request: new (
    parent: MssqlPool | MssqlTransaction,
    overrides?: { requestTimeout?: number },
  ) => MssqlRequest;
}

export interface MssqlPool {
  connect(): Promise<MssqlPool>;
  close(): Promise<void>;
}

interface MssqlTransaction {
  begin(): Promise<unknown>;
  rollback(): Promise<void>;
}

export interface MssqlColumn {
  name: string;
  type?: { declaration?: string };
}

interface MssqlRequest extends NodeJS.EventEmitter {
  arrayRowMode: boolean;
  toReadableStream(options: {
    highWaterMark: number;
  }): AsyncIterable<unknown[]>;
  query(statement: string): Promise<unknown>;
  cancel(): void;
}

/** Rows the stream holds before it pauses the request (and tedious the socket). */
const HIGH_WATER_ROWS = 500;

class MssqlSession implements ConsoleSession {
  private request?: MssqlRequest;
  private transaction?: MssqlTransaction;
  private closed = false;

  constructor(private readonly pool: MssqlPool) {}

  async run(statement: string, options: RunOptions): Promise<ConsoleResult> {
    let parent: MssqlPool | MssqlTransaction = this.pool;
    if (options.mode === 'read') {
      // SQL Server has no read-only transaction: the read-only user (db_datareader) is what
      // refuses writes. The transaction is rolled back at the end, whatever ran in it.
      this.transaction = new sql.Transaction(this.pool);
      await this.transaction.begin();
      parent = this.transaction;
    }
    // Past requestTimeout tedious sends an attention: the server stops the batch.
    const request = new sql.Request(parent, {
      requestTimeout: Math.max(1, Math.round(options.timeoutMs)),
    });
    this.request = request;
    request.arrayRowMode = true;
    const resultSets: MssqlColumn[][] = [];
    request.on('recordset', (columns: MssqlColumn[]) => {
      resultSets.push(columns);
      // One grid shows one result set: a batch answering a second one is stopped.
      if (resultSets.length === 2) request.cancel();
    });
    let affected = 0;
    request.on('done', (done: { rowsAffected?: number[] }) => {
      affected = (done.rowsAffected ?? []).reduce((a, b) => a + b, 0);
    });
    const stream = request.toReadableStream({ highWaterMark: HIGH_WATER_ROWS });
    request.query(statement).catch(() => undefined);
    const iterator = stream[Symbol.asyncIterator]();
    const tooMany = (error: unknown) =>
      resultSets.length > 1
        ? new Error(
            'the batch answered more than one result set: the console shows one, run its statements one at a time',
          )
        : error;
    let first: IteratorResult<unknown[]>;
    try {
      first = await iterator.next();
    } catch (error) {
      throw tooMany(error);
    }
    if (resultSets.length === 0) {
      return {
        columns: [{ name: 'rowsAffected', type: 'int' }],
        rows: (async function* one() {
          yield [affected];
        })(),
      };
    }
    const columns = resultSets[0].map(c => ({
      name: c.name,
      type: c.type?.declaration ?? 'unknown',
    }));
    async function* rows(): AsyncGenerator<unknown[]> {
      try {
        if (!first.done) yield first.value.map(jsonValue);
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value.map(jsonValue);
        }
      } catch (error) {
        throw tooMany(error);
      }
    }
    return { columns, rows: rows() };
  }

  async cancel(): Promise<void> {
    // An attention on the connection: the server stops the batch (ECANCEL here).
    if (!this.closed) this.request?.cancel();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Rows left unread (the cap): the request is cancelled on the server before the pool goes.
    this.request?.cancel();
    await this.transaction?.rollback().catch(() => undefined);
    await this.pool.close().catch(() => undefined);
  }
}

/**
 * SQL Server through mssql (tedious): rows come through a readable stream that pauses the
 * request when they are not read. Read mode runs as the read-only user (db_datareader) inside a
 * transaction that is always rolled back (SQL Server has no read-only transaction); the
 * timeout is requestTimeout, past which the batch is stopped on the server.
 */
export const mssqlEngine: ConsoleEngine = {
  async open(target: ConsoleTarget): Promise<ConsoleSession> {
    const pool = new sql.ConnectionPool({
      server: target.host,
      port: target.port,
      database: target.database,
      user: target.username,
      password: target.password,
      pool: { min: 0, max: 1 },
      // In-cluster instances serve the image's self-signed certificate.
      options: { encrypt: true, trustServerCertificate: true },
      connectionTimeout: 10_000,
    });
    await pool.connect();
    return new MssqlSession(pool);
  },
  isTimeout(error) {
    return errorCode(error) === 'ETIMEOUT';
  },
};
