import { longerThan, NOT_STRINGS, NOT_BOOLEANS, Random } from './fuzzInputs';

/** One field of a JSON body: a value the API accepts and values it must refuse. */
export interface BodyField {
  name: string;
  required?: boolean;
  valid: unknown;
  /** Values of the right JSON type that break the field's rule (length, pattern, enum). */
  badValues(random: Random): unknown[];
  /** Values of the wrong JSON type. */
  wrongTypes: readonly unknown[];
}

/** The body rules of one route; `strict` bodies refuse unknown fields. */
export interface BodySpec {
  strict: boolean;
  fields: BodyField[];
}

const text = (
  name: string,
  valid: string,
  bad: (random: Random) => unknown[],
  required = false,
): BodyField => ({
  name,
  valid,
  required,
  badValues: bad,
  wrongTypes: NOT_STRINGS,
});

const environment = (required: boolean) =>
  text('environment', 'production', r => ['', longerThan(r, 63)], required);
const reason = text('reason', 'fuzzing the release API', r => [
  longerThan(r, 500),
]);
const onConflict = text('onConflict', 'queue', () => [
  '',
  'REJECT',
  'Queue',
  'force',
  'queue ',
  'supersede\u0000',
  'replace',
]);

/** Git refs git itself refuses. */
const BAD_REFS = [
  '',
  'a..b',
  'has space',
  '/main',
  'main/',
  'main.lock',
  'main@{1}',
  'main~1',
  'main^',
  'a:b',
  'a?b',
  'a*b',
  'a[b',
  'a\\b',
  'a\u0000b',
  'a\u007fb',
  'tab\tb',
  'line\nb',
];

const DATABASE_NAME_BAD = [
  '',
  'Payments',
  '1db',
  'db-',
  '-db',
  'db_1',
  'db.1',
  'd'.repeat(25),
  'db 1',
  'db\u0000',
  '../db',
];

/** The body rules of each route that reads one, keyed by method and path. */
export const BODY_SPECS: Record<string, BodySpec> = {
  'POST /databases': {
    strict: true,
    fields: [
      text(
        'entityRef',
        'resource:default/storefront-db',
        r => ['', 'storefront-db', 'resource:', ':/', longerThan(r, 255)],
        true,
      ),
      text('engine', 'postgresql', () => [
        '',
        'postgres',
        'PostgreSQL',
        'sqlite',
        'mysql ',
        'oracle\u0000',
      ]),
      text('version', '17', r => ['', longerThan(r, 32)]),
      {
        name: 'storageGi',
        valid: 2,
        badValues: () => [0, -1, 1.5, 16385, 1e9],
        wrongTypes: ['2', '2Gi', true, null, [], {}],
      },
      text('mode', 'single', () => ['cluster', '', 'SINGLE', 'ha']),
      text('name', 'fuzz-db', () => DATABASE_NAME_BAD),
    ],
  },
  'DELETE /databases/:id': {
    strict: true,
    fields: [
      // Never the instance's name: a fuzzed delete must never be confirmed.
      text('confirm', 'not-its-name', r => [longerThan(r, 63)], true),
      {
        name: 'finalBackup',
        valid: true,
        badValues: () => [],
        wrongTypes: NOT_BOOLEANS,
      },
    ],
  },
  'POST /databases/:id/backups/:backupId/restore': {
    strict: true,
    fields: [
      text('target', 'new', () => ['', 'old', 'NEW', 'new '], true),
      text('name', 'fuzz-copy', () => DATABASE_NAME_BAD),
    ],
  },
  'POST /databases/:id/console/statements': {
    strict: true,
    fields: [
      text('statement', 'SELECT 1', r => ['', longerThan(r, 102_400)], true),
      text('mode', 'read', () => ['', 'READ', 'admin']),
      {
        name: 'maxRows',
        valid: 10,
        badValues: () => [0, -1, 1.5],
        wrongTypes: ['10', true, null, [], {}],
      },
      text('format', 'ndjson', () => ['', 'xml', 'CSV']),
      text('runId', '5b3f7c1e-2d4a-4b6c-9e8f-1a2b3c4d5e6f', () => [
        '',
        'run-1',
      ]),
    ],
  },
  'POST /databases/:id/console/saved-queries': {
    strict: true,
    fields: [
      text('name', 'fuzz', r => ['', longerThan(r, 200)], true),
      text('statement', 'SELECT 1', r => ['', longerThan(r, 102_400)], true),
      {
        name: 'shared',
        valid: false,
        badValues: () => [],
        wrongTypes: NOT_BOOLEANS,
      },
    ],
  },
  'PUT /databases/:id/console/saved-queries/:queryId': {
    strict: true,
    fields: [
      text('name', 'fuzz', r => ['', longerThan(r, 200)], true),
      text('statement', 'SELECT 1', r => ['', longerThan(r, 102_400)], true),
      {
        name: 'shared',
        valid: false,
        badValues: () => [],
        wrongTypes: NOT_BOOLEANS,
      },
    ],
  },
  'PUT /databases/:id/backup-settings': {
    strict: true,
    fields: [
      text('schedule', '0 3 * * *', r => [
        '',
        'daily',
        '* * *',
        '0 0 3 * * *',
        '61 3 * * *',
        '0 25 * * *',
        longerThan(r, 255),
      ]),
      {
        name: 'retentionCount',
        valid: 7,
        badValues: () => [0, -1, 1.5, 1001, 1e9],
        wrongTypes: ['7', true, null, [], {}],
      },
    ],
  },
  'POST /projects/:kind/:namespace/:name/releases': {
    strict: true,
    fields: [
      environment(true),
      text('ref', 'main', r => [...BAD_REFS, longerThan(r, 255)]),
      text('commitSha', 'c0ffee1', () => [
        '',
        'abc',
        'c0ffee',
        'zzzzzzz',
        'g0ffee1',
        'c'.repeat(41),
        'c0ffee1 ',
        ' c0ffee1',
        'c0ffee1\n',
        '０１２３４５６',
        '0x12345678',
      ]),
      reason,
      onConflict,
      text('trigger', 'cli', () => [
        '',
        'webhook',
        'rollback',
        'redeploy',
        'scaffolder',
        'MANUAL',
        'api ',
      ]),
    ],
  },
  'POST /releases/:id/cancel': { strict: true, fields: [reason] },
  'POST /releases/:id/redeploy': {
    strict: true,
    fields: [environment(false), reason, onConflict],
  },
  'POST /releases/:id/rollback': { strict: true, fields: [reason, onConflict] },
  'PUT /projects/:kind/:namespace/:name/environments/:env/automated-sync': {
    strict: true,
    fields: [
      {
        name: 'enabled',
        required: true,
        valid: true,
        badValues: () => [],
        wrongTypes: NOT_BOOLEANS,
      },
    ],
  },
  'POST /projects/:kind/:namespace/:name/environments/:env/rollout/promote': {
    strict: true,
    fields: [
      {
        name: 'full',
        valid: false,
        badValues: () => [],
        wrongTypes: NOT_BOOLEANS,
      },
    ],
  },
  'PUT /projects/:kind/:namespace/:name/environments/:env/auto-deploy': {
    strict: true,
    fields: [
      {
        name: 'enabled',
        required: true,
        valid: false,
        badValues: () => [],
        wrongTypes: NOT_BOOLEANS,
      },
      text('branch', 'main', r => [...BAD_REFS, longerThan(r, 255)]),
    ],
  },
  'PUT /projects/:kind/:namespace/:name/environments/:env/domains': {
    strict: true,
    fields: [
      {
        name: 'domains',
        required: true,
        valid: ['shop.fuzz.example.com'],
        badValues: r => [
          [''],
          ['*.example.com'],
          ['localhost'],
          ['a..example.com'],
          ['-a.example.com'],
          ['shop.example.com', 'shop.example.com'],
          ['10.0.0.1'],
          [`${longerThan(r, 64).replace(/[^a-z]/g, 'a')}.example.com`],
          Array.from({ length: 21 }, (_, i) => `h${i}.example.com`),
          [1],
          [null],
        ],
        wrongTypes: ['shop.example.com', 0, true, null, {}],
      },
    ],
  },
  'PUT /projects/:kind/:namespace/:name/environments/:env/variables': {
    strict: true,
    fields: [
      {
        name: 'variables',
        required: true,
        valid: [{ name: 'FUZZ', secret: false, value: 'x' }],
        badValues: r => [
          [{ name: '1FUZZ', secret: false, value: '' }],
          [{ name: 'FU-ZZ', secret: false, value: '' }],
          [{ name: '', secret: false, value: '' }],
          [{ name: 'FUZZ', secret: false }],
          [{ name: 'FUZZ', secret: true, value: '' }],
          [{ name: 'FUZZ', secret: 'no', value: 'x' }],
          [{ name: 'FUZZ', secret: false, value: longerThan(r, 8192) }],
          [{ name: 'FUZZ', secret: false, value: 'x', extra: 1 }],
          [
            { name: 'FUZZ', secret: false, value: 'x' },
            { name: 'FUZZ', secret: true, value: 'y' },
          ],
          [null],
        ],
        wrongTypes: ['FUZZ=x', 0, true, null, {}],
      },
    ],
  },
  'PUT /projects/:kind/:namespace/:name/environments/:env/scaling': {
    strict: true,
    fields: [
      {
        name: 'replicas',
        required: true,
        valid: 1,
        badValues: () => [-1, 1.5, 101, 1e9],
        wrongTypes: ['1', true, null, [], {}],
      },
      {
        name: 'autoscaling',
        valid: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 80 },
        badValues: () => [
          { minReplicas: 3, maxReplicas: 2, targetCpuPercent: 80 },
          { minReplicas: 0, maxReplicas: 2, targetCpuPercent: 80 },
          { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 101 },
          { minReplicas: 1, maxReplicas: 2 },
          { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 80, x: 1 },
        ],
        wrongTypes: [1, 'on', true, null, []],
      },
    ],
  },
  'POST /notifications/jenkins': {
    strict: false,
    fields: [
      text('name', 'shop/storefront', r => ['', longerThan(r, 255)], true),
      text('url', 'job/shop/job/storefront/', r => [longerThan(r, 2048)]),
      {
        name: 'build',
        valid: { number: 7, phase: 'COMPLETED', status: 'SUCCESS' },
        badValues: r => [
          { number: 1.5 },
          { number: '7' },
          { number: null },
          { number: 7, phase: longerThan(r, 32) },
          { status: longerThan(r, 32) },
          { phase: 3 },
        ],
        wrongTypes: [0, 1.5, true, false, null, [], [{}], 'COMPLETED'],
      },
    ],
  },
  'POST /notifications/argocd': {
    strict: false,
    fields: [
      text('app', 'storefront', r => ['', longerThan(r, 253)], true),
      text('event', 'on-deployed', r => [longerThan(r, 64)]),
    ],
  },
};

/** Required fields and a random choice of the optional ones, all valid. */
export function validBody(
  random: Random,
  spec: BodySpec,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of spec.fields) {
    if (field.required || random.chance(0.5)) body[field.name] = field.valid;
  }
  return body;
}

/** Keys no body of the API has; `__proto__` only ever as JSON text, never as an object key. */
export const EXTRA_KEYS = [
  'extra',
  'Environment',
  'environmentName',
  'status',
  'id',
  'imageRef',
  'requestedBy',
  'approved',
  '__proto__',
  'constructor',
  '\u0000',
  '😀',
  '',
];

/** `{...body, "<key>": value}` as JSON text, so keys like `__proto__` stay plain keys. */
export function withExtraKey(
  body: object,
  key: string,
  value: unknown,
): string {
  const json = JSON.stringify(body);
  const extra = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  return json === '{}' ? `{${extra}}` : `${json.slice(0, -1)},${extra}}`;
}
