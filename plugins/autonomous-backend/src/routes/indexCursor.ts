import { InputError } from '@backstage/errors';
import { z } from 'zod';

/*
 * Cursors of the index routes: where the previous page stopped, as base64url JSON. Each route
 * has its own shape; a cursor of one route is refused by another, and anything this API did not
 * return is a 400 naming what to send instead.
 */

const releasePosition = z
  .object({
    v: z.literal(1),
    t: z.literal('release'),
    r: z.string().min(1).max(255),
    s: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    n: z.number().int().min(0).max(1000),
  })
  .strict();

const databasePosition = z
  .object({
    v: z.literal(1),
    t: z.literal('database'),
    id: z.string().min(1).max(36),
  })
  .strict();

/** The catalog's own cursor, carried as it is: projects are the catalog's entities. */
const projectPosition = z
  .object({
    v: z.literal(1),
    t: z.literal('project'),
    c: z.string().min(1).max(4000),
  })
  .strict();

const encode = (value: object) =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function decode<T extends z.ZodType>(schema: T, cursor: string): z.infer<T> {
  const invalid = () =>
    new InputError(
      `cursor "${cursor.slice(
        0,
        64,
      )}" is not one this route returned: pass the nextCursor of the previous page unchanged, or leave cursor out for the first page`,
    );
  if (!/^[A-Za-z0-9_-]{1,6000}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw invalid();
  return result.data;
}

export const releaseIndexCursor = {
  encode: (p: { entityRef: string; seq?: number; given: number }) =>
    encode({ v: 1, t: 'release', r: p.entityRef, s: p.seq, n: p.given }),
  decode(cursor: string) {
    const p = decode(releasePosition, cursor);
    return { entityRef: p.r, seq: p.s, given: p.n };
  },
};

export const databaseIndexCursor = {
  encode: (id: string) => encode({ v: 1, t: 'database', id }),
  decode: (cursor: string) => decode(databasePosition, cursor).id,
};

export const projectIndexCursor = {
  encode: (catalogCursor: string) =>
    encode({ v: 1, t: 'project', c: catalogCursor }),
  decode: (cursor: string) => decode(projectPosition, cursor).c,
};
