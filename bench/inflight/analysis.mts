/*
 * Splits a run into start-up (until every release first waits on a running build or sync)
 * and steady state, and sums up turns, batches, upstream calls and CPU of each.
 */
import { cpuUse } from '../release-history/cpu.mts';
import type { CpuUse } from '../release-history/cpu.mts';
import type { Sample } from './sampler.mts';
import { SYSTEMS } from './turns.mts';
import type { Batch, System, Turn } from './turns.mts';

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return {
    p50: rank(50),
    p95: rank(95),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export interface Phase {
  /** Window of the run, ms since it began. */
  from: number;
  to: number;
  turns: number;
  turnMs: Percentiles;
  claimedPerTurn: Percentiles;
  callsPerTurn: Percentiles;
  /** Mean upstream calls per turn, by system. */
  callsPerTurnBySystem: Record<System, number>;
  batches: number;
  batchMs: Percentiles;
  /** Releases looked at (claimed) per second, and upstream calls per second, in the window. */
  claimsPerSecond: number;
  callsPerSecond: Record<System, number>;
  routesPerSecond: Record<string, number>;
  cpu?: CpuUse;
}

function nearest(samples: Sample[], at: number): Sample | undefined {
  let best: Sample | undefined;
  for (const s of samples) {
    if (!best || Math.abs(s.at - at) < Math.abs(best.at - at)) best = s;
  }
  return best;
}

export function phase(
  from: number,
  to: number,
  turns: Turn[],
  batches: Batch[],
  samples: Sample[],
): Phase {
  const own = turns.filter(t => t.at >= from && t.at < to);
  const ownBatches = batches.filter(b => b.at >= from && b.at < to);
  const total = (t: Turn) => SYSTEMS.reduce((sum, s) => sum + t.calls[s], 0);
  const a = nearest(samples, from);
  const b = nearest(samples, to);
  const seconds = a && b && b.at > a.at ? (b.at - a.at) / 1000 : NaN;
  const rate = (
    x: Record<string, number>,
    y: Record<string, number>,
    key: string,
  ) => ((y[key] ?? 0) - (x[key] ?? 0)) / seconds;
  const claimsInWindow = batches
    .filter(x => a && b && x.at >= a.at && x.at < b.at)
    .reduce((sum, x) => sum + x.claimed, 0);
  return {
    from,
    to,
    turns: own.length,
    turnMs: percentiles(own.map(t => t.ms)),
    claimedPerTurn: percentiles(own.map(t => t.claimed)),
    callsPerTurn: percentiles(own.map(total)),
    callsPerTurnBySystem: Object.fromEntries(
      SYSTEMS.map(s => [
        s,
        own.length
          ? own.reduce((sum, t) => sum + t.calls[s], 0) / own.length
          : 0,
      ]),
    ) as Record<System, number>,
    batches: ownBatches.length,
    batchMs: percentiles(ownBatches.map(x => x.ms)),
    claimsPerSecond: claimsInWindow / seconds,
    callsPerSecond: Object.fromEntries(
      SYSTEMS.map(s => [s, a && b ? rate(a.systems, b.systems, s) : NaN]),
    ) as Record<System, number>,
    routesPerSecond:
      a && b
        ? Object.fromEntries(
            Object.keys(b.routes)
              .map(r => [r, rate(a.routes, b.routes, r)] as const)
              .filter(([, n]) => n > 0)
              .sort((x, y) => y[1] - x[1]),
          )
        : {},
    cpu: a && b && b.at > a.at ? cpuUse(a.cpu, b.cpu) : undefined,
  };
}

/**
 * How often releases were really looked at in the steady window, against how often they ask
 * to be: a building release every poll interval (getBuild), a syncing one every
 * min(2 s, poll interval) (getApplication).
 */
export function checkIntervals(
  steady: Phase,
  counts: { building: number; syncing: number },
  pollIntervalMs: number,
) {
  const rate = (suffix: string) =>
    Object.entries(steady.routesPerSecond)
      .filter(([route]) => route.endsWith(suffix))
      .reduce((sum, [, n]) => sum + n, 0);
  const buildChecks = rate('/{number}/api/json');
  const syncChecks = rate('GET /argocd/api/v1/applications/{name}');
  const syncDueMs = Math.min(2_000, pollIntervalMs);
  return {
    dueClaimsPerSecond:
      (counts.building * 1000) / pollIntervalMs +
      (counts.syncing * 1000) / syncDueMs,
    buildingEveryS:
      counts.building && buildChecks ? counts.building / buildChecks : NaN,
    buildingDueS: pollIntervalMs / 1000,
    syncingEveryS:
      counts.syncing && syncChecks ? counts.syncing / syncChecks : NaN,
    syncingDueS: syncDueMs / 1000,
  };
}
