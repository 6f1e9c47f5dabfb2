/*
 * 1,000 releases in flight: the time of one release-orchestrator turn and the upstream calls
 * it makes, on SQLite and on PostgreSQL, with the orchestrator in this process and the
 * upstream sandbox in its own.
 *
 *   yarn bench:inflight
 *
 * Environment (all optional):
 *   BENCH_ENGINES=sqlite,postgres   engines, in that order
 *   BENCH_PROJECTS=250              projects, each with a release in each of 4 environments
 *   BENCH_SYNCING_SHARE=0.2         share of projects whose builds end (their releases wait
 *                                   in syncing); the others' builds outlast the run
 *   BENCH_DURATION_S=120            seconds of turns per engine, from all releases queued
 */
import type { Knex } from 'knex';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createReleases,
  ENVIRONMENTS,
  fleetProjects,
  setUpUpstreams,
  slowUpstreams,
  startSandboxProcess,
} from './fleet.mts';
import type { RunningSandbox } from './fleet.mts';
import { loadPlugin } from './plugin.mts';
import type { Logger, Plugin } from './plugin.mts';
import { report } from './report.mts';
import type { EngineResult } from './report.mts';
import { checkIntervals, phase } from './analysis.mts';
import { commitMs, dropPostgres, openDatabase } from './database.mts';
import type { Engine } from './database.mts';
import { startSampler } from './sampler.mts';
import { runTurns, withoutOwnTimers } from './turns.mts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const DATA = join(REPO, 'bench/.data/inflight'); // git-ignored
const RESULTS = join(REPO, 'bench/results/inflight.md'); // git-ignored
const RUN_LIMIT_MS = 20 * 60_000;

function numberEnv(name: string, fallback: number, min: number, max: number) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}`);
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
const PROJECTS = Math.round(numberEnv('BENCH_PROJECTS', 250, 1, 2_500));
const SYNCING_SHARE = numberEnv('BENCH_SYNCING_SHARE', 0.2, 0, 1);
const DURATION_S = numberEnv('BENCH_DURATION_S', 120, 5, 600);

const started = Date.now();
const log = (line: string) =>
  console.log(
    `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`,
  );

/** Warnings and errors are kept (a retried upstream call shows up here); the rest is dropped. */
function benchLogger(problems: string[]): Logger {
  const logger: Logger = {
    error: m => problems.push(`error: ${m}`),
    warn: m => problems.push(`warning: ${m}`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

let sandbox: RunningSandbox | undefined;

async function runEngine(
  plugin: Plugin,
  engine: Engine,
): Promise<EngineResult> {
  log(`=== ${engine} ===`);
  sandbox = await startSandboxProcess(
    REPO,
    join(DATA, `sandbox-${engine}.log`),
  );
  const running = sandbox;
  const clients = plugin.clients(running.url);
  const projects = fleetProjects(PROJECTS, SYNCING_SHARE);
  await slowUpstreams(running);
  await setUpUpstreams(plugin, clients, projects);
  log(
    `sandbox: pid ${running.pid}, ${projects.length} Jenkins jobs, ${
      projects.filter(p => p.syncs).length * ENVIRONMENTS.length
    } Argo CD applications`,
  );

  const db = await openDatabase(plugin, engine, DATA);
  const problems: string[] = [];
  try {
    await plugin.migrate(db);
    const commit = await commitMs(db);
    const { work, releases } = plugin.stores(db);
    const ids = await createReleases(plugin, releases, projects);
    log(
      `${engine}: ${
        ids.length
      } releases queued; a commit takes ${commit.toFixed(1)} ms`,
    );
    const entities = new Map(
      projects.map(p => [`component:default/${p.name}`, p.entity]),
    );
    const settings = plugin.defaultSettings;
    const orchestrator = plugin.orchestrator({
      work,
      releases,
      clients,
      settings,
      logger: benchLogger(problems),
      // The backend reads the catalog once per project and turn; here it is a map lookup.
      resolveProject: async ref => {
        const entity = entities.get(ref);
        const parsed = entity && plugin.projectFromEntity(entity);
        if (!parsed || !parsed.ok) throw new Error(`${ref}: not a project`);
        return { project: parsed.project, entity: entity! };
      },
    });
    withoutOwnTimers(orchestrator);

    const IN_FLIGHT = ['queued', 'building', 'built', 'syncing', 'progressing'];
    const count = async (
      where: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    ) => {
      const [{ n }] = await where(db('releases')).count({ n: '*' });
      return Number(n);
    };
    const calls = () => running.control('/calls');
    const syncingReleases =
      projects.filter(p => p.syncs).length * ENVIRONMENTS.length;
    const t0 = performance.now();
    const sampler = startSampler({
      t0,
      sandboxPid: running.pid,
      calls,
      // every release waits on a running build (it has a build number) or a running sync
      resting: async () =>
        (await count(q => q.where('status', 'syncing'))) === syncingReleases &&
        (await count(q =>
          q.where('status', 'building').whereNotNull('build_number'),
        )) ===
          ids.length - syncingReleases,
    });
    // A saturated turn goes on while full batches are due; stop() ends it after its batch.
    let over = false;
    const deadline = setTimeout(() => {
      over = true;
      orchestrator.stop();
    }, DURATION_S * 1000);
    const { turns, batches } = await runTurns({
      orchestrator,
      work,
      pollIntervalMs: settings.pollIntervalMs,
      t0,
      calls,
      done: () => over,
    });
    clearTimeout(deadline);
    await sampler.stop();
    const end = performance.now() - t0;
    const restingAt = sampler.restingAt();
    const building = await count(q => q.where('status', 'building'));
    const syncing = await count(q => q.where('status', 'syncing'));
    const stopped = await count(q => q.whereNotIn('status', IN_FLIGHT));
    if (stopped > 0) {
      const first = await db('releases')
        .whereNotIn('status', IN_FLIGHT)
        .first('id');
      const release = await releases.getReleaseWithEvents(first.id);
      problems.push(
        `${stopped} releases stopped, e.g. ${release?.status}: ${release?.events
          .map(e => e.message)
          .join(' | ')}`,
      );
    }
    if (restingAt === undefined)
      problems.push(`start-up did not end within ${DURATION_S} s`);
    const start = phase(0, restingAt ?? end, turns, batches, sampler.samples);
    const steady =
      restingAt === undefined
        ? undefined
        : phase(restingAt, end, turns, batches, sampler.samples);
    log(
      `${engine}: ${turns.length} turns in ${(end / 1000).toFixed(
        0,
      )} s; start-up ${((restingAt ?? end) / 1000).toFixed(
        1,
      )} s; steady turns p50 ${
        steady ? (steady.turnMs.p50 / 1000).toFixed(2) : '–'
      } s, ${
        steady ? steady.claimsPerSecond.toFixed(0) : '–'
      } releases looked at per s`,
    );
    writeFileSync(
      join(DATA, `turns-${engine}.json`),
      JSON.stringify({
        turns,
        batches,
        samples: sampler.samples.map(x => ({ at: x.at, systems: x.systems })),
      }),
    );
    return {
      engine,
      releases: ids.length,
      commitMs: commit,
      building,
      syncing,
      start,
      steady,
      intervals:
        steady &&
        checkIntervals(steady, { building, syncing }, settings.pollIntervalMs),
      problems,
      settings,
    };
  } finally {
    await db.destroy();
    if (engine === 'postgres') await dropPostgres(plugin);
    await running.stop();
    sandbox = undefined;
  }
}

async function main(): Promise<number> {
  const load = loadavg()[0];
  const plugin = loadPlugin(REPO);
  const results: EngineResult[] = [];
  for (const engine of ENGINES) results.push(await runEngine(plugin, engine));
  const md = report(results, {
    started,
    load: [load, loadavg()[0]],
    cpus: `${cpus().length} × ${cpus()[0]?.model.trim()}`,
    durationS: DURATION_S,
    projects: PROJECTS,
    environments: ENVIRONMENTS.length,
  });
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, md);
  writeFileSync(join(DATA, 'results.json'), JSON.stringify(results, null, 1));
  console.log(`\n${md}`);
  log(`written to ${relative(REPO, RESULTS)}`);
  // Retried upstream calls are reported; anything worse fails the run.
  return results.some(r => r.problems.some(p => !p.startsWith('warning')))
    ? 1
    : 0;
}

async function shutdown(code: number): Promise<void> {
  try {
    await sandbox?.stop();
  } finally {
    process.exit(code);
  }
}
process.once('SIGINT', () => void shutdown(130));
process.once('SIGTERM', () => void shutdown(143));
setTimeout(() => {
  console.error(
    `bench: still running after ${RUN_LIMIT_MS / 60_000} minutes, giving up`,
  );
  void shutdown(124);
}, RUN_LIMIT_MS).unref();

main().then(
  code => shutdown(code),
  async error => {
    console.error(
      `bench: ${error instanceof Error ? error.stack ?? error.message : error}`,
    );
    if (error instanceof Error && error.cause)
      console.error('cause:', error.cause);
    await shutdown(1);
  },
);
