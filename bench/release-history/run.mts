/*
 * Release history under load: 1,000,000 releases of 1,000 projects, served by the real
 * portal backend from SQLite and from PostgreSQL, measured over HTTP with a real guest token.
 *
 *   yarn bench:release-history
 *
 * Environment (all optional):
 *   BENCH_ENGINES=sqlite,postgres   which engines, in that order
 *   BENCH_DURATION=10               seconds measured per row
 *   BENCH_WARMUP=3                  seconds of warm-up before each row (not measured)
 *   BENCH_CONNECTIONS=10            concurrent connections of the closed-loop rows
 *   BENCH_RATES=200,500             open-loop rates (req/s); empty for none
 *   BENCH_CATALOG=1                 0: no catalog reference rows (and no catalog entities)
 *   BENCH_DIAGNOSE=1                add rows that split the cost: 1 connection, the bare
 *                                   HTTP stack (/health) and the permission check alone
 *   BENCH_REUSE_SEED=1              keep the data of the previous run instead of reseeding
 *   BENCH_ENFORCE_TARGET=1          also fail when the p99 target is missed
 *   BENCH_BACKEND_NODE_OPTIONS=...  NODE_OPTIONS of the backend, e.g. "--cpu-prof"
 *   BENCH_EXTRA_CONFIG=a.yaml,...   more config files for the backend, layered last
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { runLoad } from './load.mts';
import { runOpenLoop } from './openLoop.mts';
import type { LoadFigures, Scenario } from './load.mts';
import { guestToken, startPortal } from './portal.mts';
import type { Portal } from './portal.mts';
import {
  dropPgDatabases,
  PAGE_SIZE,
  PROJECTS,
  projectPath,
  projectRef,
  readSeeded,
  RELEASES_PER_PROJECT,
  seedPostgres,
  seedSqlite,
} from './seed.mts';
import type { PgTarget, SeedResult } from './seed.mts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const DATA = join(REPO, 'bench/.data'); // git-ignored (.data/)
const MIGRATIONS = join(REPO, 'plugins/autonomous-backend/migrations');
const RESULTS = join(REPO, 'bench/results/release-history.md'); // git-ignored
const BASE_URL = 'http://127.0.0.1:7107'; // app-config.bench.yaml
/** app-config.sqlite.yaml: <connection.directory>/<pluginId>.sqlite */
const SQLITE_FILE = join(DATA, 'sqlite/autonomous.sqlite');
/** app-config.postgres.yaml */
const PG: PgTarget = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: 'bench_autonomous',
  portalPrefix: 'bench_autonomous_',
};
const P99_TARGET_MS = 20;
const RUN_LIMIT_MS = 45 * 60 * 1000;

type Engine = 'sqlite' | 'postgres';

function intEnv(name: string, fallback: number, min: number, max: number) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres')
  .split(',')
  .map(s => s.trim())
  .filter(Boolean) as Engine[];
for (const e of ENGINES) {
  if (e !== 'sqlite' && e !== 'postgres') {
    throw new Error(`BENCH_ENGINES: unknown engine "${e}" (sqlite, postgres)`);
  }
}
const DURATION_S = intEnv('BENCH_DURATION', 10, 1, 300);
const WARMUP_S = intEnv('BENCH_WARMUP', 3, 0, 60);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 10, 1, 200);
const RATES = (process.env.BENCH_RATES ?? '200,500')
  .split(',')
  .map(s => s.trim())
  .filter(Boolean)
  .map(s => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 5000) {
      throw new Error('BENCH_RATES must be whole numbers from 1 to 5000');
    }
    return n;
  });
const CATALOG = process.env.BENCH_CATALOG !== '0';
const DIAGNOSE = process.env.BENCH_DIAGNOSE === '1';
const REUSE_SEED = process.env.BENCH_REUSE_SEED === '1';
const ENFORCE_TARGET = process.env.BENCH_ENFORCE_TARGET === '1';
const EXTRA_CONFIG = (process.env.BENCH_EXTRA_CONFIG ?? '')
  .split(',')
  .map(s => s.trim())
  .filter(Boolean)
  .map(f => resolve(f));

const started = Date.now();
const log = (line: string) => {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${s}s] ${line}`);
};

// ---------------------------------------------------------------------------------------
// what is measured

/** Visits every project once per 1,000 requests, in a scattered order. */
function projectOf(n: number): number {
  return ((n * 389) % PROJECTS) + 1;
}

function historyUrl(project: number): string {
  return `/api/autonomous/projects/${projectPath(
    projectRef(project),
  )}/releases?limit=${PAGE_SIZE}`;
}

interface Page {
  items: { entityRef: string; createdAt: string; id: string }[];
  nextCursor?: string;
}

function checkPage(
  path: string,
  body: string,
  expectNext: boolean,
): string | undefined {
  const name = /\/projects\/component\/default\/([^/?]+)\/releases/.exec(
    path,
  )?.[1];
  const ref = `component:default/${name}`;
  let page: Page;
  try {
    page = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  if (!Array.isArray(page.items)) return 'no items';
  if (page.items.length !== PAGE_SIZE) {
    return `${page.items.length} items, expected ${PAGE_SIZE}`;
  }
  for (let i = 0; i < page.items.length; i++) {
    const item = page.items[i];
    if (item.entityRef !== ref) return `an item of ${item.entityRef}`;
    if (i > 0 && item.createdAt > page.items[i - 1].createdAt) {
      return 'items not newest first';
    }
  }
  if (expectNext !== (typeof page.nextCursor === 'string')) {
    return expectNext ? 'no nextCursor' : 'a nextCursor on the oldest page';
  }
  return undefined;
}

interface Measurement {
  scenario: Scenario;
  /** Closed loop: connections that never pause. */
  connections: number;
  /** Open loop: requests per second, evenly spaced (connections is then ignored). */
  rate?: number;
  /** A row the p99 target applies to. */
  target: boolean;
}

/** The catalog's own read of one entity, the reference every portal page pays for. */
function catalogByName(): Scenario {
  return {
    name: 'reference: catalog by-name',
    path: n =>
      `/api/catalog/entities/by-name/component/default/${
        projectRef(projectOf(n)).split('/')[1]
      }`,
    check: (path, body) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      try {
        return JSON.parse(body)?.metadata?.name === name
          ? undefined
          : `not the entity ${name}`;
      } catch {
        return 'body is not JSON';
      }
    },
  };
}

function measurements(deepCursors: Map<string, string>): Measurement[] {
  const first: Scenario = {
    name: 'first page',
    path: n => historyUrl(projectOf(n)),
    check: (path, body) => checkPage(path, body, true),
  };
  const deep: Scenario = {
    name: 'deep page (oldest 20)',
    path: n => {
      const p = projectOf(n);
      return `${historyUrl(p)}&cursor=${deepCursors.get(projectRef(p))}`;
    },
    check: (path, body) => checkPage(path, body, false),
  };
  const rows: Measurement[] = [
    { scenario: first, connections: CONNECTIONS, target: false },
    { scenario: deep, connections: CONNECTIONS, target: false },
  ];
  for (const rate of RATES) {
    rows.push(
      { scenario: first, connections: 0, rate, target: true },
      { scenario: deep, connections: 0, rate, target: true },
    );
    if (CATALOG) {
      rows.push({
        scenario: catalogByName(),
        connections: 0,
        rate,
        target: false,
      });
    }
  }
  if (!DIAGNOSE) return rows;

  const health: Scenario = {
    name: 'diag: /health (no auth, no DB)',
    authenticated: false,
    path: () => '/api/autonomous/health',
    check: (_p, body) =>
      body.includes('"ok"') ? undefined : body.slice(0, 80),
  };
  // the request the plugin's PermissionsService sends for each history page, sent here
  // straight from the client with the user token
  const authorize: Scenario = {
    name: 'diag: permission check alone',
    method: 'POST',
    path: () => '/api/permission/authorize',
    body: n =>
      JSON.stringify({
        items: [
          {
            id: `bench-${n}`,
            permission: {
              type: 'resource',
              name: 'autonomous.project.read',
              attributes: { action: 'read' },
              resourceType: 'catalog-entity',
            },
            resourceRef: [projectRef(projectOf(n))],
          },
        ],
      }),
    check: (_p, body) =>
      /"result":\["ALLOW"\]|"result":"ALLOW"/.test(body)
        ? undefined
        : body.slice(0, 120),
  };
  return [
    ...rows,
    { scenario: first, connections: 1, target: false },
    { scenario: deep, connections: 1, target: false },
    { scenario: health, connections: CONNECTIONS, target: false },
    { scenario: authorize, connections: CONNECTIONS, target: false },
  ];
}

/**
 * Walks one project's whole history through the route, following nextCursor, and checks
 * it holds every release once, newest first, and ends on the page the deep rows ask for.
 */
async function walkHistory(
  token: string,
  project: number,
  deepCursors: Map<string, string>,
): Promise<void> {
  const ref = projectRef(project);
  const seen = new Set<string>();
  let cursor: string | undefined;
  let prevCreated = '9999';
  const maxPages = RELEASES_PER_PROJECT / PAGE_SIZE + 2;
  for (let i = 0; i < maxPages; i++) {
    const url = `${BASE_URL}${historyUrl(project)}${
      cursor ? `&cursor=${cursor}` : ''
    }`;
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status !== 200) {
      throw new Error(
        `${ref}: page ${i + 1}: HTTP ${res.status} ${await res.text()}`,
      );
    }
    const page = (await res.json()) as Page;
    for (const item of page.items) {
      if (item.entityRef !== ref) {
        throw new Error(`${ref}: got ${item.entityRef}`);
      }
      if (item.createdAt > prevCreated) {
        throw new Error(`${ref}: not newest first`);
      }
      prevCreated = item.createdAt;
      seen.add(item.id);
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  if (seen.size !== RELEASES_PER_PROJECT) {
    throw new Error(
      `${ref}: walked ${seen.size} releases, expected ${RELEASES_PER_PROJECT}`,
    );
  }
  if (cursor !== deepCursors.get(ref)) {
    throw new Error(
      `${ref}: the last page's cursor ${cursor} is not the deep cursor ${deepCursors.get(
        ref,
      )}`,
    );
  }
}

// ---------------------------------------------------------------------------------------
// one engine

interface Row extends LoadFigures {
  target: boolean;
}

interface EngineResult {
  engine: Engine;
  seedNote: string;
  startupS: number;
  rows: Row[];
}

let currentPortal: Portal | undefined;

/**
 * The other plugins' SQLite files start empty on every run, as their PostgreSQL databases do
 * (dropped after each run): a catalog left from an earlier run kept its old processing state.
 */
function freshOtherPlugins(): void {
  const dir = dirname(SQLITE_FILE);
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir)) {
    if (!file.startsWith('autonomous.sqlite')) rmSync(join(dir, file));
  }
}

/**
 * The reference rows read the bench projects from the catalog: one file location with a
 * Component per project, in a config file layered after app-config.bench.yaml.
 */
function writeCatalog(): string[] {
  const dir = join(DATA, 'catalog');
  mkdirSync(dir, { recursive: true });
  const entities = join(dir, 'bench-projects.yaml');
  const docs: string[] = [];
  for (let p = 1; p <= PROJECTS; p++) {
    docs.push(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${projectRef(p).split('/')[1]}`,
        '  annotations:',
        '    autonomous.dev/project: monolith',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: group:default/guests',
      ].join('\n'),
    );
  }
  writeFileSync(entities, `${docs.join('\n---\n')}\n`);
  const config = join(dir, 'app-config.catalog.yaml');
  writeFileSync(
    config,
    [
      'catalog:',
      '  rules:',
      '    - allow: [Component]',
      '  locations:',
      '    - type: file',
      `      target: ${entities}`,
      '',
    ].join('\n'),
  );
  return [config];
}

/** Waits until the catalog serves the first and the last bench project. */
async function waitForCatalog(token: string): Promise<void> {
  const t0 = performance.now();
  const names = [1, PROJECTS].map(p => projectRef(p).split('/')[1]);
  while (performance.now() - t0 < 300_000) {
    const codes = await Promise.all(
      names.map(async name => {
        const res = await fetch(
          `${BASE_URL}/api/catalog/entities/by-name/component/default/${name}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        await res.arrayBuffer();
        return res.status;
      }),
    );
    if (codes.every(c => c === 200)) {
      log(
        `catalog: ${PROJECTS} bench projects served after ${(
          (performance.now() - t0) /
          1000
        ).toFixed(0)} s`,
      );
      return;
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  throw new Error('the catalog did not serve the bench projects within 300 s');
}

/** BENCH_REUSE_SEED: the data of an earlier run. */
async function readSeededEngine(engine: Engine): Promise<SeedResult> {
  const db =
    engine === 'sqlite'
      ? knexFactory({
          client: 'better-sqlite3',
          connection: { filename: SQLITE_FILE },
          useNullAsDefault: true,
        })
      : knexFactory({
          client: 'pg',
          connection: {
            host: PG.host,
            port: PG.port,
            user: PG.user,
            database: PG.database,
          },
        });
  try {
    const t0 = performance.now();
    const { rows, deepCursors } = await readSeeded(db);
    return {
      rows,
      deepCursors,
      seedMs: NaN,
      migrateMs: NaN,
      finishMs: performance.now() - t0,
    };
  } finally {
    await db.destroy();
  }
}

async function runEngine(engine: Engine, endMs: number): Promise<EngineResult> {
  log(`=== ${engine} ===`);
  let seed: SeedResult;
  let seedNote: string;
  if (REUSE_SEED && (engine === 'postgres' || existsSync(SQLITE_FILE))) {
    seed = await readSeededEngine(engine);
    seedNote = 'reused the data of an earlier run (BENCH_REUSE_SEED=1)';
    log(`${engine}: ${seedNote}`);
  } else {
    seed =
      engine === 'sqlite'
        ? await seedSqlite({
            file: SQLITE_FILE,
            migrationsDir: MIGRATIONS,
            endMs,
            log,
          })
        : await seedPostgres({
            target: PG,
            migrationsDir: MIGRATIONS,
            endMs,
            log,
          });
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    seedNote = `seeded in ${s(
      seed.seedMs,
    )} (one INSERT … SELECT; migrations ${s(seed.migrateMs)}, ${
      engine === 'postgres' ? 'VACUUM ANALYZE and ' : ''
    }cursor lookup ${s(seed.finishMs)})`;
    log(`${engine}: ${seed.rows.toLocaleString('en-US')} releases ${seedNote}`);
  }
  const expectedRows = PROJECTS * RELEASES_PER_PROJECT;
  if (seed.rows !== expectedRows || seed.deepCursors.size !== PROJECTS) {
    throw new Error(
      `${engine}: ${seed.rows} releases of ${seed.deepCursors.size} projects, expected ${expectedRows} of ${PROJECTS}`,
    );
  }

  if (engine === 'sqlite') freshOtherPlugins();
  const catalogConfig = CATALOG ? writeCatalog() : [];
  const t0 = performance.now();
  const portal = await startPortal({
    repoRoot: REPO,
    configFiles: [
      join(REPO, 'app-config.yaml'),
      join(HERE, 'app-config.bench.yaml'),
      join(HERE, `app-config.${engine}.yaml`),
      ...catalogConfig,
      ...EXTRA_CONFIG,
    ],
    baseUrl: BASE_URL,
    logFile: join(DATA, `logs/backend-${engine}.log`),
    startTimeoutMs: 240_000,
    log,
  });
  currentPortal = portal;
  const startupS = (performance.now() - t0) / 1000;
  const rows: Row[] = [];
  try {
    const token = await guestToken(BASE_URL);
    log(`auth: guest user token from POST /api/auth/guest/refresh`);
    if (CATALOG) await waitForCatalog(token);
    await walkHistory(token, 1, seed.deepCursors);
    await walkHistory(token, PROJECTS, seed.deepCursors);
    log(
      'check: projects 0001 and 1000 walked page by page: 1,000 releases each, newest first, last page = deep page',
    );

    for (const m of measurements(seed.deepCursors)) {
      const load = (durationS: number) =>
        Promise.race([
          m.rate
            ? runOpenLoop({
                baseUrl: BASE_URL,
                token,
                backendPid: portal.pid,
                scenario: m.scenario,
                durationS,
                rate: m.rate,
              })
            : runLoad({
                baseUrl: BASE_URL,
                token,
                backendPid: portal.pid,
                scenario: m.scenario,
                durationS,
                connections: m.connections,
              }),
          portal.exited,
        ]);
      const label = `${engine} / ${m.scenario.name} / ${
        m.rate ? `${m.rate} req/s open loop` : `${m.connections} conn`
      }`;
      if (WARMUP_S > 0) {
        const w = await load(WARMUP_S);
        log(
          `${label}: warm-up ${w.requests} requests, p99 ${w.p99.toFixed(
            1,
          )} ms`,
        );
      }
      const f = await load(DURATION_S);
      rows.push({ ...f, target: m.target });
      log(
        `${label}: ${f.requests} requests, ${f.rps.toFixed(
          0,
        )} req/s, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(
          1,
        )} ms, backend ${f.backendCpuMsPerRequest.toFixed(
          2,
        )} CPU ms/request, non-2xx ${f.non2xx}, bad bodies ${
          f.badBodies
        }, errors ${f.errors + f.timeouts}`,
      );
      for (const p of f.problems) log(`  problem: ${p}`);
    }
  } finally {
    await portal.stop();
    currentPortal = undefined;
    if (engine === 'postgres') {
      const dropped = await dropPgDatabases(PG, { keepSeeded: true });
      log(
        `postgres: dropped the other plugins' databases (${dropped.length}); kept ${PG.database}`,
      );
    }
  }
  return { engine, seedNote, startupS, rows };
}

// ---------------------------------------------------------------------------------------
// report

function postgresVersion(): string | undefined {
  try {
    return execFileSync(
      'psql',
      [
        '-h',
        PG.host,
        '-p',
        String(PG.port),
        '-U',
        PG.user,
        '-Atc',
        'SHOW server_version',
        'postgres',
      ],
      { encoding: 'utf8', timeout: 5000 },
    )
      .trim()
      .split(' ')[0];
  } catch {
    return undefined;
  }
}

function table(results: EngineResult[]): string {
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
  const pct = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
  const lines = [
    '| Engine | Request | Load | Requests | req/s | p50 ms | p90 ms | p99 ms | max ms | Backend CPU ms/req | CPU % of a core: backend / load gen. / postgres / other | non-2xx / bad / errors | p99 ≤ 20 ms |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const r of results) {
    for (const f of r.rows) {
      const c = f.cpu;
      lines.push(
        [
          '',
          r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL',
          f.scenario,
          f.rate
            ? `open, ${f.rate} req/s (≤ ${f.connections} sockets)`
            : `closed, ${f.connections} conn.`,
          f.requests,
          f.rps.toFixed(0),
          ms(f.p50),
          ms(f.p90),
          ms(f.p99),
          ms(f.max),
          f.backendCpuMsPerRequest.toFixed(2),
          `${pct(c.backendPct)} / ${pct(c.benchPct)} / ${pct(
            c.postgresPct,
          )} / ${pct(c.otherPct)}`,
          `${f.non2xx} / ${f.badBodies} / ${f.errors + f.timeouts}`,
          f.target ? (f.p99 <= P99_TARGET_MS ? 'yes' : '**no**') : '–',
          '',
        ]
          .join(' | ')
          .trim(),
      );
    }
  }
  return lines.join('\n');
}

/** The history's figures next to the catalog's by-name read at the same rate. */
function ratios(results: EngineResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    for (const rate of RATES) {
      const ref = r.rows.find(
        f => f.rate === rate && f.scenario.startsWith('reference'),
      );
      if (!ref) continue;
      for (const f of r.rows.filter(
        x => x.rate === rate && !x.scenario.startsWith('reference'),
      )) {
        lines.push(
          `- ${
            r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'
          }, ${rate} req/s: ${f.scenario} p50 ${f.p50.toFixed(
            1,
          )} / p99 ${f.p99.toFixed(
            1,
          )} ms against the catalog's by-name p50 ${ref.p50.toFixed(
            1,
          )} / p99 ${ref.p99.toFixed(1)} ms: ${(f.p50 / ref.p50).toFixed(
            2,
          )}× / ${(f.p99 / ref.p99).toFixed(2)}×`,
        );
      }
    }
  }
  return lines;
}

function report(results: EngineResult[]): string {
  const totalS = (Date.now() - started) / 1000;
  const cpu = cpus();
  const pg = postgresVersion();
  return [
    '# Release history under load',
    '',
    `\`yarn bench:release-history\`, ${new Date().toISOString()}, ${totalS.toFixed(
      0,
    )} s in all. ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(
      totalmem() /
      2 ** 30
    ).toFixed(0)} GiB, Node ${process.version}${
      pg ? `, PostgreSQL ${pg}` : ''
    }, SQLite through better-sqlite3.`,
    '',
    `${PROJECTS.toLocaleString(
      'en-US',
    )} projects × ${RELEASES_PER_PROJECT.toLocaleString(
      'en-US',
    )} releases. \`GET /api/autonomous/projects/component/default/bench-project-NNNN/releases?limit=${PAGE_SIZE}\`` +
      ` (deep page: \`&cursor=\` the oldest 20) against the real portal backend` +
      ' (NODE_ENV=production, guest user token, permission framework), the project changing on every request;' +
      ` ${DURATION_S} s per row after ${WARMUP_S} s of warm-up.` +
      ' The load generator runs on the same machine as the backend.',
    '',
    table(results),
    '',
    ...(CATALOG && RATES.length
      ? [
          "Against the catalog's `GET /api/catalog/entities/by-name/…` of the same projects, same token, same rate (history ÷ catalog, p50 / p99):",
          '',
          ...ratios(results),
          '',
        ]
      : []),
    ...results.map(
      r =>
        `- ${r.engine}: ${r.seedNote}; backend healthy ${r.startupS.toFixed(
          0,
        )} s after start.`,
    ),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(
      `bench: still running after ${RUN_LIMIT_MS / 60000} minutes, giving up`,
    );
    void shutdown(124);
  }, RUN_LIMIT_MS);
  watchdog.unref();

  // a fixed end of history (the first of this month) so reruns seed the same timeline
  const now = new Date();
  const endMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const results: EngineResult[] = [];
  for (const engine of ENGINES) results.push(await runEngine(engine, endMs));

  const md = report(results);
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, md);
  console.log(`\n${md}`);
  log(`written to ${relative(REPO, RESULTS)}`);

  const all = results.flatMap(r => r.rows);
  const broken = all.filter(
    f => f.non2xx + f.badBodies + f.errors + f.timeouts > 0 || f.requests === 0,
  );
  const missed = all.filter(f => f.target && !(f.p99 <= P99_TARGET_MS));
  if (broken.length > 0) {
    console.error(
      'bench: FAILED: not every answer was a 200 with a full, correct page (see the problems above)',
    );
    process.exitCode = 1;
  } else if (missed.length > 0) {
    console.error(
      `bench: every answer correct; p99 target of ${P99_TARGET_MS} ms missed in ${
        missed.length
      } of ${all.filter(f => f.target).length} rows`,
    );
    if (ENFORCE_TARGET) process.exitCode = 1;
  } else {
    log(`bench: every answer correct, p99 ≤ ${P99_TARGET_MS} ms`);
  }
}

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  if (code !== 0) log(`bench: stopping (exit code ${code})`);
  try {
    await currentPortal?.stop();
  } finally {
    process.exit(code);
  }
}
process.once('SIGINT', () => void shutdown(130));
process.once('SIGTERM', () => void shutdown(143));

main().catch(async error => {
  console.error(
    `bench: ${error instanceof Error ? error.stack ?? error.message : error}`,
  );
  await shutdown(1);
});
