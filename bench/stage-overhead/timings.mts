/*
 * Realistic-ish upstream delays, drawn again every 250 ms through the sandbox's control API,
 * so each release's stages last differently and end at every phase of the backend's poll
 * cycle. The sandbox reads a delay when the stage starts (the queue delay when the build is
 * triggered, the build's duration when it starts, the sync's when it starts, the pods' when
 * they are created).
 */

export const TIMING_RANGES: Record<string, [number, number]> = {
  queueDelayMs: [1_000, 2_000],
  buildDurationMs: [6_000, 12_000],
  syncDurationMs: [1_000, 3_000],
  podStartMs: [1_000, 2_000],
  podReadyMs: [1_500, 3_500],
};

export function describeRanges(): string {
  return Object.entries(TIMING_RANGES)
    .map(([k, [lo, hi]]) => `${k} ${lo / 1000}–${hi / 1000} s`)
    .join(', ');
}

/** mulberry32: the same durations and pauses on every run with the same seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sets the sandbox's delays at random now and every 250 ms; returns a stop function. */
export async function varyTimings(
  control: (path: string, body?: unknown) => Promise<unknown>,
  rng: () => number,
  log: (line: string) => void,
): Promise<() => void> {
  const draw = () =>
    control(
      '/timings',
      Object.fromEntries(
        Object.entries(TIMING_RANGES).map(([k, [lo, hi]]) => [
          k,
          Math.round(lo + rng() * (hi - lo)),
        ]),
      ),
    );
  await control('/timings', { speed: 'realistic' });
  await draw();
  const timer = setInterval(
    () => void draw().catch(e => log(`timings: ${e}`)),
    250,
  );
  return () => clearInterval(timer);
}
