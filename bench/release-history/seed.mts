/*
 * Creates the autonomous plugin's tables with its own knex migrations and fills `releases`
 * with one set-based INSERT … SELECT: 1,000 projects × 1,000 releases over one year.
 *
 * Rows are interleaved like real history: release k of project p happens at
 * t = k * 1000 + h(p, k) % 6000 (h a fixed integer hash), so about six "rounds" of all
 * projects overlap at any time, and `seq` follows t. A project's 1,000 rows are therefore
 * spread over the whole table, and its release numbers (versions) still grow with time.
 * The same integer arithmetic runs on both engines, so both hold the same history (ids and
 * commit shas aside).
 */
import knexFactory from 'knex';
import type { Knex } from 'knex';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

export const PROJECTS = 1000;
export const RELEASES_PER_PROJECT = 1000;
/** Releases older than the deep-page cursor: the deep page is the project's oldest 20. */
export const PAGE_SIZE = 20;

export function projectRef(n: number): string {
  return `component:default/bench-project-${String(n).padStart(4, '0')}`;
}

export function projectPath(ref: string): string {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return `${kind}/${namespace}/${name}`;
}

/** The cursor the route hands out: base64url of {"v":1,"s":<seq>}. */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, s: seq }), 'utf8').toString(
    'base64url',
  );
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
/** t runs from 1,000 to about 1,006,000; one unit of t is this many milliseconds. */
const MS_PER_T = Math.floor(YEAR_MS / (RELEASES_PER_PROJECT * 1000 + 6000));

interface Dialect {
  /** A row source with one column x = 1..n. */
  numbers(n: number): string;
  pad4(expr: string): string;
  uuid: string;
  sha(p: string, r: string): string;
  /** An epoch-milliseconds expression as the column type the plugin stores. */
  timestamp(ms: string): string;
}

const pg: Dialect = {
  numbers: n => `(SELECT generate_series(1::bigint, ${n}::bigint) AS x)`,
  pad4: e => `lpad((${e})::text, 4, '0')`,
  uuid: 'gen_random_uuid()::text',
  sha: (p, r) =>
    `md5(${p}::text || ':' || ${r}::text) || substr(md5(${r}::text || ':' || ${p}::text), 1, 8)`,
  timestamp: ms => `to_timestamp((${ms})::double precision / 1000)`,
};

const sqlite: Dialect = {
  numbers: n =>
    `(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ${n}) SELECT x FROM s)`,
  pad4: e => `printf('%04d', ${e})`,
  uuid: "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))",
  sha: () => 'lower(hex(randomblob(20)))',
  // knex writes a Date to better-sqlite3 as its epoch milliseconds
  timestamp: ms => `(${ms})`,
};

function insertSql(d: Dialect, endMs: number): string {
  const startMs = endMs - YEAR_MS;
  const created = `(${startMs} + t * ${MS_PER_T})`;
  const started = `(${created} + 2000 + h % 28000)`;
  const finished = `(${started} + 60000 + (h / 3) % 540000)`;
  // buckets 0..99 from different digits of the hash
  const statusB = '((h / 7) % 100)';
  const triggerB = '((h / 701) % 100)';
  const status = `CASE WHEN ${statusB} < 88 THEN 'healthy' WHEN ${statusB} < 94 THEN 'failed' WHEN ${statusB} < 96 THEN 'rolled-back' WHEN ${statusB} < 99 THEN 'cancelled' ELSE 'degraded' END`;
  const trigger = `CASE WHEN r = 1 THEN 'scaffolder' WHEN ${triggerB} < 60 THEN 'webhook' WHEN ${triggerB} < 75 THEN 'manual' WHEN ${triggerB} < 83 THEN 'cli' WHEN ${triggerB} < 90 THEN 'api' WHEN ${triggerB} < 97 THEN 'redeploy' ELSE 'rollback' END`;
  const version = `(1 + r / 250) || '.' || ((r % 250) / 10) || '.' || (r % 10)`;
  const name = `'bench-project-' || ${d.pad4('p')}`;
  const message = `CASE (h / 101) % 8
      WHEN 0 THEN 'Fix flaky checkout test'
      WHEN 1 THEN 'Bump dependencies'
      WHEN 2 THEN 'Add retry to the payment webhook'
      WHEN 3 THEN 'Refactor the order service'
      WHEN 4 THEN 'Update translations'
      WHEN 5 THEN 'Log cache misses'
      WHEN 6 THEN 'Merge pull request #' || (r * 7 % 5000) || ' from feature/search'
      ELSE 'Tune database pool size' END`;
  return `
INSERT INTO releases (seq, id, entity_ref, environment, version, ref, commit_sha,
  commit_message, trigger, requested_by, reason, status, image_ref, source_release_id,
  created_at, started_at, finished_at, updated_at)
WITH g AS (
  SELECT a.x AS p, b.x AS k,
         ((a.x * 1000003 + b.x * 7919) * 2654435761) % 4294967296 AS h
  FROM ${d.numbers(PROJECTS)} a CROSS JOIN ${d.numbers(RELEASES_PER_PROJECT)} b
), o AS (
  SELECT p, h, k * 1000 + h % 6000 AS t FROM g
), n AS (
  SELECT p, h, t,
         row_number() OVER (ORDER BY t, p) AS seq,
         row_number() OVER (PARTITION BY p ORDER BY t) AS r
  FROM o
), v AS (
  SELECT seq, p, h, t, r, ${status} AS status, ${trigger} AS trigger FROM n
)
SELECT
  seq,
  ${d.uuid},
  'component:default/' || ${name},
  CASE WHEN (h / 13) % 10 < 6 THEN 'production' ELSE 'staging' END,
  ${version},
  CASE WHEN trigger IN ('cli', 'api') THEN 'v' || ${version} ELSE 'main' END,
  ${d.sha('p', 'r')},
  ${message},
  trigger,
  CASE WHEN trigger = 'webhook' THEN 'user:default/developer-' || ((h / 11) % 40)
       ELSE 'user:default/maintainer-' || ((h / 17) % 12) END,
  CASE WHEN trigger = 'rollback' THEN 'health checks failed after the previous release'
       WHEN trigger = 'redeploy' THEN 'pick up the new configuration'
       ELSE NULL END,
  status,
  CASE WHEN status = 'cancelled' THEN NULL
       ELSE 'bench/' || ${name} || ':' || ${version} END,
  NULL,
  ${d.timestamp(created)},
  ${d.timestamp(started)},
  CASE WHEN status = 'degraded' THEN NULL ELSE ${d.timestamp(finished)} END,
  ${d.timestamp(
    `CASE WHEN status = 'degraded' THEN ${started} ELSE ${finished} END`,
  )}
FROM v
ORDER BY seq`;
}

export interface SeedResult {
  rows: number;
  seedMs: number;
  migrateMs: number;
  finishMs: number;
  /** Per project: the cursor whose page is the project's oldest 20 releases. */
  deepCursors: Map<string, string>;
}

async function migrate(db: Knex, migrationsDir: string): Promise<void> {
  await db.migrate.latest({ directory: migrationsDir });
}

async function deepCursors(db: Knex): Promise<Map<string, string>> {
  // The (PAGE_SIZE + 1)-th oldest row of each project: rows older than it are one full page.
  const rows: { entity_ref: string; seq: number | string }[] = await db
    .select('entity_ref', 'seq')
    .from(
      db('releases')
        .select(
          'entity_ref',
          'seq',
          db.raw(
            'row_number() OVER (PARTITION BY entity_ref ORDER BY seq) AS rn',
          ),
        )
        .as('ranked'),
    )
    .where('rn', PAGE_SIZE + 1);
  const map = new Map<string, string>();
  for (const row of rows)
    map.set(row.entity_ref, encodeCursor(Number(row.seq)));
  return map;
}

/** The number of releases and each project's deep-page cursor. */
export async function readSeeded(
  db: Knex,
): Promise<{ rows: number; deepCursors: Map<string, string> }> {
  const [{ n }] = await db('releases').count({ n: '*' });
  return { rows: Number(n), deepCursors: await deepCursors(db) };
}

export async function seedSqlite(options: {
  file: string;
  migrationsDir: string;
  endMs: number;
  log: (line: string) => void;
}): Promise<SeedResult> {
  const { file, migrationsDir, endMs, log } = options;
  rmSync(dirname(file), { recursive: true, force: true });
  mkdirSync(dirname(file), { recursive: true });
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  try {
    let t0 = performance.now();
    await migrate(db, migrationsDir);
    const migrateMs = performance.now() - t0;
    // Connection-local settings for the load only; the file keeps its default journal mode.
    await db.raw('PRAGMA synchronous = OFF');
    await db.raw('PRAGMA temp_store = MEMORY');
    await db.raw('PRAGMA cache_size = -1048576');
    log(
      'sqlite: inserting 1,000,000 releases (one INSERT … SELECT, recursive CTE)',
    );
    t0 = performance.now();
    await db.transaction(async tx => {
      await tx.raw(insertSql(sqlite, endMs));
    });
    const seedMs = performance.now() - t0;
    t0 = performance.now();
    const { rows, deepCursors: cursors } = await readSeeded(db);
    const finishMs = performance.now() - t0;
    return { rows, seedMs, migrateMs, finishMs, deepCursors: cursors };
  } finally {
    await db.destroy();
  }
}

export interface PgTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Databases the portal's other plugins get on this server: `<prefix><pluginId>`. */
  portalPrefix: string;
}

function pgAdmin(target: PgTarget): Knex {
  return knexFactory({
    client: 'pg',
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      database: 'postgres',
    },
    pool: { min: 0, max: 1 },
  });
}

/** Drops the seeded database and the portal's other plugin databases of earlier runs. */
export async function dropPgDatabases(
  target: PgTarget,
  options: { keepSeeded: boolean },
): Promise<string[]> {
  const admin = pgAdmin(target);
  try {
    const { rows } = await admin.raw(
      `SELECT datname FROM pg_database WHERE datname = ? OR left(datname, ?) = ?`,
      [target.database, target.portalPrefix.length, target.portalPrefix],
    );
    const dropped: string[] = [];
    for (const { datname } of rows as { datname: string }[]) {
      if (options.keepSeeded && datname === target.database) continue;
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
      dropped.push(datname);
    }
    return dropped;
  } finally {
    await admin.destroy();
  }
}

export async function seedPostgres(options: {
  target: PgTarget;
  migrationsDir: string;
  endMs: number;
  log: (line: string) => void;
}): Promise<SeedResult> {
  const { target, migrationsDir, endMs, log } = options;
  await dropPgDatabases(target, { keepSeeded: false });
  const admin = pgAdmin(target);
  try {
    await admin.raw('CREATE DATABASE ??', [target.database]);
  } finally {
    await admin.destroy();
  }
  const db = knexFactory({
    client: 'pg',
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      database: target.database,
    },
    pool: { min: 1, max: 1 },
  });
  try {
    let t0 = performance.now();
    await migrate(db, migrationsDir);
    const migrateMs = performance.now() - t0;
    log(
      'postgres: inserting 1,000,000 releases (one INSERT … SELECT, generate_series)',
    );
    t0 = performance.now();
    await db.transaction(async tx => {
      await tx.raw('SET LOCAL synchronous_commit = off');
      await tx.raw("SET LOCAL work_mem = '256MB'");
      await tx.raw(insertSql(pg, endMs));
      await tx.raw(
        "SELECT setval(pg_get_serial_sequence('releases', 'seq'), (SELECT max(seq) FROM releases))",
      );
    });
    const seedMs = performance.now() - t0;
    t0 = performance.now();
    // What autovacuum does on its own shortly after a bulk load: statistics and the
    // visibility map, so the planner sees the table as it will be in steady state.
    await db.raw('VACUUM ANALYZE releases');
    const { rows, deepCursors: cursors } = await readSeeded(db);
    const finishMs = performance.now() - t0;
    return { rows, seedMs, migrateMs, finishMs, deepCursors: cursors };
  } finally {
    await db.destroy();
  }
}
