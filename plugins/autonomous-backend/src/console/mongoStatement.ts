import { InputError } from '@backstage/errors';
import { BSON, Document } from 'mongodb';
import { ConsoleMode } from '../database/ConsoleStore';

/*
 * A MongoDB console statement, in one of two forms, both with arguments in (Extended) JSON:
 * - a command document, as db.runCommand takes it: {"find": "orders", "filter": {"status": "open"}}
 * - a shell call: db.orders.find({"status": "open"}).sort({"total": -1}).limit(10)
 * Both become one command document. Read mode accepts only the read commands below.
 */

/** Commands that answer with a cursor (rows come a batch at a time). */
export const CURSOR_COMMANDS = new Set([
  'find',
  'aggregate',
  'listCollections',
  'listIndexes',
]);

/** Commands the read-only user's statements may be. */
const READ_COMMANDS = new Set([
  ...CURSOR_COMMANDS,
  'count',
  'distinct',
  'dbStats',
  'collStats',
  'ping',
]);

export const READ_FORMS =
  'db.<collection>.find(filter, projection) with .sort/.limit/.skip, aggregate([stages]) without $out or $merge, countDocuments(filter), distinct("field", filter), db.getCollectionNames(), db.<collection>.getIndexes(), or a command document of find, aggregate, count, distinct, listCollections, listIndexes, dbStats, collStats or ping';

const WRITE_METHODS: Partial<
  Record<string, (coll: string, a: unknown[]) => Document>
> = {
  insertOne: (c, [doc]) => ({ insert: c, documents: [doc] }),
  insertMany: (c, [docs]) => ({ insert: c, documents: docs }),
  updateOne: (c, [q, u]) => ({ update: c, updates: [{ q, u }] }),
  updateMany: (c, [q, u]) => ({
    update: c,
    updates: [{ q, u, multi: true }],
  }),
  replaceOne: (c, [q, u]) => ({ update: c, updates: [{ q, u }] }),
  deleteOne: (c, [q]) => ({ delete: c, deletes: [{ q, limit: 1 }] }),
  deleteMany: (c, [q]) => ({ delete: c, deletes: [{ q, limit: 0 }] }),
  drop: c => ({ drop: c }),
};

const READ_METHODS: Partial<
  Record<string, (coll: string, a: unknown[]) => Document>
> = {
  find: (c, [filter, projection]) => ({
    find: c,
    ...(filter ? { filter } : {}),
    ...(projection ? { projection } : {}),
  }),
  aggregate: (c, [pipeline]) => ({
    aggregate: c,
    pipeline: pipeline ?? [],
    cursor: {},
  }),
  // The count command answers 0 for no match, where a $count stage answers nothing.
  countDocuments: (c, [filter]) => ({ count: c, query: filter ?? {} }),
  distinct: (c, [key, query]) => ({
    distinct: c,
    key,
    ...(query ? { query } : {}),
  }),
  getIndexes: c => ({ listIndexes: c, cursor: {} }),
};

/** .sort(), .limit(), .skip() after find(): the find command's own fields. */
const FIND_MODIFIERS = new Set(['sort', 'limit', 'skip', 'projection']);

/** Splits `name(args).name(args)…` into calls, honouring strings and nesting. */
function calls(text: string): Array<{ name: string; args: string }> {
  const out: Array<{ name: string; args: string }> = [];
  let i = 0;
  while (i < text.length) {
    const m = /^\.?([A-Za-z_$][\w$]*)\(/.exec(text.slice(i));
    if (!m) throw shapeError(`unexpected "${text.slice(i, i + 20)}"`);
    i += m[0].length;
    const start = i;
    let depth = 1;
    let quote = '';
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
    }
    if (depth > 0) throw shapeError('a parenthesis is not closed');
    out.push({ name: m[1], args: text.slice(start, i - 1) });
  }
  return out;
}

function shapeError(what: string) {
  return new InputError(
    `${what}: write a command document in JSON, or db.<collection>.<method>(<JSON arguments>)`,
  );
}

function parseJson(text: string, what: string): unknown {
  try {
    return BSON.EJSON.parse(text, { relaxed: true });
  } catch (e) {
    throw new InputError(
      `${what} must be JSON (Extended JSON for ObjectId, dates…), with quoted keys as in {"status": "open"}: ${
        (e as Error).message
      }`,
    );
  }
}

function shellCommand(statement: string, mode: ConsoleMode): Document {
  const text = statement.replace(/;\s*$/, '').trim();
  if (/^db\.getCollectionNames\(\s*\)$/.test(text)) {
    return { listCollections: 1, nameOnly: true, cursor: {} };
  }
  // The collection is what comes before the first `.method(`: names may hold dots.
  const m =
    /^db\.(?:getCollection\(\s*"([^"]+)"\s*\)|([\w$-][\w$.-]*?))\.([A-Za-z]+\([\s\S]*)$/.exec(
      text,
    );
  if (!m)
    throw shapeError('the statement does not start with db.<collection>.');
  const collection = m[1] ?? m[2];
  const [first, ...modifiers] = calls(m[3]);
  const args = parseJson(`[${first.args}]`, `the arguments of ${first.name}`);
  const read = READ_METHODS[first.name];
  const write = WRITE_METHODS[first.name];
  const method = read ?? (mode === 'write' ? write : undefined);
  if (!method) {
    throw new InputError(
      write
        ? `${first.name} writes: switch to write mode to run it`
        : `${
            first.name
          } is not a method the console runs; it accepts ${READ_FORMS}${
            mode === 'write'
              ? `, and in write mode ${Object.keys(WRITE_METHODS).join(', ')}`
              : ''
          }`,
    );
  }
  const command = method(collection, args as unknown[]);
  for (const modifier of modifiers) {
    if (!command.find || !FIND_MODIFIERS.has(modifier.name)) {
      throw new InputError(
        `.${modifier.name}() is not accepted here: after find() the console takes .sort(), .limit(), .skip() and .projection()`,
      );
    }
    [command[modifier.name]] = parseJson(
      `[${modifier.args}]`,
      `the argument of ${modifier.name}`,
    ) as unknown[];
  }
  return command;
}

/** The pipeline stages that write: not in read mode. */
function writesStages(pipeline: unknown): boolean {
  return (
    Array.isArray(pipeline) &&
    pipeline.some(
      stage =>
        stage &&
        typeof stage === 'object' &&
        ('$out' in stage || '$merge' in stage),
    )
  );
}

/** The command a statement means, refused in read mode unless it only reads. */
export function parseMongoStatement(
  statement: string,
  mode: ConsoleMode,
): Document {
  const text = statement.trim();
  const command = text.startsWith('{')
    ? (parseJson(text, 'the command document') as Document)
    : shellCommand(text, mode);
  if (!command || typeof command !== 'object' || Array.isArray(command)) {
    throw shapeError('the statement is no command');
  }
  const name = Object.keys(command)[0];
  if (!name) throw shapeError('the command document is empty');
  if (mode === 'read') {
    if (!READ_COMMANDS.has(name) || writesStages(command.pipeline)) {
      throw new InputError(
        `read mode runs only reading commands (${name}${
          writesStages(command.pipeline) ? ' with $out or $merge' : ''
        } is not one): ${READ_FORMS}`,
      );
    }
  }
  return command;
}
