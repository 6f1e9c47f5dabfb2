/**
 * Deterministic malformed inputs: a seeded generator and pools of values that break the API's
 * rules for path parameters, query strings and bodies. Every value here is invalid by
 * construction, so a request built from one must be refused.
 */

/** mulberry32: a small, fast PRNG; the same seed gives the same cases on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Characters for long strings: ASCII, accents, CJK, emoji, direction and zero-width marks. */
const TEXT = [
  'a',
  'Z',
  '0',
  ' ',
  'é',
  'ß',
  '中',
  '😀',
  '\u202e',
  '\u200b',
  '\ufeff',
  '"',
  '\\',
];

/**
 * A string of more than `max` characters. zod 4.6 measures a string's length in Unicode code
 * points, not UTF-16 units (`$ZodCheckMaxLength` in zod/v4/core/checks.js), so an emoji
 * counts once: the length here is counted the same way.
 */
export function longerThan(random: Random, max: number): string {
  const target = max + random.int(1, max < 1000 ? 400 : 4000);
  const chars: string[] = [];
  while (chars.length < target) chars.push(random.pick(TEXT));
  return chars.join('');
}

/** JSON values of every type, for a field that expects another one. */
export const WRONG_TYPES: readonly unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  true,
  false,
  null,
  [],
  ['production'],
  [null],
  {},
  { value: 'main' },
];

/** Values that are not strings, for a string field. */
export const NOT_STRINGS = WRONG_TYPES;

/** Values that are not booleans, for a boolean field. */
export const NOT_BOOLEANS: readonly unknown[] = [
  ...WRONG_TYPES.filter(v => typeof v !== 'boolean'),
  'true',
  'false',
  'yes',
  '1',
  '',
];

/**
 * Characters an entity ref, environment or pod name may not hold, already percent-encoded
 * for a URL path: spaces, NUL, slashes, dots-as-traversal, quotes, non-ASCII, encoded '%'.
 */
const PATH_BREAKERS = [
  '%20',
  '%00',
  '%2F',
  '%5C',
  '%3A',
  '%40',
  '%25',
  '%3F',
  '%23',
  '%22',
  '%27',
  '%3C',
  '%3E',
  '%0A',
  '%09',
  '%C3%A9',
  '%F0%9F%92%A5',
  '%E2%80%AE',
  '!',
  '*',
  '~',
  ',',
  ';',
  '=',
  '$',
  '&',
  '(',
  '+',
];

/** Path segments that are traversal or encoding tricks, invalid for every parameter. */
export const PATH_TRICKS = [
  '..',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%2e%2e%2f%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%252e%252e',
  '%00',
  '%C0%AE%C0%AE',
  '%E0%A4%A',
  '%ZZ',
  '%',
  '%F0%9F%98%80',
  '%EF%BB%BF',
  '%27%20OR%201%3D1--',
];

const SEGMENT = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A lower-case name with one character no name may hold, at a random place. */
export function brokenName(random: Random): string {
  const length = random.int(1, 20);
  let name = '';
  for (let i = 0; i < length; i++) name += random.pick(SEGMENT.split(''));
  const at = random.int(0, name.length);
  return name.slice(0, at) + random.pick(PATH_BREAKERS) + name.slice(at);
}

/** Invalid `kind`, `namespace` or `name` of an entity ref (encoded for a path). */
export function invalidEntityPart(random: Random): string {
  return random.pick([
    () => brokenName(random),
    () => random.pick(PATH_TRICKS),
    () => `${random.pick(['-', '.', '_'])}storefront`,
    () => 'a'.repeat(random.int(254, 600)),
  ])();
}

/** Not a UUID (encoded for a path). */
export function invalidReleaseId(random: Random, validId: string): string {
  return random.pick([
    () =>
      random.pick(['42', '-1', 'null', 'undefined', 'latest', 'not-a-uuid']),
    () => random.pick(PATH_TRICKS),
    () =>
      `${validId}${random.pick(['%00', 'x', '0', '%20', '%2F..', '.json'])}`,
    () => validId.replace(/-/g, ''),
    () => `%7B${validId}%7D`,
    () => validId.slice(0, random.int(1, validId.length - 1)),
    () => {
      // One hex digit replaced by a character that is not one.
      const at = random.pick([0, 5, 9, 16, 22, 35]);
      return (
        validId.slice(0, at) +
        random.pick(['g', 'z', 'G', '%20', '_']) +
        validId.slice(at + 1)
      );
    },
    () => brokenName(random),
  ])();
}

/** Not a lowercase environment name (letters, digits, '-', at most 63). */
export function invalidEnvironment(random: Random): string {
  return random.pick([
    () =>
      random.pick([
        'Production',
        'PRODUCTION',
        'prod_uction',
        '-production',
        'production-',
      ]),
    () => 'p'.repeat(random.int(64, 300)),
    () => random.pick(PATH_TRICKS),
    () => brokenName(random),
    () => `production${random.pick(['%00', '%20', '%2F', '.', '%C3%A9'])}`,
  ])();
}

/** Not a pod name (lowercase DNS labels joined by '.'). */
export function invalidPodName(random: Random): string {
  return random.pick([
    () =>
      random.pick([
        'UPPER',
        'a_b',
        '-a',
        'a-',
        '.a',
        'a..b',
        'a.',
        'storefront-ABC',
      ]),
    () => 'p'.repeat(random.int(254, 400)),
    () => random.pick(PATH_TRICKS),
    () => brokenName(random),
  ])();
}

/** Text that is not JSON (or not a JSON object or array), sent as application/json. */
export const INVALID_JSON_TEXT = [
  '{',
  '}',
  '{"reason":}',
  "{'reason':'x'}",
  '{"reason":"x",}',
  '{"reason":"x"}}',
  '{"reason":"x"}{"reason":"y"}',
  '{reason:"x"}',
  '{"reason":NaN}',
  '{"reason":undefined}',
  '{"reason":"\u0000',
  '[1,2',
  'null',
  'true',
  '42',
  '"production"',
  'environment=production',
  '<release/>',
  '\u0000',
  ' ',
];

/** JSON values that are not an object, for a body that must be one. */
export const NOT_OBJECTS: readonly unknown[] = [
  [],
  [{}],
  [{ environment: 'production' }],
  [[]],
];

/** Content types the JSON API does not read, with a body that is otherwise fine. */
export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/jsonx',
  'text/json',
  'json',
];

/** JSON with a charset or encoding the API cannot read. */
export const UNREADABLE_JSON_HEADERS: ReadonlyArray<Record<string, string>> = [
  { 'Content-Type': 'application/json; charset=latin1' },
  { 'Content-Type': 'application/json; charset=us-ascii' },
  { 'Content-Type': 'application/json; charset=koi8-r' },
  { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
  { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' },
  { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' },
  { 'Content-Type': 'application/json', 'Content-Encoding': 'x-unknown' },
];
