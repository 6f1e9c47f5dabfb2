import { InputError } from '@backstage/errors';

/**
 * History is paged by keyset on the release sequence: the cursor names the last row of the
 * previous page, so a page reads the same rows however many releases were added since and
 * however deep it is (no OFFSET).
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, s: seq }), 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): number {
  const invalid = () =>
    new InputError(
      `cursor "${cursor.slice(
        0,
        64,
      )}" is not one this API returned: pass the nextCursor of the previous page unchanged, or leave cursor out for the first page`,
    );
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const s = (parsed as { v?: unknown; s?: unknown } | null)?.s;
  if (
    (parsed as { v?: unknown } | null)?.v !== 1 ||
    typeof s !== 'number' ||
    !Number.isSafeInteger(s) ||
    s < 1
  ) {
    throw invalid();
  }
  return s;
}
