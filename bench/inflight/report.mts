/* The inflight report: turns and batches per engine and phase, then steady-state throughput. */
import type { checkIntervals, Percentiles, Phase } from './analysis.mts';
import type { Settings } from './plugin.mts';
import { SYSTEMS } from './turns.mts';
import type { System } from './turns.mts';

export interface EngineResult {
  engine: 'sqlite' | 'postgres';
  releases: number;
  /** One committed single-row transaction on this engine, ms (median of 50). */
  commitMs: number;
  /** In flight at the end. */
  building: number;
  syncing: number;
  start: Phase;
  /** Absent when start-up did not end within the run. */
  steady?: Phase;
  intervals?: ReturnType<typeof checkIntervals>;
  problems: string[];
  settings: Settings;
}

const NAMES: Record<System, string> = {
  jenkins: 'Jenkins',
  harbor: 'Harbor',
  argocd: 'Argo CD',
  kubernetes: 'Kubernetes',
};
const engineName = (r: EngineResult) =>
  r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
const f = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toFixed(digits) : '–';
const s3 = (p: Percentiles) =>
  `${f(p.p50 / 1000, 2)} / ${f(p.p95 / 1000, 2)} / ${f(p.max / 1000, 2)}`;
const n3 = (p: Percentiles) => `${f(p.p50)} / ${f(p.p95)} / ${f(p.max)}`;

function bySystem(values: Record<System, number>, digits: number): string {
  return (
    SYSTEMS.filter(s => values[s] > 0.05)
      .map(s => `${NAMES[s]} ${f(values[s], digits)}`)
      .join(', ') || '0'
  );
}

export function turnsTable(results: EngineResult[]): string {
  const lines = [
    '| Engine | Phase | Turns | Turn s p50 / p95 / max | Releases claimed per turn p50 / p95 / max | Upstream calls per turn p50 / p95 / max | Mean calls per turn by system | Batches | Batch ms p50 / p95 / max |',
    '| ------ | ----- | ----: | ---------------------: | ----------------------------------------: | --------------------------------------: | ----------------------------- | ------: | -----------------------: |',
  ];
  for (const r of results) {
    for (const [name, p] of [
      ['start-up', r.start],
      ['steady', r.steady],
    ] as const) {
      if (!p) continue;
      lines.push(
        `| ${engineName(r)} | ${name} (${f((p.to - p.from) / 1000)} s) | ${
          p.turns
        } | ${s3(p.turnMs)} | ${n3(p.claimedPerTurn)} | ${n3(
          p.callsPerTurn,
        )} | ${bySystem(p.callsPerTurnBySystem, 1)} | ${p.batches} | ${n3(
          p.batchMs,
        )} |`,
      );
    }
  }
  return lines.join('\n');
}

export function steadyTable(results: EngineResult[]): string {
  const lines = [
    '| Engine | Commit ms | Releases looked at per s (due) | Building looked at every s (due) | Syncing looked at every s (due) | Upstream calls per s | CPU % of a core: orchestrator / sandbox / PostgreSQL / other |',
    '| ------ | --------: | -----------------------------: | -------------------------------: | ------------------------------: | -------------------- | ------------------------------------------------------------: |',
  ];
  for (const r of results) {
    const p = r.steady;
    const i = r.intervals;
    if (!p || !i) {
      lines.push(
        `| ${engineName(r)} | ${f(
          r.commitMs,
          1,
        )} | start-up did not end within the run | | | | |`,
      );
      continue;
    }
    const c = p.cpu;
    lines.push(
      `| ${engineName(r)} | ${f(r.commitMs, 1)} | ${f(p.claimsPerSecond)} (${f(
        i.dueClaimsPerSecond,
      )}) | ${f(i.buildingEveryS, 1)} (${f(i.buildingDueS)}) | ${f(
        i.syncingEveryS,
        1,
      )} (${f(i.syncingDueS)}) | ${bySystem(p.callsPerSecond, 0)} | ${
        c
          ? `${f(c.benchPct)} / ${f(c.backendPct)} / ${f(c.postgresPct)} / ${f(
              c.otherPct,
            )}`
          : '–'
      } |`,
    );
  }
  return lines.join('\n');
}

export function report(
  results: EngineResult[],
  run: {
    started: number;
    load: [number, number];
    cpus: string;
    durationS: number;
    projects: number;
    environments: number;
  },
): string {
  const settings = results[0]?.settings;
  return [
    '# inflight',
    '',
    `\`yarn bench:inflight\`, ${new Date().toISOString()}, ${f(
      (Date.now() - run.started) / 1000,
    )} s in all; ${run.cpus}, Node ${process.version}; load average ${f(
      run.load[0],
      1,
    )} before, ${f(
      run.load[1],
      1,
    )} after (other work on the machine shares the cores).`,
    '',
    `${run.projects} projects × ${run.environments} environments = ${
      results[0]?.releases ?? 0
    } releases in flight at once, ${
      run.durationS
    } s of turns per engine from the moment all are queued. The orchestrator runs in this process with its defaults (batchSize ${
      settings?.batchSize
    }, concurrency ${settings?.concurrency}, pollInterval ${
      (settings?.pollIntervalMs ?? 0) / 1000
    } s) and uncached upstream clients; the upstream sandbox in its own process. Start-up: until every release first waits on a running build or a running sync; steady: the rest.`,
    '',
    turnsTable(results),
    '',
    steadyTable(results),
    '',
    ...results.map(
      r =>
        `- ${r.engine}: at the end ${r.building} building, ${
          r.syncing
        } syncing${
          r.problems.length
            ? `; ${r.problems.length} problems, first: ${r.problems[0]}`
            : ''
        }`,
    ),
    ...results.flatMap(r =>
      r.steady
        ? [
            `- ${r.engine}, steady calls per second by route: ${Object.entries(
              r.steady.routesPerSecond,
            )
              .map(([route, n]) => `\`${route}\` ${f(n, 1)}`)
              .join(', ')}`,
          ]
        : [],
    ),
    '',
  ].join('\n');
}
