/*
 * Once a second during the run: the sandbox's call counters (by system and route) and where
 * the machine's CPU went (the sandbox process, this process, PostgreSQL, everything else), so
 * any time window of the run can be measured, however long its turns are; and the moment every
 * release first waits on a running build or sync (the end of start-up).
 */
import { cpuSnapshot } from '../release-history/cpu.mts';
import type { CpuSnapshot } from '../release-history/cpu.mts';

export interface Sample {
  /** ms since the run began */
  at: number;
  systems: Record<string, number>;
  routes: Record<string, number>;
  /** `backendMs` of the snapshot is the sandbox process. */
  cpu: CpuSnapshot;
}

export interface Sampler {
  samples: Sample[];
  /** ms since the run began when start-up was over, if it was. */
  restingAt(): number | undefined;
  stop(): Promise<void>;
}

export function startSampler(options: {
  t0: number;
  sandboxPid: number;
  calls(): Promise<{
    systems: Record<string, number>;
    routes: Record<string, number>;
  }>;
  resting(): Promise<boolean>;
}): Sampler {
  const samples: Sample[] = [];
  let restingAt: number | undefined;
  let running = true;
  const take = async () => {
    const at = performance.now() - options.t0;
    const [counts, resting] = await Promise.all([
      options.calls(),
      restingAt === undefined ? options.resting() : Promise.resolve(true),
    ]);
    samples.push({ at, ...counts, cpu: cpuSnapshot(options.sandboxPid) });
    if (resting && restingAt === undefined) restingAt = at;
  };
  const loop = (async () => {
    while (running) {
      await take();
      await new Promise(r => setTimeout(r, 1_000));
    }
    await take();
  })();
  return {
    samples,
    restingAt: () => restingAt,
    async stop() {
      running = false;
      await loop;
    },
  };
}
