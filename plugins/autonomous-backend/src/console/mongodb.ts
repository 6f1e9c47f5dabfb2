import { randomUUID } from 'node:crypto';
import { AbstractCursor, BSON, Db, Document, MongoClient } from 'mongodb';
import { CURSOR_COMMANDS, parseMongoStatement } from './mongoStatement';
import {
  ConsoleColumn,
  ConsoleEngine,
  ConsoleResult,
  ConsoleSession,
  ConsoleTarget,
  jsonValue,
  RunOptions,
} from './types';

/** Documents per batch (find's batchSize, each getMore): a round trip each. */
const BATCH_DOCS = 1_000;
/** The column that holds fields a later batch's documents have and the first batch's did not. */
export const OTHER_FIELDS = '(other fields)';

function bsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const bson = (value as { _bsontype?: string })._bsontype;
  if (bson) return bson.charAt(0).toLowerCase() + bson.slice(1);
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'int' : 'double';
  }
  return typeof value === 'object' ? 'object' : typeof value;
}

/** A field's value as JSON: ObjectIds as hex, dates as ISO, the rest as relaxed Extended JSON. */
function fieldValue(value: unknown): unknown {
  const bson = (value as { _bsontype?: string })?._bsontype;
  if (bson === 'ObjectId')
    return (value as { toHexString(): string }).toHexString();
  if (value instanceof Date || value === undefined) return jsonValue(value);
  return BSON.EJSON.serialize({ v: value }, { relaxed: true }).v;
}

function columnsOf(docs: Document[]): ConsoleColumn[] {
  const types = new Map<string, string>();
  for (const doc of docs) {
    for (const [name, value] of Object.entries(doc)) {
      if (!types.has(name) || types.get(name) === 'null') {
        types.set(name, bsonType(value));
      }
    }
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

class MongoSession implements ConsoleSession {
  private cursor?: AbstractCursor;
  private closed = false;
  /** Every command of this session carries it: cancel finds the operation by it. */
  private readonly comment = `autonomous-console ${randomUUID()}`;

  constructor(private readonly client: MongoClient, private readonly db: Db) {}

  async run(statement: string, options: RunOptions): Promise<ConsoleResult> {
    const command: Document = {
      ...parseMongoStatement(statement, options.mode),
      maxTimeMS: Math.max(1, Math.round(options.timeoutMs)),
      comment: this.comment,
    };
    const name = Object.keys(command)[0];
    if (!CURSOR_COMMANDS.has(name)) {
      const reply = await this.db.command(command);
      // distinct answers a list of values, count a number; others answer a document.
      const docs: Document[] = Array.isArray(reply.values)
        ? reply.values.map((value: unknown) => ({ value }))
        : [
            Object.fromEntries(
              Object.entries(reply).filter(
                ([k]) => !/^(ok|\$.*|operationTime)$/.test(k),
              ),
            ),
          ];
      return this.answer(docs, undefined);
    }
    const batchSize = Math.min(BATCH_DOCS, options.maxRows + 1);
    if (name === 'find') command.batchSize = batchSize;
    else command.cursor = { ...command.cursor, batchSize };
    const cursor = this.db.runCursorCommand(command).setBatchSize(BATCH_DOCS);
    this.cursor = cursor;
    // The first batch answers the command: its errors are the server's, before any row.
    await cursor.hasNext();
    return this.answer(cursor.readBufferedDocuments(), cursor);
  }

  private answer(first: Document[], cursor?: AbstractCursor): ConsoleResult {
    const columns = columnsOf(first);
    const more = !!cursor && !cursor.closed && !cursor.id?.isZero();
    if (more) columns.push({ name: OTHER_FIELDS, type: 'object' });
    const known = new Set(columns.map(c => c.name));
    const row = (doc: Document) => {
      const values = columns.map(c => fieldValue(doc[c.name]));
      if (more) {
        const other = Object.entries(doc).filter(([k]) => !known.has(k));
        values[values.length - 1] = other.length
          ? fieldValue(Object.fromEntries(other))
          : null;
      }
      return values;
    };
    async function* rows(): AsyncGenerator<unknown[]> {
      for (const doc of first) yield row(doc);
      if (cursor) for await (const doc of cursor) yield row(doc);
    }
    return { columns, rows: rows() };
  }

  async cancel(): Promise<void> {
    if (this.closed) return;
    // The operation still running (the first batch, a getMore) is killed on the server by its
    // comment; a user may kill its own operations. Closing the cursor then frees it (killCursors).
    const admin = this.client.db('admin');
    const ops = await admin.command({
      currentOp: 1,
      $ownOps: true,
      'command.comment': this.comment,
    });
    for (const op of (ops.inprog ?? []) as Array<{ opid: unknown }>) {
      await admin.command({ killOp: 1, op: op.opid });
    }
    await this.cursor?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A cursor left open (the cap) is killed on the server before the connection goes.
    await this.cursor?.close().catch(() => undefined);
    await this.client.close().catch(() => undefined);
  }
}

/**
 * MongoDB through the official driver: one command per run (see mongoStatement.ts for the two
 * statement forms), rows read a batch at a time from the server's cursor and the cursor killed
 * when the cap is reached. Read mode runs as the read-only user (role `read` on the instance's
 * database) and accepts only reading commands; the server's own timeout is maxTimeMS.
 */
export const mongodbEngine: ConsoleEngine = {
  async open(target: ConsoleTarget): Promise<ConsoleSession> {
    const client = new MongoClient(`mongodb://${target.host}:${target.port}/`, {
      auth: { username: target.username, password: target.password },
      authSource: target.database,
      authMechanism: 'SCRAM-SHA-256',
      directConnection: true,
      maxPoolSize: 2,
      serverSelectionTimeoutMS: 10_000,
      appName: 'autonomous-console',
    });
    await client.connect();
    return new MongoSession(client, client.db(target.database));
  },
  isTimeout(error) {
    // 50: MaxTimeMSExpired.
    return (error as { code?: unknown })?.code === 50;
  },
};
