import { errors, types } from 'cassandra-driver';
import { randomUUID } from 'node:crypto';
import {
  consoleHarness,
  CREDENTIALS,
  startError,
} from '../__testUtils__/consoleHarness';
import { cassandraEngine } from './cassandra';

/*
 * The Cassandra adapter with the real driver's types, errors, auth and policies and a fake
 * Client (no Cassandra node here, and CQL's protocol is not faked): execute() pages by
 * fetchSize and pageState as the driver documents, enforces readTimeout with the driver's
 * OperationTimedOutError, and refuses writes to the SELECT-only role with Cassandra's message.
 */

const mockCluster = {
  executes: [] as Array<{ query: string; user: string; options: any }>,
  shutdowns: 0,
};

class MockClient {
  private pending = new Set<(e: Error) => void>();
  constructor(readonly options: { authProvider: { username: string } }) {}
  async connect() {}
  async shutdown() {
    mockCluster.shutdowns++;
    for (const reject of this.pending)
      reject(new Error('The client was shut down'));
  }
  async execute(query: string, _params: unknown[], options: any) {
    const user = this.options.authProvider.username;
    mockCluster.executes.push({ query, user, options });
    if (/^(INSERT|UPDATE|DELETE)/i.test(query)) {
      if (user === CREDENTIALS.readonly.username) {
        throw Object.assign(
          new Error(
            `User ${user} has no MODIFY permission on <table orders.orders> or any of its parents`,
          ),
          {
            code: types.responseErrorCodes.unauthorized,
            name: 'ResponseError',
          },
        );
      }
      return { columns: null, rows: undefined, pageState: null };
    }
    if (/slow/.test(query)) {
      return new Promise((_resolve, reject) => {
        let timer: NodeJS.Timeout | undefined = undefined;
        const fail = (e: Error) => {
          clearTimeout(timer);
          this.pending.delete(fail);
          reject(e);
        };
        timer = setTimeout(
          () =>
            fail(
              new errors.OperationTimedOutError(
                `The host 127.0.0.1:9042 did not reply before timeout ${options.readTimeout} ms`,
              ),
            ),
          options.readTimeout,
        );
        this.pending.add(fail);
      });
    }
    const from = Number(options.pageState ?? 0);
    const to = Math.min(5_000, from + options.fetchSize);
    const rows = Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      const values = [
        types.Long.fromNumber(i),
        new Date(0),
        new Set(['a', 'b']),
      ];
      return { values: () => values };
    });
    return {
      columns: [
        { name: 'id', type: { code: types.dataTypes.bigint } },
        { name: 'placed', type: { code: types.dataTypes.timestamp } },
        {
          name: 'tags',
          type: {
            code: types.dataTypes.set,
            info: { code: types.dataTypes.text },
          },
        },
      ],
      rows,
      pageState: to < 5_000 ? String(to) : null,
    };
  }
}

jest.mock('cassandra-driver', () => ({
  ...jest.requireActual('cassandra-driver'),
  Client: function client(options: any) {
    return new MockClient(options);
  },
}));

let harness: Awaited<ReturnType<typeof consoleHarness>>;

beforeAll(async () => {
  harness = await consoleHarness({
    engine: 'cassandra',
    adapter: cassandraEngine,
    port: 9042,
    timeoutMs: 300,
  });
});
afterAll(() => harness?.close());
beforeEach(() => mockCluster.executes.splice(0));

it('reads a page as the SELECT-only role, with CQL type names and JSON values', async () => {
  const answer = await harness.run('SELECT id, placed, tags FROM orders;', {
    maxRows: 2,
  });
  expect(mockCluster.executes[0]).toMatchObject({
    query: 'SELECT id, placed, tags FROM orders',
    user: CREDENTIALS.readonly.username,
    options: { fetchSize: 3, readTimeout: 300, prepare: false },
  });
  expect(answer.columns).toEqual([
    { name: 'id', type: 'bigint' },
    { name: 'placed', type: 'timestamp' },
    { name: 'tags', type: 'set<text>' },
  ]);
  expect(answer.rows[1]).toEqual(['1', '1970-01-01T00:00:00.000Z', ['a', 'b']]);
  expect(answer.summary).toMatchObject({ rowCount: 2, truncated: true });
});

it('refuses a write to the read-only role with Cassandra’s message; the owner writes in write mode', async () => {
  const error = await startError(
    harness.run('INSERT INTO orders (id) VALUES (1)'),
  );
  expect(error.message).toMatch(/has no MODIFY permission/);
  expect(error.summary.outcome).toBe('failed');
  const write = await harness.run('INSERT INTO orders (id) VALUES (1)', {
    mode: 'write',
  });
  expect(mockCluster.executes.at(-1)?.user).toBe(CREDENTIALS.owner.username);
  expect(write.rows).toEqual([[true]]);
});

it('asks for the next page only when the rows before it were sent, and stops at the cap', async () => {
  const answer = await harness.run('SELECT id, placed, tags FROM orders', {
    maxRows: 1_500,
  });
  expect(answer.summary).toMatchObject({ rowCount: 1_500, truncated: true });
  expect(mockCluster.executes.map(e => e.options.pageState ?? null)).toEqual([
    null,
    '1000',
  ]);
});

it('gives up past readTimeout and records timed-out', async () => {
  const error = await startError(harness.run('SELECT * FROM slow'));
  expect(error.message).toMatch(/did not reply before timeout 300 ms/);
  expect(error.summary.outcome).toBe('timed-out');
});

it('cancel stops paging at once and closes the connection', async () => {
  const slow = await consoleHarness({
    engine: 'cassandra',
    adapter: cassandraEngine,
    port: 9042,
    timeoutMs: 60_000,
  });
  try {
    const runId = randomUUID();
    const answer = await slow.run('SELECT id, placed, tags FROM orders', {
      runId,
      maxRows: 5_000,
      onRow: (_values, index) => {
        if (index === 10) slow.cancel(runId);
      },
    });
    expect(answer.summary).toMatchObject({
      outcome: 'cancelled',
      rowCount: 11,
    });
    expect(mockCluster.executes).toHaveLength(1);
    const shutdowns = mockCluster.shutdowns;
    const running = startError(slow.run('SELECT * FROM slow', { runId }));
    await new Promise(r => setTimeout(r, 50));
    slow.cancel(runId);
    expect((await running).summary.outcome).toBe('cancelled');
    expect(mockCluster.shutdowns).toBeGreaterThan(shutdowns);
  } finally {
    await slow.close();
  }
});
