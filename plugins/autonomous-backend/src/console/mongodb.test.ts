import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import {
  consoleHarness,
  CREDENTIALS,
  startError,
} from '../__testUtils__/consoleHarness';
import { startMongoFake } from '../__testUtils__/mongoFake';
import { mongodbEngine, OTHER_FIELDS } from './mongodb';

/*
 * The MongoDB adapter with the real driver against a local fake speaking the wire protocol
 * (src/__testUtils__/mongoFake.ts), not a MongoDB server: see the README's console section.
 */

jest.setTimeout(60_000);

const orders = Array.from({ length: 5_000 }, (_, i) => ({
  _id: new ObjectId(),
  n: i,
  status: i % 2 ? 'open' : 'paid',
  ...(i === 2_500 ? { note: 'late' } : {}),
}));

let fake: Awaited<ReturnType<typeof startMongoFake>>;
let harness: Awaited<ReturnType<typeof consoleHarness>>;

beforeAll(async () => {
  fake = await startMongoFake({
    database: 'orders',
    users: {
      [CREDENTIALS.owner.username]: {
        password: CREDENTIALS.owner.password,
        role: 'readWrite',
      },
      [CREDENTIALS.readonly.username]: {
        password: CREDENTIALS.readonly.password,
        role: 'read',
      },
    },
    collections: { orders, slow: [] },
  });
  harness = await consoleHarness({
    engine: 'mongodb',
    adapter: mongodbEngine,
    port: fake.port,
    timeoutMs: 500,
  });
});

afterAll(async () => {
  await harness?.close();
  await fake?.close();
});

beforeEach(() => fake.commands.splice(0));

it('answers a find as the read-only user, one column per field with its BSON type', async () => {
  const answer = await harness.run(
    'db.orders.find({"status": "paid"}).limit(2)',
  );
  expect(answer.columns).toEqual([
    { name: '_id', type: 'objectId' },
    { name: 'n', type: 'int' },
    { name: 'status', type: 'string' },
  ]);
  expect(answer.rows).toEqual([
    [orders[0]._id.toHexString(), 0, 'paid'],
    [orders[2]._id.toHexString(), 2, 'paid'],
  ]);
  expect(answer.summary).toMatchObject({
    outcome: 'succeeded',
    rowCount: 2,
    truncated: false,
  });
  const [find] = fake.named('find');
  expect(find.user).toBe(CREDENTIALS.readonly.username);
  expect(find.command).toMatchObject({ filter: { status: 'paid' }, limit: 2 });
});

it('takes a command document too; distinct answers a row per value, countDocuments 0 when nothing matches', async () => {
  const answer = await harness.run('{"distinct": "orders", "key": "status"}');
  expect(answer.columns).toEqual([{ name: 'value', type: 'string' }]);
  expect(answer.rows).toEqual([['paid'], ['open']]);
  const none = await harness.run(
    'db.orders.countDocuments({"status": "lost"})',
  );
  expect(none.columns).toEqual([{ name: 'n', type: 'int' }]);
  expect(none.rows).toEqual([[0]]);
});

it.each([
  [
    'an insert',
    'db.orders.insertOne({"n": -1})',
    /insertOne writes: switch to write mode/,
  ],
  [
    '$out',
    'db.orders.aggregate([{"$out": "copy"}])',
    /with \$out or \$merge is not one/,
  ],
  [
    'a write command document',
    '{"insert": "orders", "documents": [{}]}',
    /insert is not one.*db\.<collection>\.find/,
  ],
  [
    'an unknown method',
    'db.orders.mapReduce()',
    /not a method the console runs/,
  ],
  [
    'unquoted keys',
    'db.orders.find({status: "open"})',
    /must be JSON .*quoted keys/,
  ],
])(
  'refuses %s in read mode with a sentence naming the accepted forms',
  async (_what, statement, message) => {
    const error = await startError(harness.run(statement));
    expect(error.message).toMatch(message);
    expect(error.summary.outcome).toBe('failed');
    expect(fake.named('insert')).toHaveLength(0);
    expect(fake.named('aggregate')).toHaveLength(0);
  },
);

it('writes in write mode as the owner, and the read-only user is refused by the server', async () => {
  const insert = await harness.run(
    'db.orders.insertOne({"n": 9000, "status": "new"})',
    { mode: 'write' },
  );
  expect(insert.rows).toEqual([[1]]);
  expect(fake.named('insert')[0].user).toBe(CREDENTIALS.owner.username);
  // The server's own refusal, as the read role gives it, reaches the user unchanged.
  const readOnly = await consoleHarness({
    engine: 'mongodb',
    adapter: {
      ...mongodbEngine,
      open: target =>
        mongodbEngine.open({ ...target, ...CREDENTIALS.readonly }),
    },
    port: fake.port,
  });
  try {
    const error = await startError(
      readOnly.run('db.orders.insertOne({"n": 1})', { mode: 'write' }),
    );
    expect(error.message).toMatch(/not authorized on orders/);
  } finally {
    await readOnly.close();
  }
});

it('stops at the cap while streaming: one getMore, then the cursor is killed', async () => {
  const answer = await harness.run('db.orders.find({})', { maxRows: 1_500 });
  expect(answer.rows).toHaveLength(1_500);
  expect(answer.summary).toMatchObject({ rowCount: 1_500, truncated: true });
  expect(fake.named('find')[0].command.batchSize).toBe(1_000);
  // 5,000 documents, but only the batches the cap needed were asked for.
  expect(fake.named('getMore')).toHaveLength(1);
  expect(fake.named('killCursors')).toHaveLength(1);
  expect(fake.openCursors()).toBe(0);
});

it('keeps fields only later batches have in the last column', async () => {
  const answer = await harness.run('db.orders.find({})', { maxRows: 3_000 });
  expect(answer.columns.map(c => c.name)).toEqual([
    '_id',
    'n',
    'status',
    OTHER_FIELDS,
  ]);
  expect(answer.rows[2_500][3]).toEqual({ note: 'late' });
  expect(answer.rows[2_499][3]).toBeNull();
});

it('sends maxTimeMS: the server ends a slow find and the trail says timed-out', async () => {
  const error = await startError(harness.run('db.slow.find({})'));
  expect(error.message).toMatch(/exceeded time limit/);
  expect(error.summary.outcome).toBe('timed-out');
  expect(fake.named('find')[0].command.maxTimeMS).toBe(500);
  expect(fake.running()).toBe(0);
});

it('cancel kills the running operation on the server, found by its comment', async () => {
  const slow = await consoleHarness({
    engine: 'mongodb',
    adapter: mongodbEngine,
    port: fake.port,
    timeoutMs: 60_000,
  });
  try {
    const runId = randomUUID();
    const running = startError(slow.run('db.slow.find({})', { runId }));
    while (fake.running() === 0) await new Promise(r => setTimeout(r, 20));
    slow.cancel(runId);
    const error = await running;
    expect(error.message).toMatch(/interrupted/);
    expect(error.summary.outcome).toBe('cancelled');
    expect(fake.named('killOp')).toHaveLength(1);
    expect(fake.running()).toBe(0);
    const [record] = await slow.trail();
    expect(record).toMatchObject({
      outcome: 'cancelled',
      statement: 'db.slow.find({})',
    });
  } finally {
    await slow.close();
  }
});

it('records every statement once with its outcome', async () => {
  const trail = await harness.trail();
  expect(trail.filter(r => r.outcome === 'running')).toEqual([]);
  const count = (outcome: string) =>
    trail.filter(r => r.outcome === outcome).length;
  // Above: six runs that read or wrote, five refused, one timed out; one row each.
  expect(trail).toHaveLength(12);
  expect(count('succeeded')).toBe(6);
  expect(count('failed')).toBe(5);
  expect(count('timed-out')).toBe(1);
});
