/*
 * Portal search indexing of a large portal: 1,000 projects with 1,000 releases each (and a
 * database per project), indexed by the search module's collators from the real portal
 * backend on SQLite and on PostgreSQL. The index must stay within the per-project bound and
 * a whole run must take under a minute.
 *
 *   yarn bench:search-index
 *
 * Environment (all optional):
 *   BENCH_ENGINES=sqlite,postgres   which engines, in that order
 *   BENCH_PER_PROJECT=10,100        the per-project bounds measured (the default, the cap)
 *   BENCH_PAGE_SIZE=100             items per index request (search.collators.autonomous.pageSize)
 *
 * It shares bench/.data with release-history (same seed, same files): do not run both at once.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import type { Knex } from 'knex';
import { cpuSnapshot } from '../release-history/cpu.mts';
import { guestToken, startPortal } from '../release-history/portal.mts';
import type { Portal } from '../release-history/portal.mts';
import {
  PROJECTS,
  RELEASES_PER_PROJECT,
  seedPostgres,
  seedSqlite,
  dropPgDatabases,
} from '../release-history/seed.mts';
import type { PgTarget } from '../release-history/seed.mts';
import { seedDatabases, writeCatalog } from './data.mts';
import { mb, report } from './report.mts';
import type { CollatorRun, Engine, Row } from './report.mts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const HISTORY = join(REPO, 'bench/release-history');
const DATA = join(REPO, 'bench/.data');
const MIGRATIONS = join(REPO, 'plugins/autonomous-backend/migrations');
const RESULTS = join(REPO, 'bench/results/search-index.md');
const BASE_URL = 'http://127.0.0.1:7107';
const SQLITE_FILE = join(DATA, 'sqlite/autonomous.sqlite');
const PG: PgTarget = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: 'bench_autonomous',
  portalPrefix: 'bench_autonomous_',
};
const STATIC_TOKEN = 'search-bench-static-token-0123456789'; // app-config.search-bench.yaml
const TARGET_MS = 60_000;
/** The portal's default bound (search.collators.autonomous.releases.perProject): the minute applies to it. */
const DEFAULT_PER_PROJECT = 10;

const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres')
  .split(',')
  .map(s => s.trim())
  .filter(Boolean) as Engine[];
const PER_PROJECT = (process.env.BENCH_PER_PROJECT ?? '10,100')
  .split(',')
  .map(s => Number(s.trim()));
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 100);
for (const n of [...PER_PROJECT, PAGE_SIZE]) {
  if (!Number.isInteger(n) || n < 1 || n > 500) {
    throw new Error(
      'BENCH_PER_PROJECT and BENCH_PAGE_SIZE must be whole numbers',
    );
  }
}

const started = Date.now();
const log = (line: string) =>
  console.log(
    `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`,
  );

function engineDb(engine: Engine): Knex {
  return engine === 'sqlite'
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
}

/** Waits until the catalog holds every bench project. */
async function waitForCatalog(token: string): Promise<void> {
  const t0 = performance.now();
  while (performance.now() - t0 < 300_000) {
    const res = await fetch(
      `${BASE_URL}/api/catalog/entity-facets?facet=kind`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const body = (res.ok ? await res.json() : undefined) as any;
    const components =
      body?.facets?.kind?.find(
        (f: { value: string }) => f.value === 'Component',
      )?.count ?? 0;
    if (components >= PROJECTS) {
      log(
        `catalog: ${components} components after ${(
          (performance.now() - t0) /
          1000
        ).toFixed(0)} s`,
      );
      return;
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  throw new Error('the catalog did not hold the bench projects within 300 s');
}

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The collators in their own process, through the Backstage CLI's TypeScript transform. */
function collate(perProject: number): Promise<CollatorRun> {
  const require = createRequire(join(REPO, 'packages/backend/package.json'));
  const transform = require.resolve(
    '@backstage/cli-node/config/nodeTransform.cjs',
  );
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        transform,
        join(HERE, 'collate.ts'),
        BASE_URL,
        STATIC_TOKEN,
        String(PAGE_SIZE),
        String(perProject),
      ],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...process.env,
          ESBK_TSCONFIG_PATH: join(REPO, 'tsconfig.json'),
        },
      },
    );
    let out = '';
    child.stdout.on('data', chunk => (out += chunk));
    child.once('exit', code => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0)
        reject(new Error(`collate.ts exited with ${code}: ${out}`));
      else resolvePromise(JSON.parse(line));
    });
  });
}

function check(row: Omit<Row, 'problems'>): string[] {
  const problems: string[] = [];
  const t = row.run.types;
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) problems.push(`${what}: ${got}, expected ${want}`);
  };
  expect('project documents', t['autonomous-project']?.documents, PROJECTS);
  expect(
    'release documents',
    t['autonomous-release']?.documents,
    PROJECTS * row.perProject,
  );
  expect(
    'largest number of releases of one project',
    t['autonomous-release']?.maxPerEntity,
    row.perProject,
  );
  expect('database documents', t['autonomous-database']?.documents, PROJECTS);
  for (const [type, f] of Object.entries(t)) {
    expect(
      `${type} documents without authorization.resourceRef`,
      f.withoutResourceRef,
      0,
    );
  }
  if (row.perProject <= DEFAULT_PER_PROJECT && !(row.run.totalMs < TARGET_MS))
    problems.push(
      `took ${row.run.totalMs.toFixed(0)} ms, over ${TARGET_MS} ms`,
    );
  return problems;
}

function freshOtherPlugins(): void {
  const dir = dirname(SQLITE_FILE);
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir)) {
    if (!file.startsWith('autonomous.sqlite')) rmSync(join(dir, file));
  }
}

let currentPortal: Portal | undefined;

async function runEngine(engine: Engine): Promise<Row[]> {
  log(`=== ${engine} ===`);
  const endMs = Date.now();
  const seed =
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
  if (seed.rows !== PROJECTS * RELEASES_PER_PROJECT)
    throw new Error(`${engine}: seeded ${seed.rows} releases`);
  const db = engineDb(engine);
  try {
    await seedDatabases(db);
  } finally {
    await db.destroy();
  }
  log(
    `${engine}: ${seed.rows.toLocaleString(
      'en-US',
    )} releases and ${PROJECTS} databases seeded`,
  );
  if (engine === 'sqlite') freshOtherPlugins();
  const portal = await startPortal({
    repoRoot: REPO,
    configFiles: [
      join(REPO, 'app-config.yaml'),
      join(HISTORY, 'app-config.bench.yaml'),
      join(HISTORY, `app-config.${engine}.yaml`),
      join(HERE, 'app-config.search-bench.yaml'),
      writeCatalog(DATA),
    ],
    baseUrl: BASE_URL,
    logFile: join(DATA, `logs/search-index-${engine}.log`),
    startTimeoutMs: 240_000,
    log,
  });
  currentPortal = portal;
  const rows: Row[] = [];
  try {
    await waitForCatalog(await guestToken(BASE_URL));
    for (const perProject of PER_PROJECT) {
      const before = cpuSnapshot(portal.pid);
      const t0 = performance.now();
      const run = await Promise.race([collate(perProject), portal.exited]);
      const wallMs = performance.now() - t0;
      const after = cpuSnapshot(portal.pid);
      const partial = {
        engine,
        perProject,
        run,
        wallMs,
        backendCpuMs: after.backendMs - before.backendMs,
        backendRssBytes: rssBytes(portal.pid),
        load: loadavg()[0],
      };
      const row = { ...partial, problems: check(partial) };
      rows.push(row);
      log(
        `${engine} perProject ${perProject}: ${(run.totalMs / 1000).toFixed(
          1,
        )} s, ${
          run.types['autonomous-release'].documents
        } release documents, collator heap peak ${mb(
          run.heapPeakBytes,
        )}, backend CPU ${(row.backendCpuMs / 1000).toFixed(1)} s${
          row.problems.length ? `; PROBLEMS: ${row.problems.join('; ')}` : ''
        }`,
      );
    }
  } finally {
    await portal.stop();
    currentPortal = undefined;
    if (engine === 'postgres') await dropPgDatabases(PG, { keepSeeded: true });
  }
  return rows;
}

async function main() {
  const rows: Row[] = [];
  for (const engine of ENGINES) rows.push(...(await runEngine(engine)));
  const md = report(rows, {
    projects: PROJECTS,
    releasesPerProject: RELEASES_PER_PROJECT,
    pageSize: PAGE_SIZE,
    defaultPerProject: DEFAULT_PER_PROJECT,
    pg: PG,
  });
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, md);
  console.log(`\n${md}`);
  log(`report: ${RESULTS}`);
  if (rows.some(r => r.problems.length)) {
    console.error('bench: FAILED (see the problems above)');
    process.exitCode = 1;
  }
}

process.once(
  'SIGINT',
  () => void currentPortal?.stop().finally(() => process.exit(130)),
);
main().catch(async error => {
  console.error(
    `bench: ${error instanceof Error ? error.stack ?? error.message : error}`,
  );
  await currentPortal?.stop();
  process.exit(1);
});
