import {
  ConsoleEngine,
  ConsoleResult,
  ConsoleSession,
  ConsoleTarget,
  errorCode,
  jsonValue,
  RunOptions,
} from './types';

// oracledb ships no types: the part of it used here. Thin mode only (pure JavaScript, no
// Oracle Client libraries): initOracleClient is never called, so thick mode never loads.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const oracledb = require('oracledb') as OracleDb;

interface OracleDb {
  getConnection(options: {
    user: string;
    password: string;
    connectString: string;
  }): Promise<OracleConnection>;
  OUT_FORMAT_ARRAY: number;
  DB_TYPE_CLOB: unknown;
  DB_TYPE_NCLOB: unknown;
  DB_TYPE_BLOB: unknown;
  STRING: unknown;
  BUFFER: unknown;
}

interface OracleResultSet {
  metaData: Array<{ name: string; dbTypeName?: string }>;
  getRows(count: number): Promise<unknown[][]>;
  close(): Promise<void>;
}

export interface OracleConnection {
  callTimeout: number;
  execute(
    sql: string,
    binds: unknown[],
    options: Record<string, unknown>,
  ): Promise<{ resultSet?: OracleResultSet; rowsAffected?: number }>;
  break(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

/** Rows fetched per round trip (getRows and the driver's fetchArraySize). */
const BATCH_ROWS = 1_000;

/** LOBs come as text and bytes, not as LOB objects that need their own reads. */
function fetchTypeHandler(md: { dbType: unknown }) {
  if (
    md.dbType === oracledb.DB_TYPE_CLOB ||
    md.dbType === oracledb.DB_TYPE_NCLOB
  ) {
    return { type: oracledb.STRING };
  }
  if (md.dbType === oracledb.DB_TYPE_BLOB) return { type: oracledb.BUFFER };
  return undefined;
}

/** A schema name as Oracle reads an unquoted identifier, or nothing (it is never quoted in). */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_$#]{0,127}$/;

class OracleSession implements ConsoleSession {
  private resultSet?: OracleResultSet;
  private closed = false;

  constructor(
    private readonly conn: OracleConnection,
    private readonly target: ConsoleTarget,
  ) {}

  async run(statement: string, options: RunOptions): Promise<ConsoleResult> {
    // Every round trip (the statement, each getRows) is bounded: past it the driver breaks the
    // call on the server (ORA-01013) and answers NJS-123.
    this.conn.callTimeout = Math.max(1, Math.round(options.timeoutMs));
    if (this.target.schema && IDENTIFIER.test(this.target.schema)) {
      // Unqualified names are the owner's tables, for the read-only user too.
      await this.conn.execute(
        `ALTER SESSION SET CURRENT_SCHEMA = ${this.target.schema}`,
        [],
        {},
      );
    }
    if (options.mode === 'read') {
      await this.conn.execute('SET TRANSACTION READ ONLY', [], {});
    }
    const result = await this.conn.execute(
      // A trailing semicolon ends a statement in SQL*Plus, but is an error for the server.
      statement.replace(/;\s*$/, ''),
      [],
      {
        resultSet: true,
        outFormat: oracledb.OUT_FORMAT_ARRAY,
        fetchArraySize: Math.min(BATCH_ROWS, options.maxRows + 1),
        fetchTypeHandler,
        autoCommit: options.mode === 'write',
      },
    );
    const resultSet = result.resultSet;
    if (!resultSet) {
      const affected = result.rowsAffected ?? 0;
      return {
        columns: [{ name: 'rowsAffected', type: 'NUMBER' }],
        rows: (async function* one() {
          yield [affected];
        })(),
      };
    }
    const rs: OracleResultSet = resultSet;
    this.resultSet = rs;
    const columns = resultSet.metaData.map(c => ({
      name: c.name,
      type: c.dbTypeName ?? 'unknown',
    }));
    async function* rows(): AsyncGenerator<unknown[]> {
      for (;;) {
        const batch = await rs.getRows(BATCH_ROWS);
        for (const row of batch) yield row.map(jsonValue);
        if (batch.length < BATCH_ROWS) return;
      }
    }
    return { columns, rows: rows() };
  }

  async cancel(): Promise<void> {
    // Sends a break on the connection: the server stops the running call (ORA-01013).
    if (!this.closed) await this.conn.break();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.resultSet?.close().catch(() => undefined);
    // Ends the read-only transaction; in write mode every statement was committed on its own.
    await this.conn.rollback().catch(() => undefined);
    await this.conn.close().catch(() => undefined);
  }
}

/**
 * Oracle Database through node-oracledb in thin mode: rows come through a result set a batch at
 * a time, and the result set is closed when the cap is reached. Read mode runs as the read-only
 * user (CREATE SESSION and SELECT ANY TABLE, nothing else) inside `SET TRANSACTION READ ONLY`;
 * the timeout is the connection's callTimeout, which breaks the call on the server.
 */
export const oracleEngine: ConsoleEngine = {
  async open(target: ConsoleTarget): Promise<ConsoleSession> {
    const conn = await oracledb.getConnection({
      user: target.username,
      password: target.password,
      connectString: `${target.host}:${target.port}/${target.database ?? ''}`,
    });
    return new OracleSession(conn, target);
  },
  isTimeout(error) {
    return errorCode(error) === 'NJS-123';
  },
};
