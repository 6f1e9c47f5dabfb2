import { randomUUID } from 'node:crypto';
import {
  consoleHarness,
  CREDENTIALS,
  startError,
} from '../__testUtils__/consoleHarness';
import { oracleEngine } from './oracle';

/*
 * The Oracle adapter against a module-level fake of node-oracledb (no Oracle server here, and
 * thin mode's TNS protocol is not faked): the fake behaves as the driver's documented API does
 * — getConnection, execute with resultSet, getRows, callTimeout (NJS-123), break (ORA-01013)
 * — and as the server answers a read-only transaction and a user without write privileges.
 */

const ROWS = Array.from({ length: 5_000 }, (_, i) => [i, new Date(0)]);

const oracleError = (code: string, message: string) =>
  Object.assign(new Error(`${code}: ${message}`), { code });

class MockConnection {
  static last: MockConnection;
  callTimeout = 0;
  readOnly = false;
  statements: string[] = [];
  fetched = 0;
  resultSetClosed = false;
  breaks = 0;
  private interrupt?: (e: Error) => void;

  constructor(readonly user: string) {
    MockConnection.last = this;
  }

  async execute(
    sql: string,
    _binds: unknown[],
    options: { fetchArraySize?: number },
  ) {
    this.statements.push(sql);
    if (sql === 'SET TRANSACTION READ ONLY') this.readOnly = true;
    if (/^(SET|ALTER SESSION)/.test(sql)) return {};
    if (/^(INSERT|UPDATE|DELETE)/i.test(sql)) {
      if (this.readOnly) {
        throw oracleError(
          'ORA-01456',
          'may not perform insert/delete/update operation inside a READ ONLY transaction',
        );
      }
      if (this.user === CREDENTIALS.readonly.username) {
        throw oracleError('ORA-01031', 'insufficient privileges');
      }
      return { rowsAffected: 3 };
    }
    if (/dbms_session\.sleep/i.test(sql)) {
      return new Promise((_resolve, reject) => {
        const timer = this.callTimeout
          ? setTimeout(() => {
              this.breaks++;
              reject(
                oracleError(
                  'NJS-123',
                  `call timeout of ${this.callTimeout} ms exceeded`,
                ),
              );
            }, this.callTimeout)
          : undefined;
        this.interrupt = e => {
          clearTimeout(timer);
          reject(e);
        };
      });
    }
    this.fetched = Math.min(options.fetchArraySize ?? 100, ROWS.length);
    const fetched = (n: number) => {
      this.fetched = Math.max(this.fetched, n);
    };
    const closed = () => {
      this.resultSetClosed = true;
    };
    let at = 0;
    return {
      resultSet: {
        metaData: [
          { name: 'ID', dbTypeName: 'NUMBER' },
          { name: 'CREATED', dbTypeName: 'DATE' },
        ],
        async getRows(count: number) {
          const batch = ROWS.slice(at, at + count);
          at += batch.length;
          fetched(at);
          return batch;
        },
        async close() {
          closed();
        },
      },
    };
  }

  async break() {
    this.breaks++;
    this.interrupt?.(
      oracleError('ORA-01013', 'user requested cancel of current operation'),
    );
  }

  async rollback() {
    this.statements.push('ROLLBACK');
  }

  async close() {}
}

const mockDriver = {
  getConnection: jest.fn(
    async (options: { user: string }) => new MockConnection(options.user),
  ),
  initOracleClient: jest.fn(),
};
jest.mock('oracledb', () => ({
  getConnection: (options: { user: string }) =>
    mockDriver.getConnection(options),
  initOracleClient: () => mockDriver.initOracleClient(),
  OUT_FORMAT_ARRAY: 4001,
  DB_TYPE_CLOB: 'CLOB',
  DB_TYPE_NCLOB: 'NCLOB',
  DB_TYPE_BLOB: 'BLOB',
  STRING: 'STRING',
  BUFFER: 'BUFFER',
}));

let harness: Awaited<ReturnType<typeof consoleHarness>>;

beforeAll(async () => {
  harness = await consoleHarness({
    engine: 'oracle',
    adapter: oracleEngine,
    port: 1521,
    database: 'FREEPDB1',
    timeoutMs: 300,
  });
});
afterAll(() => harness?.close());

it('runs a SELECT in a read-only transaction as the read-only user, in the owner’s schema', async () => {
  const answer = await harness.run('SELECT id, created FROM orders;', {
    maxRows: 3,
  });
  expect(mockDriver.getConnection).toHaveBeenLastCalledWith({
    user: CREDENTIALS.readonly.username,
    password: CREDENTIALS.readonly.password,
    connectString: '127.0.0.1:1521/FREEPDB1',
  });
  expect(mockDriver.initOracleClient).not.toHaveBeenCalled();
  expect(MockConnection.last.statements.slice(0, 3)).toEqual([
    'ALTER SESSION SET CURRENT_SCHEMA = orders_owner',
    'SET TRANSACTION READ ONLY',
    'SELECT id, created FROM orders',
  ]);
  expect(answer.columns).toEqual([
    { name: 'ID', type: 'NUMBER' },
    { name: 'CREATED', type: 'DATE' },
  ]);
  expect(answer.rows[0]).toEqual([0, '1970-01-01T00:00:00.000Z']);
  expect(answer.summary).toMatchObject({ rowCount: 3, truncated: true });
  expect(MockConnection.last.statements).toContain('ROLLBACK');
});

it('refuses a write in read mode with the database’s own message, and runs it in write mode as the owner', async () => {
  const error = await startError(harness.run('UPDATE orders SET total = 0'));
  expect(error.message).toMatch(/ORA-01456/);
  expect(error.summary.outcome).toBe('failed');
  const write = await harness.run('UPDATE orders SET total = 0', {
    mode: 'write',
  });
  expect(MockConnection.last.user).toBe(CREDENTIALS.owner.username);
  expect(MockConnection.last.statements).not.toContain(
    'SET TRANSACTION READ ONLY',
  );
  expect(write.columns).toEqual([{ name: 'rowsAffected', type: 'NUMBER' }]);
  expect(write.rows).toEqual([[3]]);
});

it('applies the cap while fetching: two batches of 1,000 of the 5,000 rows read, then the result set closed', async () => {
  const answer = await harness.run('SELECT id, created FROM orders', {
    maxRows: 1_500,
  });
  expect(answer.summary).toMatchObject({ rowCount: 1_500, truncated: true });
  expect(MockConnection.last.fetched).toBe(2_000);
  expect(MockConnection.last.resultSetClosed).toBe(true);
});

it('sets callTimeout: a statement past it is broken off and recorded timed-out', async () => {
  const error = await startError(
    harness.run('BEGIN dbms_session.sleep(60); END;'),
  );
  expect(MockConnection.last.callTimeout).toBe(300);
  expect(error.message).toMatch(/NJS-123/);
  expect(error.summary.outcome).toBe('timed-out');
});

it('cancel sends a break: the server stops the call', async () => {
  const slow = await consoleHarness({
    engine: 'oracle',
    adapter: oracleEngine,
    port: 1521,
    timeoutMs: 60_000,
  });
  try {
    const runId = randomUUID();
    const before = MockConnection.last;
    const running = startError(
      slow.run('BEGIN dbms_session.sleep(60); END;', { runId }),
    );
    while (
      MockConnection.last === before ||
      !MockConnection.last.statements.some(s => /sleep/.test(s))
    ) {
      await new Promise(r => setTimeout(r, 10));
    }
    slow.cancel(runId);
    const error = await running;
    expect(MockConnection.last.breaks).toBe(1);
    expect(error.message).toMatch(/ORA-01013/);
    const [record] = await slow.trail();
    expect(record.outcome).toBe('cancelled');
  } finally {
    await slow.close();
  }
});
