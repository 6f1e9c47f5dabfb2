import { Random } from './fuzzInputs';

/*
 * Query strings the API must refuse, per route. Keys that the query parser drops before a
 * route sees them (`__proto__`, `constructor`, empty keys) are left out: the server cannot tell
 * them from no query at all.
 */

const b64 = (value: unknown) =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Cursors this API never returned: bad characters, wrong JSON, wrong version, bad sequence. */
const BAD_CURSORS = [
  '',
  '%00',
  'abc',
  '!!!',
  'a'.repeat(201),
  b64({ v: 1, s: -1 }),
  b64({ v: 1, s: 0 }),
  b64({ v: 1, s: 1.5 }),
  b64({ v: 2, s: 1 }),
  b64({ v: 1, s: '1' }),
  b64({ v: 1, s: 2 ** 60 }),
  b64({ v: 1 }),
  b64(null),
  b64([]),
  b64('x'),
  encodeURIComponent(Buffer.from('{"v":1,"s":5}').toString('base64')),
];

/** Numbers no count or offset may be. */
const NOT_WHOLE = [
  '1.5',
  'NaN',
  'Infinity',
  '-Infinity',
  'abc',
  '1abc',
  '0x',
  '%00',
  '1%00',
  '1e400',
];

const dup = (random: Random, key: string, values: string[]) =>
  `${key}=${random.pick(values)}&${key}=${random.pick(values)}`;

const limit = (random: Random) =>
  random.pick([
    () => `limit=${random.pick(['0', '-1', '101', '1000', '', ...NOT_WHOLE])}`,
    () => dup(random, 'limit', ['1', '5', '20', '100']),
    () => `limit[]=${random.int(1, 100)}`,
    () => `limit[max]=${random.int(1, 100)}`,
  ])();

/** Build-log and stream routes read `start` or nothing. */
const start = (random: Random) =>
  random.pick([
    () => `start=${random.pick(['-1', '-100', ...NOT_WHOLE])}`,
    () => dup(random, 'start', ['0', '10', '100']),
    () => `start[]=${random.int(0, 100)}`,
    () => `start[from]=${random.int(0, 100)}`,
  ])();

const unknownKey = (random: Random, valid: string) =>
  `${valid ? `${valid}&` : ''}${random.pick([
    'page=2',
    'offset=10',
    'sort=asc',
    'LIMIT=5',
    'follow=true',
    'since=1h',
    'x=%00',
    '%00=1',
    'limit%20=5',
    'a[b][c]=d',
  ])}`;

const flag = (random: Random, name: string) =>
  random.pick([
    () =>
      `${name}=${random.pick([
        'yes',
        '1',
        '0',
        'TRUE',
        'True',
        'on',
        '',
        'true%00',
      ])}`,
    () => dup(random, name, ['true', 'false']),
    () => `${name}[]=true`,
  ])();

/** Index pages read `limit` (up to 500) and a cursor of their own. */
const indexPage = (random: Random) =>
  random.pick([
    () => `limit=${random.pick(['0', '-1', '501', '', ...NOT_WHOLE])}`,
    () => dup(random, 'limit', ['1', '100']),
    () => `cursor=${random.pick(BAD_CURSORS)}`,
    () => `cursor[]=${random.pick(BAD_CURSORS)}`,
    () => unknownKey(random, random.chance(0.5) ? 'limit=5' : ''),
  ])();

/** Entity refs a database route refuses in its query. */
const BAD_ENTITY_REFS = [
  '',
  'storefront-db',
  'resource:',
  'resource:default/',
  ':default/x',
  'resource:default/a/b',
  'resource:default/a%00',
  `resource:default/${'x'.repeat(250)}`,
];

const entityRefQuery = (random: Random) =>
  random.pick([
    () => '',
    () => `entityRef=${encodeURIComponent(random.pick(BAD_ENTITY_REFS))}`,
    () =>
      dup(random, 'entityRef', [
        'resource:default/storefront-db',
        'resource:default/other-db',
      ]),
    () => 'entityRef[]=resource:default/storefront-db',
    () => 'entityRef[kind]=resource',
    () => unknownKey(random, 'entityRef=resource:default/storefront-db'),
  ])();

/** The invalid query strings of each route that reads a query, keyed by method and path. */
export const QUERY_SPECS: Record<string, (random: Random) => string> = {
  'GET /databases': entityRefQuery,
  'GET /database-engines': entityRefQuery,
  'GET /upstream-instances': random =>
    random.pick([
      () => entityRefQuery(random),
      () => 'entityRef=component:default/storefront&system=gitlab',
      () => 'entityRef=component:default/storefront&system[]=jenkins',
    ])(),
  'GET /databases/:id/credentials': random =>
    random.pick([
      () => '',
      () =>
        `user=${random.pick([
          '',
          'admin',
          'OWNER',
          'root',
          'owner%20',
          'postgres',
        ])}`,
      () => dup(random, 'user', ['owner', 'readonly']),
      () => 'user[]=owner',
      () => unknownKey(random, 'user=owner'),
    ])(),
  'GET /projects/:kind/:namespace/:name/releases': random =>
    random.pick([
      () => limit(random),
      () => `cursor=${random.pick(BAD_CURSORS)}`,
      () => dup(random, 'cursor', BAD_CURSORS.slice(2, 6)),
      () => `cursor[]=${random.pick(BAD_CURSORS)}`,
      () => unknownKey(random, random.chance(0.5) ? 'limit=5' : ''),
    ])(),
  'GET /index/projects': random => indexPage(random),
  'GET /index/releases': random =>
    random.pick([
      () => indexPage(random),
      () => `perProject=${random.pick(['0', '-1', '101', '', ...NOT_WHOLE])}`,
      () => dup(random, 'perProject', ['1', '10']),
    ])(),
  'GET /index/databases': random => indexPage(random),
  'GET /metrics': random =>
    random.pick([
      () => `window=${random.pick(['0', '14', '365', '', ...NOT_WHOLE])}`,
      () =>
        `entityRef=component:default/storefront&bucket=${random.pick([
          'month',
          'DAY',
          '',
          '%00',
        ])}`,
      () => dup(random, 'window', ['7', '30', '90']),
      () => 'entityRef[]=component:default/storefront',
      () => 'entityRef=component:default/storefront&owner=group:default/shop',
      () => `owner=${random.pick(['', 'a:b:c', '%00', 'x'.repeat(300)])}`,
      () => unknownKey(random, 'entityRef=component:default/storefront'),
    ])(),
  'GET /metrics/releases': random => {
    const base = 'entityRef=component:default/storefront';
    return random.pick([
      () => base,
      () => `${base}&figure=${random.pick(['', 'mttr', 'LEADTIME', '%00'])}`,
      () => dup(random, 'figure', ['leadTime', 'recoveryTime']),
      () => `${base}&figure[]=leadTime`,
      () =>
        `${base}&figure=leadTime&limit=${random.pick([
          '0',
          '-1',
          '501',
          '1000',
          '',
          ...NOT_WHOLE,
        ])}`,
      () => `${base}&figure=leadTime&cursor=${random.pick(BAD_CURSORS)}`,
      () =>
        `${base}&figure=changeFailureRate&bucketStart=${random.pick([
          'monday',
          '2026-11-01',
          '2001-01-01T00:00:00.000Z',
          '2026-11-01T00:00:01.000Z',
        ])}`,
      () =>
        'owner=group:default/shop&entityRef=component:default/storefront&figure=leadTime',
      () => unknownKey(random, `${base}&figure=leadTime`),
    ])();
  },
  'GET /releases/:id/build-log': random =>
    random.pick([
      () => start(random),
      () => unknownKey(random, random.chance(0.5) ? 'start=0' : ''),
    ])(),
  'GET /releases/:id/build-log/stream': random =>
    random.pick([
      () => `start=${random.int(0, 9)}`,
      () => start(random),
      () => unknownKey(random, ''),
    ])(),
  'GET /releases/:id/build-log/download': random =>
    random.pick([
      () => `start=${random.int(0, 9)}`,
      () => flag(random, 'follow'),
      () => unknownKey(random, ''),
    ])(),
  'GET /projects/:kind/:namespace/:name/environments/:env/pods/:pod/logs':
    random =>
      random.pick([
        () =>
          `container=${random.pick([
            'UPPER',
            'a_b',
            '-a',
            'a-',
            '',
            'a.b',
            'c'.repeat(64),
            '%00',
            'app%2F..',
          ])}`,
        () => dup(random, 'container', ['app', 'sidecar']),
        () => `container[]=app`,
        () => flag(random, random.pick(['previous', 'follow', 'download'])),
        () => 'follow=true&download=true',
        () =>
          `tailLines=${random.pick(['0', '-1', '100001', '', ...NOT_WHOLE])}`,
        () => dup(random, 'tailLines', ['1', '10', '100']),
        () => `tailLines[]=${random.int(1, 100)}`,
        () => unknownKey(random, random.chance(0.5) ? 'tailLines=10' : ''),
      ])(),
};
