/*
 * Runs the orchestrator's turns one at a time and records each: how long `tick()` took, how
 * many releases it claimed, and the upstream calls the sandbox counted meanwhile; and within
 * the turns, each batch (one `claimDue()` of up to batchSize releases and their steps).
 *
 * In the backend the orchestrator starts its own follow-up turns (its private `soon()`): after
 * a turn, at the next release's due time, at least 50 ms later and at most a poll interval
 * later; a wake or a stage asking to be looked at sooner only moves that time earlier. Here
 * those timers are switched off and the bench starts each turn itself by the same rule
 * (`nextDue()` of the work store), so that no two turns overlap and each one's upstream calls
 * can be counted: the sandbox's counters are read before and after every turn, and nothing
 * but the orchestrator calls the sandbox's upstream APIs.
 */
import type { Orchestrator, WorkStore } from './plugin.mts';

export const SYSTEMS = ['jenkins', 'harbor', 'argocd', 'kubernetes'] as const;
export type System = (typeof SYSTEMS)[number];

export interface Turn {
  /** Start, ms since the run began, and wall time of `tick()`. */
  at: number;
  ms: number;
  /** Releases the turn claimed, over all its batches. */
  claimed: number;
  calls: Record<System, number>;
}

export interface Batch {
  at: number;
  ms: number;
  claimed: number;
}

interface CallCounts {
  systems: Record<string, number>;
}

export function withoutOwnTimers(orchestrator: Orchestrator): void {
  (orchestrator as unknown as { soon(ms: number): void }).soon = () => {};
}

/** Notes the time and size of every claimDue() the orchestrator makes. */
function recordClaims(work: WorkStore, t0: number) {
  const claims: { at: number; claimed: number }[] = [];
  const original = work.claimDue.bind(work);
  work.claimDue = async (limit, leaseMs) => {
    const at = performance.now() - t0;
    const claimed = await original(limit, leaseMs);
    claims.push({ at, claimed: claimed.length });
    return claimed;
  };
  return { claims, restore: () => (work.claimDue = original) };
}

export async function runTurns(options: {
  orchestrator: Orchestrator;
  work: WorkStore;
  pollIntervalMs: number;
  /** performance.now() when the run began. */
  t0: number;
  calls(): Promise<CallCounts>;
  /** Checked after every turn; the run ends when it answers true. */
  done(): boolean;
}): Promise<{ turns: Turn[]; batches: Batch[] }> {
  const { orchestrator, work, pollIntervalMs, t0 } = options;
  const turns: Turn[] = [];
  const batches: Batch[] = [];
  const { claims, restore } = recordClaims(work, t0);
  try {
    let before = await options.calls();
    for (;;) {
      const start = performance.now();
      const claimed = await orchestrator.tick();
      const end = performance.now();
      const after = await options.calls();
      const calls = Object.fromEntries(
        SYSTEMS.map(s => [
          s,
          (after.systems[s] ?? 0) - (before.systems[s] ?? 0),
        ]),
      ) as Record<System, number>;
      before = after;
      turns.push({ at: start - t0, ms: end - start, claimed, calls });
      // A batch lasts until the turn's next claim, the last one until the turn ends.
      const own = claims.splice(0);
      own.forEach((c, i) => {
        const until = i + 1 < own.length ? own[i + 1].at : end - t0;
        if (c.claimed > 0)
          batches.push({ at: c.at, ms: until - c.at, claimed: c.claimed });
      });
      if (options.done()) return { turns, batches };
      const due = await work.nextDue();
      const inMs = due ? due.getTime() - Date.now() : pollIntervalMs;
      const wait = Math.max(50, Math.min(inMs, pollIntervalMs));
      await new Promise(r => setTimeout(r, wait));
    }
  } finally {
    restore();
  }
}
