/*
 * The peer: the database's own command-line client (psql, sqlite3) running the aggregate
 * query that comes closest to the same answer for the same team and window — deployments,
 * deployment days, median lead time, releases and failures, median recovery — in one SQL
 * statement over the same rows. It knows nothing of rollbacks to an earlier digest, release
 * events or drill-down lists, so it does less than the service; it is the floor a single
 * round trip through the engine sets.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export type Engine = 'sqlite' | 'postgres';

const DAY = 86_400_000;

export function peerSql(
  engine: Engine,
  entityRefs: string[],
  sinceMs: number,
): string {
  const ms = (c: string) =>
    engine === 'postgres' ? `(extract(epoch from ${c}) * 1000)` : c;
  const refs = entityRefs.map(r => `'${r.replace(/'/g, "''")}'`).join(', ');
  const from = sinceMs - 7 * DAY;
  const fromValue =
    engine === 'postgres' ? `to_timestamp(${from} / 1000.0)` : `${from}`;
  // The median by rank, which both engines can do (SQLite has no percentile_cont).
  const median = (table: string) => `(SELECT avg(v) FROM (
      SELECT v, row_number() OVER (ORDER BY v) AS i, count(*) OVER () AS n FROM ${table}
    ) m WHERE i IN ((n + 1) / 2, (n + 2) / 2))`;
  return `
WITH r AS (
  SELECT seq, entity_ref, status, trigger, ${ms('created_at')} AS created,
         ${ms('finished_at')} AS finished, ${ms('committed_at')} AS committed
  FROM releases
  WHERE entity_ref IN (${refs}) AND environment = 'production' AND created_at >= ${fromValue}
), x AS (
  SELECT r.*, min(CASE WHEN status = 'healthy' THEN finished END)
      OVER (PARTITION BY entity_ref ORDER BY seq ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_healthy
  FROM r
), deployments AS (
  SELECT * FROM x WHERE status = 'healthy' AND finished >= ${sinceMs}
), leads AS (
  SELECT finished - committed AS v FROM deployments
  WHERE committed IS NOT NULL AND trigger NOT IN ('redeploy', 'rollback')
), counted AS (
  SELECT * FROM x WHERE created >= ${sinceMs} AND trigger NOT IN ('redeploy', 'rollback')
    AND status IN ('healthy', 'failed', 'rolled-back', 'degraded')
), recoveries AS (
  SELECT next_healthy - coalesce(finished, created) AS v FROM counted
  WHERE status <> 'healthy' AND next_healthy IS NOT NULL
)
SELECT
  (SELECT count(*) FROM deployments) AS deployments,
  (SELECT count(DISTINCT floor(finished / ${DAY})) FROM deployments) AS deployment_days,
  ${median('leads')} AS lead_median_ms,
  (SELECT count(*) FROM counted) AS releases,
  (SELECT count(*) FROM counted WHERE status <> 'healthy') AS failures,
  ${median('recoveries')} AS recovery_median_ms;
`;
}

export interface PeerTarget {
  engine: Engine;
  /** SQLite: the database file; PostgreSQL: the database name on 127.0.0.1:5432. */
  database: string;
  sqlFile: string;
}

/** Runs the client once, as a person would from a shell; the wall time and its one line. */
export function runPeer(
  target: PeerTarget,
  sql: string,
): { ms: number; out: string } {
  writeFileSync(target.sqlFile, sql);
  const t0 = performance.now();
  const run =
    target.engine === 'postgres'
      ? spawnSync(
          'psql',
          [
            '-X',
            '-q',
            '-A',
            '-t',
            '-h',
            '127.0.0.1',
            '-U',
            'postgres',
            '-d',
            target.database,
            '-v',
            'ON_ERROR_STOP=1',
            '-f',
            target.sqlFile,
          ],
          { encoding: 'utf8' },
        )
      : spawnSync(
          'sqlite3',
          ['-bail', '-readonly', target.database, `.read ${target.sqlFile}`],
          {
            encoding: 'utf8',
          },
        );
  const ms = performance.now() - t0;
  if (run.status !== 0) {
    throw new Error(`${target.engine} peer failed: ${run.stderr || run.error}`);
  }
  return { ms, out: run.stdout.trim() };
}
