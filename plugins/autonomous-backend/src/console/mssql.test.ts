import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  consoleHarness,
  CREDENTIALS,
  startError,
} from '../__testUtils__/consoleHarness';
import { mssqlEngine } from './mssql';

/*
 * The SQL Server adapter against a module-level fake of mssql (no SQL Server here, and TDS is
 * not faked): ConnectionPool, Transaction and a Request that streams like mssql's — the
 * 'recordset', 'row', 'done' and 'error' events, pause/resume, toReadableStream, cancel
 * (ECANCEL) and requestTimeout (ETIMEOUT) — and refuses writes to the read-only user with
 * SQL Server's own message.
 */

const requestError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, name: 'RequestError' });

const mockServer = {
  produced: 0,
  attentions: 0,
  rolledBack: 0,
  users: [] as string[],
  lastTimeout: 0,
};

class MockPool {
  constructor(readonly config: { user: string }) {
    mockServer.users.push(config.user);
  }
  async connect() {
    return this;
  }
  async close() {}
}

class MockTransaction {
  constructor(readonly pool: MockPool) {}
  async begin() {}
  async rollback() {
    mockServer.rolledBack++;
  }
}

class MockRequest extends EventEmitter {
  arrayRowMode = false;
  private paused = false;
  private finished = false;
  private wake?: () => void;
  private readonly user: string;

  constructor(
    parent: MockPool | MockTransaction,
    readonly overrides: { requestTimeout?: number } = {},
  ) {
    super();
    this.user = ('pool' in parent ? parent.pool : parent).config.user;
  }

  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
    this.wake?.();
  }

  toReadableStream(options: { highWaterMark: number }) {
    this.pause();
    const stream = new Readable({
      ...options,
      objectMode: true,
      read: () => this.resume(),
    });
    this.on('row', row => {
      if (!stream.push(row)) this.pause();
    });
    this.on('error', e => stream.destroy(e));
    this.on('done', () => stream.push(null));
    return stream;
  }

  cancel() {
    if (this.finished) return;
    mockServer.attentions++;
    this.fail(requestError('ECANCEL', 'Canceled.'));
  }

  private fail(error: Error) {
    this.finished = true;
    this.emit('error', error);
    this.emit('done', { rowsAffected: [] });
    this.wake?.();
  }

  private async rows(count: number) {
    for (let i = 0; i < count && !this.finished; i++) {
      while (this.paused && !this.finished) {
        await new Promise<void>(resolve => (this.wake = resolve));
      }
      if (this.finished) return;
      mockServer.produced++;
      this.emit('row', [i, `order ${i}`]);
      if (i % 50 === 0) await new Promise(resolve => setImmediate(resolve));
    }
  }

  async query(statement: string) {
    mockServer.lastTimeout = this.overrides.requestTimeout ?? 0;
    await new Promise(resolve => setImmediate(resolve));
    if (/^(INSERT|UPDATE|DELETE)/i.test(statement)) {
      if (this.user === CREDENTIALS.readonly.username) {
        this.fail(
          requestError(
            'EREQUEST',
            "The UPDATE permission was denied on the object 'orders', database 'orders', schema 'dbo'.",
          ),
        );
        return;
      }
      this.finished = true;
      this.emit('done', { rowsAffected: [3] });
      return;
    }
    if (/WAITFOR DELAY/i.test(statement)) {
      setTimeout(() => {
        if (this.finished) return;
        mockServer.attentions++;
        this.fail(
          requestError(
            'ETIMEOUT',
            `Timeout: Request failed to complete in ${this.overrides.requestTimeout}ms`,
          ),
        );
      }, this.overrides.requestTimeout);
      return;
    }
    const sets = statement.split(';').filter(s => s.trim());
    for (const _set of sets) {
      if (this.finished) return;
      this.emit('recordset', [
        { index: 0, name: 'id', type: { declaration: 'int' } },
        { index: 1, name: 'title', type: { declaration: 'nvarchar' } },
      ]);
      await this.rows(10_000);
    }
    if (this.finished) return;
    this.finished = true;
    this.emit('done', { rowsAffected: [10_000] });
  }
}

jest.mock('mssql', () => ({
  ConnectionPool: function pool(config: { user: string }) {
    return new MockPool(config);
  },
  Transaction: function transaction(pool: MockPool) {
    return new MockTransaction(pool);
  },
  Request: function request(parent: MockPool, overrides: object) {
    return new MockRequest(parent, overrides);
  },
}));

let harness: Awaited<ReturnType<typeof consoleHarness>>;

beforeAll(async () => {
  harness = await consoleHarness({
    engine: 'mssql',
    adapter: mssqlEngine,
    port: 1433,
    timeoutMs: 300,
  });
});
afterAll(() => harness?.close());
beforeEach(() => {
  mockServer.produced = 0;
  mockServer.attentions = 0;
  mockServer.rolledBack = 0;
});

it('streams a SELECT as the read-only user, in a transaction rolled back at the end', async () => {
  const answer = await harness.run('SELECT id, title FROM orders', {
    maxRows: 2,
  });
  expect(mockServer.users.at(-1)).toBe(CREDENTIALS.readonly.username);
  expect(answer.columns).toEqual([
    { name: 'id', type: 'int' },
    { name: 'title', type: 'nvarchar' },
  ]);
  expect(answer.rows).toEqual([
    [0, 'order 0'],
    [1, 'order 1'],
  ]);
  expect(answer.summary).toMatchObject({ rowCount: 2, truncated: true });
  expect(mockServer.rolledBack).toBe(1);
});

it('applies the cap while streaming: the request is paused, then cancelled on the server', async () => {
  const answer = await harness.run('SELECT id, title FROM orders', {
    maxRows: 1_000,
  });
  expect(answer.summary).toMatchObject({ rowCount: 1_000, truncated: true });
  // Of 10,000 rows, no more than the cap and the stream's buffer were read from the mockServer.
  expect(mockServer.produced).toBeLessThanOrEqual(1_000 + 1 + 500 + 50);
  expect(mockServer.attentions).toBe(1);
});

it('refuses a write to the read-only user with SQL Server’s message; the owner runs it in write mode', async () => {
  const error = await startError(harness.run('UPDATE orders SET total = 0'));
  expect(error.message).toMatch(/UPDATE permission was denied/);
  expect(error.summary.outcome).toBe('failed');
  const write = await harness.run('UPDATE orders SET total = 0', {
    mode: 'write',
  });
  expect(mockServer.users.at(-1)).toBe(CREDENTIALS.owner.username);
  expect(mockServer.rolledBack).toBe(1);
  expect(write.rows).toEqual([[3]]);
});

it('says so when a batch answers a second result set', async () => {
  const answer = await harness.run('SELECT 1; SELECT 2', { maxRows: 100_000 });
  expect(answer.summary.outcome).toBe('failed');
  expect(answer.summary.message).toMatch(/more than one result set/);
});

it('passes requestTimeout: past it the batch is stopped and recorded timed-out', async () => {
  const error = await startError(harness.run("WAITFOR DELAY '00:01:00'"));
  expect(mockServer.lastTimeout).toBe(300);
  expect(mockServer.attentions).toBe(1);
  expect(error.summary.outcome).toBe('timed-out');
});

it('cancel stops the running batch on the server', async () => {
  const slow = await consoleHarness({
    engine: 'mssql',
    adapter: mssqlEngine,
    port: 1433,
    timeoutMs: 60_000,
  });
  try {
    const runId = randomUUID();
    const running = startError(slow.run("WAITFOR DELAY '00:01:00'", { runId }));
    await new Promise(r => setTimeout(r, 100));
    slow.cancel(runId);
    const error = await running;
    expect(error.message).toBe('Canceled.');
    expect(mockServer.attentions).toBe(1);
    expect((await slow.trail())[0].outcome).toBe('cancelled');
  } finally {
    await slow.close();
  }
});
