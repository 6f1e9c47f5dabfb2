import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { Server } from 'node:http';
import request from 'supertest';
import { API_ROUTES, routeName } from './__testUtils__/apiRoutes';
import { snapshotDatabase } from './__testUtils__/databaseSnapshot';
import {
  FuzzRequest,
  FuzzTargets,
  fuzzFamilies,
  generateFuzzRequests,
} from './__testUtils__/fuzzCases';
import {
  entityFor,
  SandboxProjects,
  sandboxConfig,
  startSandboxProjects,
} from './__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from './__testUtils__/testBackend';
import { upstreamWrites } from './__testUtils__/upstreamWrites';
import { createStoreTestDatabases } from './__testUtils__/testDatabases';
import { DatabaseAuditStore } from './database/AuditStore';
import { DatabaseDatabaseInstanceStore } from './database/DatabaseInstanceStore';
import { databaseEntity } from './__testUtils__/databaseEntities';
import { DatabaseProjectStore } from './database/ProjectStore';
import { DatabaseReleaseStore } from './database/ReleaseStore';
import { ReleaseWorkStore } from './database/ReleaseWorkStore';

// Near a minute on an idle machine; several minutes when the machine runs other suites at once.
jest.setTimeout(400_000);

/** Set AUTONOMOUS_FUZZ_SEED to explore other inputs; a failure names its seed and index. */
const SEED = Number(process.env.AUTONOMOUS_FUZZ_SEED ?? 20261124);
const COUNT = 10_800;
/**
 * Validation does not depend on the database engine, so PostgreSQL (when configured) gets the
 * first quarter of the same requests, which already meets every route with every kind of
 * breakage; SQLite always gets them all. This keeps the file near a minute.
 */
const COUNT_ON: Record<string, number> = { POSTGRES_15: 2_700 };
const BATCH = 50;
const ENTITY = 'component:default/storefront';
const OWNER = 'user:default/owner';
const owner = { Authorization: mockCredentials.user.header(OWNER) };

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
});
afterAll(() => upstream?.stop());

/** A healthy release, a queued one another backend holds, a failed one; settings; an audit row. */
async function seed(knex: Knex): Promise<FuzzTargets> {
  const releases = new DatabaseReleaseStore(knex);
  const base = {
    entityRef: ENTITY,
    environment: 'production',
    trigger: 'api' as const,
    requestedBy: OWNER,
    buildJob: 'shop/storefront',
    argocdApplication: 'storefront',
  };
  const healthy = await releases.createRelease({
    ...base,
    version: 'v1',
    ref: 'main',
  });
  await releases.transition(healthy.id, 'building', 'Jenkins build #1 started');
  await releases.transition(healthy.id, 'built', 'Image pushed', {
    imageRef: `sandbox/shop/storefront@sha256:${'a'.repeat(64)}`,
  });
  for (const to of ['syncing', 'progressing', 'healthy'] as const) {
    await releases.transition(healthy.id, to, `moved to ${to}`);
  }
  const failed = await releases.createRelease({ ...base, version: 'v2' });
  await releases.transition(failed.id, 'failed', 'Jenkins build #2 failed');
  const queued = await releases.createRelease({ ...base, version: 'v3' });
  // Held by "another backend" for the whole test, so nothing moves it but a request.
  await new ReleaseWorkStore(knex).claim(queued.id, 3_600_000);
  await new DatabaseProjectStore(knex).saveSettings({
    entityRef: ENTITY,
    kind: 'monolith',
    environments: [
      {
        name: 'production',
        namespace: 'storefront-production',
        branch: 'main',
        autoDeploy: false,
        domains: [],
      },
    ],
  });
  await new DatabaseAuditStore(knex).record({
    actor: OWNER,
    action: 'release.create',
    entityRef: ENTITY,
    target: healthy.id,
    outcome: 'succeeded',
  });
  // Accepted and left there: this backend's database worker is off.
  const database = await new DatabaseDatabaseInstanceStore(knex).createInstance(
    {
      entityRef: 'resource:default/storefront-db',
      name: 'storefront-db',
      engine: 'postgresql',
      version: '17',
      mode: 'single',
      environment: 'default',
      namespace: 'db-storefront-db',
      storageGi: 2,
      credentialsPath: 'autonomous/databases/storefront-db',
      createdBy: OWNER,
    },
  );
  return {
    releaseIds: [healthy.id, failed.id, queued.id],
    podName: 'storefront-7d4b9c-x2k4p',
    databaseIds: [database.id],
  };
}

function fingerprint(requests: FuzzRequest[]): string {
  const hash = createHash('sha256');
  for (const r of requests) hash.update(JSON.stringify(r));
  return hash.digest('hex');
}

interface Failure {
  request: FuzzRequest;
  status: number;
  answer: string;
}

/** What is wrong with the answer to a malformed request, if anything. */
function problemWith(
  req: FuzzRequest,
  res: request.Response,
): string | undefined {
  if (res.status < 400 || res.status > 499)
    return `status ${res.status}, not a 4xx`;
  if (req.status && res.status !== req.status)
    return `status ${res.status}, not ${req.status}`;
  const message = res.body?.error?.message;
  if (!/^application\/json/.test(res.headers['content-type'] ?? '')) {
    return `content type ${res.headers['content-type']}, not JSON`;
  }
  if (typeof message !== 'string' || !message.trim()) return 'no error message';
  return undefined;
}

async function send(
  server: Server,
  req: FuzzRequest,
): Promise<Failure | undefined> {
  const method = req.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
  let call = request(server)[method](req.url).set(owner).timeout(15_000);
  for (const [name, value] of Object.entries(req.headers))
    call = call.set(name, value);
  try {
    const body =
      req.bodyBytes === undefined
        ? req.body
        : JSON.stringify({ reason: 'x'.repeat(req.bodyBytes) });
    const res = await (body === undefined ? call : call.send(body));
    const problem = problemWith(req, res);
    if (!problem) return undefined;
    return {
      request: req,
      status: res.status,
      answer: `${problem}: ${res.text.slice(0, 300)}`,
    };
  } catch (e) {
    return { request: req, status: 0, answer: `no answer: ${e}` };
  }
}

/** One line per kind of failure, with how many and the first example. */
function summarize(failures: Failure[]): string[] {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.request.route} [${f.request.family}] -> ${f.status}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([key, [first, ...rest]]) => {
    const { index, url, headers, body } = first.request;
    return `${key} x${rest.length + 1}; seed ${SEED} #${index}: ${url.slice(
      0,
      160,
    )} ${JSON.stringify(headers)} ${(body ?? '').slice(0, 160)} => ${
      first.answer
    }`;
  });
}

it('generates the same malformed requests for a seed, spread over every route and kind of breakage', () => {
  // Only the ids' shape matters to the generator.
  const targets: FuzzTargets = {
    releaseIds: ['6f1c1b8e-59a6-4a34-9d43-2b7a0c4b8e11'],
    podName: 'storefront-7d4b9c-x2k4p',
    databaseIds: ['2c9d6f0e-8b7a-4e3d-9c1b-0a2f4e6d8c1b'],
  };
  const requests = generateFuzzRequests(SEED, COUNT, targets);
  expect(fingerprint(generateFuzzRequests(SEED, COUNT, targets))).toBe(
    fingerprint(requests),
  );
  expect(fingerprint(generateFuzzRequests(SEED + 1, COUNT, targets))).not.toBe(
    fingerprint(requests),
  );
  expect(requests.length).toBeGreaterThanOrEqual(10_000);
  const families = fuzzFamilies(targets);
  // The shortest run (a database's share) still meets every route with every family.
  const shortest = Math.min(COUNT, ...Object.values(COUNT_ON));
  const seen = new Set(
    requests.slice(0, shortest).map(r => `${r.route} ${r.family}`),
  );
  for (const route of API_ROUTES) {
    const name = routeName(route);
    expect({ name, families: families[name].length > 0 }).toEqual({
      name,
      families: true,
    });
    for (const family of families[name])
      expect(seen).toContain(`${name} ${family}`);
  }
});

describe.each(databases.ids)('malformed requests on %s', databaseId => {
  let knex: Knex;
  let server: Server;
  let targets: FuzzTargets;

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    targets = await seed(knex);
    const config = sandboxConfig(upstream.sandbox.url).get() as JsonObject;
    server = await startAutonomousTestBackend({
      knex,
      config: {
        ...config,
        autonomous: {
          ...(config.autonomous as JsonObject),
          databases: { enabled: false },
        },
      },
      entities: [entityFor('storefront'), databaseEntity('storefront-db')],
      policy: { allows: who => who === OWNER },
    });
  });

  it('are each refused with a 4xx and a message, and change nothing', async () => {
    const before = await snapshotDatabase(knex);
    const writes = upstreamWrites(upstream.sandbox);
    const requests = generateFuzzRequests(
      SEED,
      COUNT_ON[databaseId] ?? COUNT,
      targets,
    );
    const failures: Failure[] = [];
    const sendTo = (r: FuzzRequest) => send(server, r);
    for (let i = 0; i < requests.length; i += BATCH) {
      const answers = await Promise.all(
        requests.slice(i, i + BATCH).map(sendTo),
      );
      failures.push(...answers.filter((f): f is Failure => f !== undefined));
    }
    expect({
      failures: summarize(failures),
      database: await snapshotDatabase(knex),
      upstreamWrites: upstreamWrites(upstream.sandbox),
    }).toEqual({ failures: [], database: before, upstreamWrites: writes });
  });
});
