import { API_ROUTES, ApiRoute, fillPath, routeName } from './apiRoutes';
import {
  BODY_SPECS,
  BodySpec,
  EXTRA_KEYS,
  validBody,
  withExtraKey,
} from './fuzzBodies';
import {
  INVALID_JSON_TEXT,
  invalidEntityPart,
  invalidEnvironment,
  invalidPodName,
  invalidReleaseId,
  NOT_OBJECTS,
  Random,
  UNREADABLE_JSON_HEADERS,
  WRONG_CONTENT_TYPES,
} from './fuzzInputs';
import { QUERY_SPECS } from './fuzzQueries';

/** One malformed request, and how it was made so a failure can be read and reproduced. */
export interface FuzzRequest {
  index: number;
  route: string;
  family: string;
  method: ApiRoute['method'];
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** A JSON body of about this many bytes, made when sent (too large to keep 10,000 of). */
  bodyBytes?: number;
  /** The exact status required on top of "a 4xx" (413 for bodies over 1 MB). */
  status?: number;
}

/** Real ids the valid parts of a request point at, so only the broken part is wrong. */
export interface FuzzTargets {
  releaseIds: string[];
  podName: string;
  /** Database instances the `/databases/:id…` routes point at. */
  databaseIds: string[];
}

const isDatabaseRoute = (route: ApiRoute) =>
  route.path.startsWith('/databases/');

const JSON_TYPE = { 'Content-Type': 'application/json' };
const ONE_MB = 1024 * 1024;

type Part = Omit<
  FuzzRequest,
  'index' | 'route' | 'family' | 'method' | 'url'
> & {
  params?: Record<string, string>;
  query?: string;
};
type Family = (random: Random, route: ApiRoute, body?: BodySpec) => Part;

const json = (value: unknown): Part => ({
  headers: JSON_TYPE,
  body: JSON.stringify(value),
});

/** A valid body with one field replaced; `pickValues` chooses what goes in. */
function oneField(
  random: Random,
  spec: BodySpec,
  pickValues: (f: BodySpec['fields'][number]) => readonly unknown[],
): Part {
  const fields = spec.fields.filter(f => pickValues(f).length);
  const field = random.pick(fields);
  return json({
    ...validBody(random, spec),
    [field.name]: random.pick(pickValues(field)),
  });
}

const BODY_FAMILIES: Record<string, Family> = {
  'body-wrong-type': (r, _, spec) => oneField(r, spec!, f => f.wrongTypes),
  'body-bad-value': (r, _, spec) => oneField(r, spec!, f => f.badValues(r)),
  'body-null': (r, _, spec) => oneField(r, spec!, () => [null]),
  'body-missing-field': (r, _, spec) => {
    const body = validBody(r, spec!);
    const required = spec!.fields.filter(f => f.required);
    delete body[r.pick(required).name];
    return json(body);
  },
  'body-extra-field': (r, _, spec) => {
    const body = validBody(r, spec!);
    // A body that ignores unknown fields must still be refused: drop a required one too.
    if (!spec!.strict) delete body[spec!.fields.find(f => f.required)!.name];
    const value = r.pick(['x', 1, null, true, [], {}, 'production']);
    return {
      headers: JSON_TYPE,
      body: withExtraKey(body, r.pick(EXTRA_KEYS), value),
    };
  },
  'body-not-object': r => json(r.pick(NOT_OBJECTS)),
  'content-type': (r, _, spec) => ({
    headers: { 'Content-Type': r.pick(WRONG_CONTENT_TYPES) },
    body: JSON.stringify(validBody(r, spec!)),
  }),
};

/** A body without required fields cannot miss one; a boolean has no bad value of its type. */
function appliesTo(family: string, spec: BodySpec): boolean {
  if (family === 'body-missing-field') return spec.fields.some(f => f.required);
  if (family === 'body-bad-value') {
    return spec.fields.some(f => f.badValues(new Random(0)).length);
  }
  return true;
}

const ANY_BODY_FAMILIES: Record<string, Family> = {
  'invalid-json': r => ({
    headers: JSON_TYPE,
    body: r.pick(INVALID_JSON_TEXT),
  }),
  'unreadable-json': r => ({
    headers: r.pick(UNREADABLE_JSON_HEADERS),
    body: JSON.stringify({ reason: 'caf\u00e9' }),
  }),
  oversized: r => {
    const over = r.chance(0.5);
    const size = over ? ONE_MB + r.int(1, ONE_MB) : r.int(110_000, ONE_MB);
    return {
      headers: JSON_TYPE,
      bodyBytes: size,
      status: over ? 413 : undefined,
    };
  },
};

function invalidParam(
  random: Random,
  name: string,
  targets: FuzzTargets,
  route: ApiRoute,
) {
  if (name === 'id') {
    const ids = isDatabaseRoute(route)
      ? targets.databaseIds
      : targets.releaseIds;
    return invalidReleaseId(random, random.pick(ids));
  }
  if (name === 'backupId')
    return invalidReleaseId(random, '0f8e2b6a-3c1d-4e5f-8a9b-7c6d5e4f3a2b');
  if (name === 'runId' || name === 'queryId')
    return invalidReleaseId(random, '5b3f7c1e-2d4a-4b6c-9e8f-1a2b3c4d5e6f');
  if (name === 'env') return invalidEnvironment(random);
  if (name === 'pod') return invalidPodName(random);
  return invalidEntityPart(random);
}

/** The families that apply to a route: its path, its query, its body. */
function familiesOf(
  route: ApiRoute,
  targets: FuzzTargets,
): Record<string, Family> {
  const names = [...route.path.matchAll(/:([a-z]+)/gi)].map(m => m[1]);
  const spec = BODY_SPECS[routeName(route)];
  const families: Record<string, Family> = {};
  if (names.length) {
    families.path = (r, _, body) => {
      const name = r.pick(names);
      return {
        params: { [name]: invalidParam(r, name, targets, route) },
        ...(body ? json(validBody(r, body)) : { headers: {} }),
      };
    };
  }
  const query = QUERY_SPECS[routeName(route)];
  if (query) families.query = r => ({ headers: {}, query: query(r) });
  if (spec) {
    for (const [name, family] of Object.entries(BODY_FAMILIES)) {
      if (appliesTo(name, spec)) families[name] = family;
    }
  }
  if (route.method !== 'GET') Object.assign(families, ANY_BODY_FAMILIES);
  return families;
}

/** Megabyte bodies all fail the same way: a few hundred of them say as much as thousands. */
const WEIGHTS: Record<string, number> = { oversized: 0.2 };

function pickWeighted(random: Random, names: string[]): string {
  const total = names.reduce((sum, n) => sum + (WEIGHTS[n] ?? 1), 0);
  let at = random.next() * total;
  for (const name of names) {
    at -= WEIGHTS[name] ?? 1;
    if (at < 0) return name;
  }
  return names[names.length - 1];
}

/** The families each route is fuzzed with, by route name. */
export function fuzzFamilies(targets: FuzzTargets): Record<string, string[]> {
  return Object.fromEntries(
    API_ROUTES.map(route => [
      routeName(route),
      Object.keys(familiesOf(route, targets)),
    ]),
  );
}

/** `count` malformed requests, the same ones for the same seed, spread over every route. */
export function generateFuzzRequests(
  seed: number,
  count: number,
  targets: FuzzTargets,
): FuzzRequest[] {
  const random = new Random(seed);
  const plans = API_ROUTES.map(route => ({
    route,
    families: familiesOf(route, targets),
  }));
  const requests: FuzzRequest[] = [];
  for (let index = 0; index < count; index++) {
    const { route, families } = plans[index % plans.length];
    const names = Object.keys(families);
    // Each family in turn first, so every route meets every family it has at least once.
    const round = Math.floor(index / plans.length);
    const family =
      round < names.length ? names[round] : pickWeighted(random, names);
    const part = families[family](random, route, BODY_SPECS[routeName(route)]);
    const params = {
      kind: 'component',
      namespace: 'default',
      name: 'storefront',
      env: 'production',
      id: random.pick(
        isDatabaseRoute(route) ? targets.databaseIds : targets.releaseIds,
      ),
      backupId: '0f8e2b6a-3c1d-4e5f-8a9b-7c6d5e4f3a2b',
      runId: '5b3f7c1e-2d4a-4b6c-9e8f-1a2b3c4d5e6f',
      queryId: '7d9e1f3a-5b7c-4d9e-8f1a-3b5c7d9e1f3a',
      pod: targets.podName,
      ...part.params,
    };
    const url = `/api/autonomous${fillPath(route.path, params)}${
      part.query ? `?${part.query}` : ''
    }`;
    requests.push({
      index,
      route: routeName(route),
      family,
      method: route.method,
      url,
      headers: part.headers,
      body: part.body,
      bodyBytes: part.bodyBytes,
      status: part.status,
    });
  }
  return requests;
}
