import { auth, Client, errors, policies, types } from 'cassandra-driver';
import {
  ConsoleEngine,
  ConsoleResult,
  ConsoleSession,
  ConsoleTarget,
  jsonValue,
  RunOptions,
} from './types';

// In the driver's types module but not in its typings.
const typeName = (
  types as unknown as {
    getDataTypeNameByCode(type: { code: number; info?: unknown }): string;
  }
).getDataTypeNameByCode;

/** Rows per page (fetchSize): a round trip each, the next one asked only when read. */
const PAGE_ROWS = 1_000;

/** CQL values as JSON: collections stay collections, driver types (Long, Uuid…) as text. */
function cqlValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || Buffer.isBuffer(value)) return jsonValue(value);
  if (Array.isArray(value)) return value.map(cqlValue);
  if (value instanceof Set) return [...value].map(cqlValue);
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([k, v]) => [String(cqlValue(k)), cqlValue(v)]),
    );
  }
  if (typeof value === 'object') {
    if (Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, cqlValue(v)]),
      );
    }
    return String(value);
  }
  return value;
}

class CassandraSession implements ConsoleSession {
  private stopped = false;

  constructor(private readonly client: Client) {}

  async run(statement: string, options: RunOptions): Promise<ConsoleResult> {
    const queryOptions = {
      prepare: false,
      fetchSize: Math.min(PAGE_ROWS, options.maxRows + 1),
      // The driver gives up on a page past it; the server's own read_request_timeout bounds
      // the read there.
      readTimeout: Math.max(1, Math.round(options.timeoutMs)),
      isIdempotent: false,
    };
    const text = statement.replace(/;\s*$/, '');
    const first = await this.client.execute(text, [], queryOptions);
    const columns = (first.columns ?? []).map(c => ({
      name: c.name,
      type: typeName(c.type),
    }));
    if (!first.columns) {
      // A write answers no rows: say that it was applied.
      return {
        columns: [{ name: 'applied', type: 'boolean' }],
        rows: (async function* one() {
          yield [true];
        })(),
      };
    }
    const stopped = () => this.stopped;
    const client = this.client;
    async function* rows(): AsyncGenerator<unknown[]> {
      let page = first;
      for (;;) {
        for (const row of page.rows) yield row.values().map(cqlValue);
        // Cancel stops asking for pages; a page request already sent runs to its end.
        if (!page.pageState || stopped()) return;
        page = await client.execute(text, [], {
          ...queryOptions,
          fetchSize: PAGE_ROWS,
          pageState: page.pageState,
        });
      }
    }
    return { columns, rows: rows() };
  }

  async cancel(): Promise<void> {
    // CQL has no way to stop a request on the server: no further page is asked for, and the
    // connection is closed (the server finishes the page it is reading, bounded by its timeout).
    this.stopped = true;
    await this.close();
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.client.shutdown().catch(() => undefined);
  }
}

/**
 * Apache Cassandra through the DataStax driver: one CQL statement per run, rows read a page
 * (fetchSize) at a time, the next page asked for only when the rows before it were sent. Read
 * mode runs as the read-only role (SELECT on the keyspace only); CQL has no transactions. The
 * timeout is the driver's readTimeout per page.
 */
export const cassandraEngine: ConsoleEngine = {
  async open(target: ConsoleTarget): Promise<ConsoleSession> {
    const client = new Client({
      contactPoints: [`${target.host}:${target.port}`],
      keyspace: target.database,
      authProvider: new auth.PlainTextAuthProvider(
        target.username,
        target.password,
      ),
      // One node: no data centre to name, no other node to try.
      policies: {
        loadBalancing: new policies.loadBalancing.RoundRobinPolicy(),
        retry: new policies.retry.FallthroughRetryPolicy(),
      },
      socketOptions: { connectTimeout: 10_000 },
      pooling: { coreConnectionsPerHost: { [types.distance.local]: 1 } },
    });
    await client.connect();
    return new CassandraSession(client);
  },
  isTimeout(error) {
    return (
      error instanceof errors.OperationTimedOutError ||
      (error as { code?: unknown })?.code ===
        types.responseErrorCodes.readTimeout
    );
  },
};
