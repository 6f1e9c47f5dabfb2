/*
 * Stage overhead: from an upstream stage ending (in the upstream sandbox) to the backend
 * acting on it (the next row of release_events), with Jenkins and Argo CD notifications and
 * with polling only.
 *
 *   yarn bench:stage-overhead
 *
 * Environment (all optional):
 *   BENCH_RELEASES=30            releases per mode
 *   BENCH_PROJECTS=6             projects deploying at once (one release at a time each)
 *   BENCH_MODES=events,polling   which modes, in that order
 *   BENCH_POLL_S=5               autonomous.orchestrator.pollIntervalSeconds
 *   BENCH_SEED=1                 seed of the random stage durations and pauses
 *   BENCH_ENFORCE_TARGET=1       exit 1 when a p95 misses its target too
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendConfig, newTokens, releaseApi } from './backend.mts';
import type { ReleaseApi } from './backend.mts';
import { loadPlugin } from './plugin.mts';
import type { ChildBackend, SandboxProjects } from './plugin.mts';
import { reportMarkdown, rows, samplesOf } from './report.mts';
import type { FinishedRelease, Mode, ModeResult, Sample } from './report.mts';
import { describeRanges, random, varyTimings } from './timings.mts';
import { watchStageTimes } from './truth.mts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const RESULTS = join(REPO, 'bench/results/stage-overhead.md'); // git-ignored
const DATA = join(REPO, 'bench/.data/stage-overhead'); // git-ignored
const RUN_LIMIT_MS = 15 * 60_000;
/** How often the bench moves the sandbox forward (the sandbox's own ticker: 100 ms). */
const OBSERVE_EVERY_MS = 10;
const EVENTS_TARGET_MS = 1_000;

function intEnv(name: string, fallback: number, min: number, max: number) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}
const RELEASES = intEnv('BENCH_RELEASES', 30, 1, 500);
const PROJECTS = intEnv('BENCH_PROJECTS', 6, 1, 50);
const POLL_S = intEnv('BENCH_POLL_S', 5, 1, 60);
const SEED = intEnv('BENCH_SEED', 1, 0, 2 ** 31);
const ENFORCE_TARGET = process.env.BENCH_ENFORCE_TARGET === '1';
const MODES = (process.env.BENCH_MODES ?? 'events,polling')
  .split(',')
  .map(s => s.trim())
  .filter(Boolean) as Mode[];
for (const m of MODES) {
  if (m !== 'events' && m !== 'polling') {
    throw new Error(`BENCH_MODES: unknown mode "${m}" (events, polling)`);
  }
}
const targetOf = (mode: Mode) =>
  mode === 'events' ? EVENTS_TARGET_MS : POLL_S * 1000 + 1000;

const started = Date.now();
const loadBefore = loadavg()[0];
const log = (line: string) =>
  console.log(
    `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`,
  );
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const rng = random(SEED);
const tokens = newTokens();

/** Each project deploys its share of the releases one after another, starting at random. */
async function runMode(
  mode: Mode,
  projects: string[],
  api: ReleaseApi,
  upstream: SandboxProjects,
  backendUrl: string,
): Promise<ModeResult> {
  if (mode === 'events') {
    await upstream.control('/notify', {
      jenkinsUrl: `${backendUrl}/api/autonomous/notifications/jenkins`,
      argocdUrl: `${backendUrl}/api/autonomous/notifications/argocd`,
      token: tokens.notify,
    });
  } else {
    await upstream.control('/notify', undefined, 'DELETE');
  }
  const before = (await upstream.control('/notify')).deliveries;
  const t0 = Date.now();
  const releases: FinishedRelease[] = [];
  await Promise.all(
    projects.map(async (project, i) => {
      const count =
        Math.floor(RELEASES / projects.length) +
        (i < RELEASES % projects.length ? 1 : 0);
      await sleep(rng() * 3_000);
      for (let k = 0; k < count; k++) {
        const { id } = await api.create(project);
        const release = await api.finished(id);
        if (release.status !== 'healthy') {
          throw new Error(
            `${mode}: release ${id} of ${project} ended ${
              release.status
            }: ${release.events.map(e => e.message).join(' | ')}`,
          );
        }
        releases.push(release);
        log(
          `${mode}: ${project} release ${k + 1}/${count} healthy in ${(
            (release.durationMs ?? 0) / 1000
          ).toFixed(1)} s`,
        );
        await sleep(500 + rng() * 1_500);
      }
    }),
  );
  const after = (await upstream.control('/notify')).deliveries;
  return {
    mode,
    releases,
    seconds: (Date.now() - t0) / 1000,
    notifications:
      mode === 'events'
        ? {
            sent: after.sent - before.sent,
            failed: after.failed - before.failed,
          }
        : undefined,
  };
}

let cleanup: (() => Promise<void>) | undefined;

async function main(): Promise<number> {
  const plugin = loadPlugin(REPO);
  log(`sandbox: starting in this process, ${PROJECTS} projects`);
  const upstream = await plugin.startSandboxProjects();
  let backend: ChildBackend | undefined;
  const stops: (() => void)[] = [];
  cleanup = async () => {
    cleanup = undefined;
    stops.forEach(stop => stop());
    if (backend) {
      mkdirSync(DATA, { recursive: true });
      writeFileSync(join(DATA, 'backend.log'), backend.log()); // its last 4,000 characters
      await backend.kill();
      rmSync(backend.dir, { recursive: true, force: true });
    }
    await upstream.stop();
  };
  const projects = Array.from(
    { length: PROJECTS },
    (_, i) => `stage-overhead-${i + 1}`,
  );
  for (const p of projects) await upstream.addProject(p);
  stops.push(await varyTimings(upstream.control, rng, log));
  const times = watchStageTimes(
    upstream.sandbox.sandbox,
    plugin.rolloutRules,
    OBSERVE_EVERY_MS,
  );
  stops.push(times.stop);

  backend = await plugin.ChildBackend.create({
    entities: projects.map(p => plugin.entityFor(p)),
    config: () =>
      backendConfig(
        plugin.sandboxConfigData(upstream.sandbox.url),
        tokens,
        POLL_S,
      ),
  });
  const t0 = Date.now();
  await backend.start();
  const backendUrl = `http://127.0.0.1:${backend.port}`;
  log(
    `backend: standalone backend on ${backendUrl} healthy after ${(
      (Date.now() - t0) /
      1000
    ).toFixed(1)} s`,
  );
  const api = releaseApi(backendUrl, tokens.deploy);

  const results: ModeResult[] = [];
  const samples: Sample[] = [];
  const problems: string[] = [];
  for (const mode of MODES) {
    log(`=== ${mode === 'events' ? 'with notifications' : 'polling only'} ===`);
    const result = await runMode(mode, projects, api, upstream, backendUrl);
    results.push(result);
    for (const r of result.releases) {
      samples.push(...samplesOf(mode, r, times, problems));
    }
    if (result.notifications?.failed) {
      problems.push(
        `${mode}: ${result.notifications.failed} notifications failed`,
      );
    }
  }

  mkdirSync(DATA, { recursive: true });
  writeFileSync(
    join(DATA, 'releases.json'),
    JSON.stringify({ samples, releases: results }, null, 1),
  );
  const md = reportMarkdown({
    results,
    samples,
    problems,
    modes: MODES,
    targetOf,
    header: `\`yarn bench:stage-overhead\`, ${new Date().toISOString()}, ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s in all; ${
      cpus().length
    } × ${cpus()[0]?.model.trim()}, Node ${
      process.version
    }; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(
      1,
    )} after (other work on the machine shares the cores).`,
    setup: `${RELEASES} releases per mode, ${PROJECTS} projects deploying at once, through the standalone backend (SQLite, pollIntervalSeconds ${POLL_S}) against the upstream sandbox; sandbox delays drawn at random (seed ${SEED}): ${describeRanges()}. Latency = the backend's release_events time − the stage's end in the sandbox.`,
  });
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, md);
  console.log(`\n${md}`);
  log(`written to ${relative(REPO, RESULTS)}`);
  if (problems.length) return 1;
  const missed = rows(samples, MODES, targetOf).filter(
    r => !(r.stats.p95 <= r.targetMs),
  );
  if (missed.length) {
    console.error(`bench: p95 target missed in ${missed.length} rows`);
    return ENFORCE_TARGET ? 1 : 0;
  }
  return 0;
}

async function shutdown(code: number): Promise<void> {
  try {
    await cleanup?.();
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
    await shutdown(1);
  },
);
