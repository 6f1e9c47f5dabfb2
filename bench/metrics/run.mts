/*
 * Delivery metrics of one team over 90 days, from 1,000,000 releases of 2,000 projects owned
 * by 10 teams, on SQLite and on PostgreSQL: the service the `GET /metrics?owner=…` route calls
 * (MetricsService.forOwner with its MetricsQueries on a knex connection), then the answer
 * serialised as the route sends it. The target: p95 ≤ 200 ms on both engines.
 *
 *   yarn bench:metrics
 *
 * Environment (all optional):
 *   BENCH_ENGINES=sqlite,postgres   which engines, in that order
 *   BENCH_SAMPLES=100               measured requests per row (after 10 not measured)
 *   BENCH_PEER_SAMPLES=30           runs of the peer (psql / sqlite3) per engine
 *   BENCH_REUSE_SEED=1              keep the data of the previous run instead of reseeding
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { notePid, readCpu } from './cpu.mts';
import { loadPlugin } from './plugin.mts';
import type { DeliveryMetrics, Entity } from './plugin.mts';
import { peerSql, runPeer } from './peer.mts';
import type { Engine } from './peer.mts';
import {
  PROJECTS,
  projectName,
  seedPostgres,
  seedSqlite,
  freshSqliteDir,
  TEAMS,
  teamOf,
  teamRef,
} from './seed.mts';
import type { SeedResult } from './seed.mts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const DATA = join(REPO, 'bench/.data/metrics'); // git-ignored
const RESULTS = join(REPO, 'bench/results/metrics.md'); // git-ignored
const SQLITE_FILE = join(DATA, 'sqlite/autonomous.sqlite');
const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: 'bench_metrics',
};
const TARGET_P95_MS = 200;
const DAY = 86_400_000;
/** The end of the seeded history and the moment the metrics are asked at (fixed, so both engines answer the same). */
const NOW = new Date(Date.UTC(2026, 11, 6, 12, 0, 0));
const WARMUP = 10;

function intEnv(name: string, fallback: number) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    throw new Error(`${name} must be a whole number from 1 to 10000`);
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
const SAMPLES = intEnv('BENCH_SAMPLES', 100);
const PEER_SAMPLES = intEnv('BENCH_PEER_SAMPLES', 30);
const DRILL_SAMPLES = intEnv('BENCH_DRILL_SAMPLES', 20);
const REUSE_SEED = process.env.BENCH_REUSE_SEED === '1';

const started = Date.now();
const log = (line: string) =>
  console.log(
    `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`,
  );

const percentiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: rank(50), p95: rank(95), max: sorted[sorted.length - 1] };
};
const f1 = (n: number) => n.toFixed(1);

/** The catalog entities of a team: its 200 projects, each with staging and production. */
function entitiesOf(owner: string): Entity[] {
  const team = Number(/bench-team-(\d+)$/.exec(owner)?.[1]);
  const out: Entity[] = [];
  for (let p = 1; p <= PROJECTS; p++) {
    if (teamOf(p) !== team) continue;
    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: projectName(p),
        namespace: 'default',
        annotations: {
          'autonomous.dev/project': 'microservice',
          'autonomous.dev/environments': 'staging,production',
        },
      },
      spec: { owner: owner, type: 'service', lifecycle: 'production' },
    });
  }
  return out;
}

/** The figures that must agree between engines (ids differ; counts and times must not). */
function figures(m: DeliveryMetrics) {
  return {
    deployments: m.deploymentFrequency.n,
    started: m.deploymentFrequency.N,
    deploymentDays: m.deploymentFrequency.deploymentDays,
    lead: `${m.leadTime.n}/${m.leadTime.N} median ${m.leadTime.medianMs} p90 ${m.leadTime.p90Ms}`,
    failures: `${m.changeFailureRate.n}/${m.changeFailureRate.N} rate ${m.changeFailureRate.rate}`,
    recovery: `${m.recoveryTime.n}/${m.recoveryTime.N} median ${m.recoveryTime.medianMs}`,
  };
}

interface Row {
  engine: Engine;
  bucket: 'week' | 'day';
  ms: ReturnType<typeof percentiles>;
  /** CPU ms per answer: this process, and the PostgreSQL connections' server processes. */
  cpu: { bench: number; server: number };
  load: number;
  kb: number;
  /** The drill-down: the first page (100) of a team's failed changes. */
  drill: { ms: ReturnType<typeof percentiles>; kb: number };
}

async function openDb(
  plugin: ReturnType<typeof loadPlugin>,
  engine: Engine,
): Promise<Knex> {
  if (engine === 'sqlite') {
    if (!REUSE_SEED) freshSqliteDir(SQLITE_FILE);
    // knex's defaults, as the backend's DatabaseService gives them (one connection)
    return plugin.knex({
      client: 'better-sqlite3',
      connection: { filename: SQLITE_FILE },
      useNullAsDefault: true,
    });
  }
  if (!REUSE_SEED) {
    const admin = plugin.knex({
      client: 'pg',
      connection: { ...PG, database: 'postgres' },
      pool: { min: 0, max: 1 },
    });
    try {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [PG.database]);
      await admin.raw('CREATE DATABASE ??', [PG.database]);
    } finally {
      await admin.destroy();
    }
  }
  // knex's default pool (2–10 connections), as the backend's DatabaseService uses it
  return plugin.knex({
    client: 'pg',
    connection: PG,
    pool: { afterCreate: notePid },
  });
}

async function main() {
  mkdirSync(DATA, { recursive: true });
  mkdirSync(dirname(RESULTS), { recursive: true });
  const plugin = loadPlugin(REPO);
  const rows: Row[] = [];
  const seeds: Partial<Record<Engine, SeedResult>> = {};
  const peers: Partial<
    Record<Engine, { ms: ReturnType<typeof percentiles>; out: string }>
  > = {};
  const answers: Partial<Record<Engine, ReturnType<typeof figures>>> = {};
  const drilled: Partial<Record<Engine, number>> = {};
  const load = [loadavg()[0]];

  for (const engine of ENGINES) {
    const db = await openDb(plugin, engine);
    try {
      if (!REUSE_SEED) {
        log(
          `${engine}: seeding 1,000,000 releases (plugin migrations, one INSERT … SELECT)`,
        );
        seeds[engine] =
          engine === 'sqlite'
            ? await seedSqlite(db, SQLITE_FILE, plugin.migrate, NOW.getTime())
            : await seedPostgres(db, plugin.migrate, NOW.getTime());
        log(
          `${engine}: ${seeds[engine]!.releases} releases, ${
            seeds[engine]!.events
          } events in ${f1(seeds[engine]!.seedMs / 1000)} s`,
        );
      } else {
        await plugin.migrate(db);
      }
      const service = plugin.service({ db, entitiesOf, now: NOW });
      const readable = async (refs: string[]) => new Set(refs);
      for (const bucket of ['week', 'day'] as const) {
        const times: number[] = [];
        let kb = 0;
        let cpuBefore = readCpu();
        for (let i = 0; i < WARMUP + SAMPLES; i++) {
          if (i === WARMUP) cpuBefore = readCpu();
          const team = (i % TEAMS) + 1;
          const t0 = performance.now();
          const answer = await service.forOwner(
            teamRef(team),
            { days: 90, bucket },
            readable,
          );
          const body = JSON.stringify(answer);
          const ms = performance.now() - t0;
          if (answer.scope.projects.length !== PROJECTS / TEAMS) {
            throw new Error(
              `${engine}: team ${team} counted ${
                answer.scope.projects.length
              } projects, expected ${PROJECTS / TEAMS}`,
            );
          }
          if (
            answer.deploymentFrequency.n < 1000 ||
            answer.changeFailureRate.n < 100
          ) {
            throw new Error(
              `${engine}: team ${team} has implausible figures ${JSON.stringify(
                figures(answer),
              )}`,
            );
          }
          if (i === 0 && bucket === 'week') answers[engine] = figures(answer);
          if (i < WARMUP) continue;
          times.push(ms);
          kb = body.length / 1024;
        }
        const cpuAfter = readCpu();
        // The drill-down, as the card opens it: the first 100 failed changes of a team.
        const drillTimes: number[] = [];
        let drillKb = 0;
        for (let i = 0; i < DRILL_SAMPLES; i++) {
          const team = (i % TEAMS) + 1;
          const t0 = performance.now();
          const page = await service.releasesForOwner(
            teamRef(team),
            { days: 90, bucket },
            readable,
            { figure: 'changeFailureRate', limit: 100 },
          );
          drillKb = JSON.stringify(page).length / 1024;
          drillTimes.push(performance.now() - t0);
        }
        rows.push({
          engine,
          bucket,
          ms: percentiles(times),
          cpu: {
            bench: (cpuAfter.benchMs - cpuBefore.benchMs) / SAMPLES,
            server: (cpuAfter.serverMs - cpuBefore.serverMs) / SAMPLES,
          },
          load: loadavg()[0],
          kb,
          drill: { ms: percentiles(drillTimes), kb: drillKb },
        });
        const r = rows[rows.length - 1];
        log(
          `${engine}, 90 days by ${bucket}: p50 ${f1(r.ms.p50)} / p95 ${f1(
            r.ms.p95,
          )} / max ${f1(r.ms.max)} ms, CPU per answer ${f1(r.cpu.bench)} + ${f1(
            r.cpu.server,
          )} ms (load ${f1(r.load)}), ${f1(kb)} KB; drill-down page p50 ${f1(
            r.drill.ms.p50,
          )} / p95 ${f1(r.drill.ms.p95)} ms, ${f1(r.drill.kb)} KB`,
        );
      }
      // The drill-down names exactly the releases a figure counts: team 1's failed changes,
      // paged through to the end, are n of the change failure rate and none twice.
      {
        const ids = new Set<string>();
        let beforeSeq: number | undefined;
        do {
          const page = await service.releasesForOwner(
            teamRef(1),
            { days: 90, bucket: 'week' },
            readable,
            { figure: 'changeFailureRate', limit: 500, beforeSeq },
          );
          page.items.forEach(r => ids.add(r.id));
          beforeSeq = page.lastSeq;
        } while (beforeSeq !== undefined);
        const expected = Number(answers[engine]!.failures.split('/')[0]);
        if (ids.size !== expected) {
          throw new Error(
            `${engine}: the drill-down listed ${ids.size} failed changes of team 1, the figure counts ${expected}`,
          );
        }
        drilled[engine] = ids.size;
      }
      // The peer on the same team and window.
      const team1 = entitiesOf(teamRef(1)).map(
        e => `component:default/${e.metadata.name}`,
      );
      const today = Date.UTC(
        NOW.getUTCFullYear(),
        NOW.getUTCMonth(),
        NOW.getUTCDate(),
      );
      const sql = peerSql(engine, team1, today - 89 * DAY);
      const target = {
        engine,
        database: engine === 'sqlite' ? SQLITE_FILE : PG.database,
        sqlFile: join(DATA, `peer-${engine}.sql`),
      };
      const peerTimes: number[] = [];
      let out = '';
      for (let i = 0; i < 3 + PEER_SAMPLES; i++) {
        const run = runPeer(target, sql);
        out = run.out;
        if (i >= 3) peerTimes.push(run.ms);
      }
      peers[engine] = { ms: percentiles(peerTimes), out };
      log(
        `${engine} peer: p50 ${f1(peers[engine]!.ms.p50)} / p95 ${f1(
          peers[engine]!.ms.p95,
        )} ms → ${out}`,
      );
    } finally {
      await db.destroy();
    }
  }
  load.push(loadavg()[0]);

  const [a, b] = ENGINES.map(e => answers[e]);
  const agree = !a || !b || JSON.stringify(a) === JSON.stringify(b);
  const lines = [
    `# Delivery metrics of one team over 90 days, 1,000,000 releases`,
    '',
    `${cpus().length} cores, Node ${process.version}; load average ${load
      .map(f1)
      .join(' → ')}; ${new Date().toISOString()}`,
    '',
    '| Engine | Buckets | ms p50 / p95 / max | CPU ms per answer (process + server) | Load | Answer | Drill-down page (100) ms p50 / p95, size | Peer ms p50 / p95 | Service ÷ peer (p50) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(r => {
      const peer = peers[r.engine];
      return `| ${r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${
        r.bucket
      } | ${f1(r.ms.p50)} / ${f1(r.ms.p95)} / ${f1(r.ms.max)} | ${f1(
        r.cpu.bench,
      )} + ${f1(r.cpu.server)} | ${f1(r.load)} | ${f1(r.kb)} KB | ${f1(
        r.drill.ms.p50,
      )} / ${f1(r.drill.ms.p95)}, ${f1(r.drill.kb)} KB | ${
        peer ? `${f1(peer.ms.p50)} / ${f1(peer.ms.p95)}` : '–'
      } | ${peer ? `${(r.ms.p50 / peer.ms.p50).toFixed(2)}×` : '–'} |`;
    }),
    '',
    `Team 1's figures: ${ENGINES.map(
      e => `${e} ${JSON.stringify(answers[e])}`,
    ).join('; ')}${agree ? '' : ' — the engines DISAGREE'}`,
    '',
    `Team 1's failed changes paged through the drill-down: ${ENGINES.map(
      e => `${e} ${drilled[e]}`,
    ).join(', ')} (the figure's n)`,
    '',
    `Peer answers (deployments | days | lead median ms | releases | failures | recovery median ms): ${ENGINES.map(
      e => `${e} ${peers[e]?.out}`,
    ).join('; ')}`,
    '',
    ...Object.entries(seeds).map(
      ([e, s]) =>
        `Seed ${e}: ${s!.releases} releases, ${s!.events} events, ${f1(
          s!.seedMs / 1000,
        )} s`,
    ),
  ];
  writeFileSync(RESULTS, `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}\n\nWritten to ${relative(REPO, RESULTS)}`);
  const missed = rows.filter(
    r => r.bucket === 'week' && r.ms.p95 > TARGET_P95_MS,
  );
  if (!agree) {
    console.error('The engines gave different figures for the same history.');
    process.exitCode = 1;
  }
  if (missed.length) {
    console.error(
      `p95 above ${TARGET_P95_MS} ms on ${missed
        .map(r => r.engine)
        .join(', ')}`,
    );
    process.exitCode = 1;
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
