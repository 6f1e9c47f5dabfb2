/*
 * A million releases of 2,000 projects owned by 10 teams, one year of history, created with
 * the plugin's own knex migrations and one set-based INSERT … SELECT per table.
 *
 * Release k of project p happens at t = k * 1000 + h(p, k) % 6000 (h a fixed integer hash),
 * so projects interleave through the whole table as in release-history. Half the releases go
 * to production, half to staging. What the metrics read is all there: commit times (most
 * changes have one, redeploys and rollbacks none), failures, automatic and manual rollbacks,
 * redeploys of an earlier digest, and a `degraded` event for every release that turned
 * degraded. The same integer arithmetic runs on both engines, so both hold the same history.
 */
import knexFactory from 'knex';
import type { Knex } from 'knex';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

export const PROJECTS = 2000;
export const RELEASES_PER_PROJECT = 500;
export const TEAMS = 10;

export function projectName(p: number): string {
  return `bench-service-${String(p).padStart(4, '0')}`;
}

export function teamRef(team: number): string {
  return `group:default/bench-team-${String(team).padStart(2, '0')}`;
}

/** Projects are dealt to the teams in turn: project p belongs to team ((p - 1) % TEAMS) + 1. */
export function teamOf(p: number): number {
  return ((p - 1) % TEAMS) + 1;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const MS_PER_T = Math.floor(YEAR_MS / (RELEASES_PER_PROJECT * 1000 + 6000));

interface Dialect {
  numbers(n: number): string;
  pad4(expr: string): string;
  uuid: string;
  sha: string;
  timestamp(ms: string): string;
  /** Milliseconds added to a stored timestamp column. */
  plusMs(column: string, ms: number): string;
}

const pg: Dialect = {
  numbers: n => `(SELECT generate_series(1::bigint, ${n}::bigint) AS x)`,
  pad4: e => `lpad((${e})::text, 4, '0')`,
  uuid: 'gen_random_uuid()::text',
  sha: "md5(p::text || ':' || r::text) || left(md5(r::text), 8)",
  timestamp: ms => `to_timestamp((${ms})::double precision / 1000)`,
  plusMs: (c, ms) => `${c} + interval '${ms} milliseconds'`,
};

const sqlite: Dialect = {
  numbers: n =>
    `(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ${n}) SELECT x FROM s)`,
  pad4: e => `printf('%04d', ${e})`,
  uuid: "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))",
  // knex writes a Date to better-sqlite3 as its epoch milliseconds
  sha: 'lower(hex(randomblob(20)))',
  timestamp: ms => `(${ms})`,
  plusMs: (c, ms) => `${c} + ${ms}`,
};

function releasesSql(d: Dialect, endMs: number): string {
  const startMs = endMs - YEAR_MS;
  const created = `(${startMs} + t * ${MS_PER_T})`;
  const started = `(${created} + 2000 + h % 28000)`;
  const finished = `(${started} + 60000 + (h / 3) % 540000)`;
  const committed = `(${created} - 30000 - (h / 5) % 7200000)`;
  const statusB = '((h / 7) % 100)';
  const triggerB = '((h / 701) % 100)';
  const status = `CASE WHEN ${statusB} < 88 THEN 'healthy' WHEN ${statusB} < 94 THEN 'failed' WHEN ${statusB} < 96 THEN 'rolled-back' WHEN ${statusB} < 99 THEN 'cancelled' ELSE 'degraded' END`;
  const trigger = `CASE WHEN r = 1 THEN 'scaffolder' WHEN ${triggerB} < 60 THEN 'webhook' WHEN ${triggerB} < 75 THEN 'manual' WHEN ${triggerB} < 83 THEN 'cli' WHEN ${triggerB} < 90 THEN 'api' WHEN ${triggerB} < 97 THEN 'redeploy' ELSE 'rollback' END`;
  const versionOf = (n: string) =>
    `(1 + (${n}) / 250) || '.' || (((${n}) % 250) / 10) || '.' || ((${n}) % 10)`;
  const name = `'${projectName(0).slice(0, -4)}' || ${d.pad4('p')}`;
  // A redeploy or rollback runs the digest of a release two before it, one that often ran.
  const deployed = `CASE WHEN trigger IN ('redeploy', 'rollback') AND r > 2 THEN r - 2 ELSE r END`;
  return `
INSERT INTO releases (seq, id, number, entity_ref, environment, version, ref, commit_sha,
  trigger, requested_by, reason, status, image_ref, created_at, started_at, finished_at,
  updated_at, committed_at)
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
), w AS (
  SELECT v.*, ${deployed} AS deployed FROM v
)
SELECT
  seq,
  ${d.uuid},
  r,
  'component:default/' || ${name},
  CASE WHEN (h / 13) % 10 < 5 THEN 'production' ELSE 'staging' END,
  ${versionOf('deployed')},
  'main',
  ${d.sha},
  trigger,
  'user:default/developer-' || ((h / 11) % 40),
  CASE WHEN trigger = 'rollback' THEN 'health checks failed after the previous release' ELSE NULL END,
  status,
  CASE WHEN status = 'cancelled' THEN NULL
       ELSE 'harbor.local/bench/' || ${name} || ':' || ${versionOf(
    'deployed',
  )} END,
  ${d.timestamp(created)},
  ${d.timestamp(started)},
  CASE WHEN status = 'degraded' THEN NULL ELSE ${d.timestamp(finished)} END,
  ${d.timestamp(
    `CASE WHEN status = 'degraded' THEN ${started} ELSE ${finished} END`,
  )},
  CASE WHEN trigger IN ('redeploy', 'rollback') OR (h / 19) % 10 = 0 THEN NULL
       ELSE ${d.timestamp(committed)} END
FROM w
ORDER BY seq`;
}

/** A `degraded` event for each release that turned degraded (every one rolled back or still degraded, a third of the failed). */
function eventsSql(d: Dialect): string {
  return `
INSERT INTO release_events (release_id, at, from_status, to_status, message)
SELECT id, ${d.plusMs('started_at', 90000)}, 'healthy', 'degraded',
       'Argo CD reports the application Degraded'
FROM releases
WHERE status IN ('degraded', 'rolled-back') OR (status = 'failed' AND seq % 3 = 0)
ORDER BY seq`;
}

export interface SeedResult {
  releases: number;
  events: number;
  seedMs: number;
}

async function counts(db: Knex) {
  const [{ n }] = await db('releases').count({ n: '*' });
  const [{ e }] = await db('release_events').count({ e: '*' });
  return { releases: Number(n), events: Number(e) };
}

export async function seedSqlite(
  db: Knex,
  file: string,
  migrate: (db: Knex) => Promise<void>,
  endMs: number,
): Promise<SeedResult> {
  const t0 = performance.now();
  await migrate(db);
  await db.raw('PRAGMA synchronous = OFF');
  await db.raw('PRAGMA temp_store = MEMORY');
  await db.raw('PRAGMA cache_size = -1048576');
  await db.transaction(async tx => {
    await tx.raw(releasesSql(sqlite, endMs));
    await tx.raw(eventsSql(sqlite));
  });
  await db.raw('ANALYZE');
  // Back to the connection's defaults, as the backend's connection has them.
  await db.raw('PRAGMA synchronous = FULL');
  await db.raw('PRAGMA cache_size = -2000');
  void file;
  return { ...(await counts(db)), seedMs: performance.now() - t0 };
}

export async function seedPostgres(
  db: Knex,
  migrate: (db: Knex) => Promise<void>,
  endMs: number,
): Promise<SeedResult> {
  const t0 = performance.now();
  await migrate(db);
  await db.transaction(async tx => {
    await tx.raw('SET LOCAL synchronous_commit = off');
    await tx.raw("SET LOCAL work_mem = '256MB'");
    await tx.raw(releasesSql(pg, endMs));
    await tx.raw(
      "SELECT setval(pg_get_serial_sequence('releases', 'seq'), (SELECT max(seq) FROM releases))",
    );
    await tx.raw(eventsSql(pg));
  });
  // What autovacuum does on its own shortly after a bulk load.
  await db.raw('VACUUM ANALYZE releases');
  await db.raw('VACUUM ANALYZE release_events');
  return { ...(await counts(db)), seedMs: performance.now() - t0 };
}

export function freshSqliteDir(file: string): void {
  rmSync(dirname(file), { recursive: true, force: true });
  mkdirSync(dirname(file), { recursive: true });
}

export { knexFactory };
