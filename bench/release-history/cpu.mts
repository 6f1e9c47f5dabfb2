/*
 * Where the machine's CPU time went during a measurement (Linux /proc): the backend, the
 * load generator (this process), the PostgreSQL server processes, and everything else.
 * Latency on a shared 2-core machine means little without it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond = 100;
try {
  ticksPerSecond =
    Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
} catch {
  // keep the Linux default
}

export interface CpuSnapshot {
  wallMs: number;
  backendMs: number;
  benchMs: number;
  postgresMs: Map<number, number>;
  machineBusyMs: number;
}

export interface CpuUse {
  /** CPU time per wall time, in % of one core. */
  backendPct: number;
  benchPct: number;
  postgresPct: number;
  otherPct: number;
  backendMs: number;
  postgresMs: number;
}

/** utime + stime of a process, in ms; 0 when it is gone or /proc is missing. */
function processCpuMs(pid: number): { comm: string; ms: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { comm, ms: (ticks * 1000) / ticksPerSecond };
  } catch {
    return undefined;
  }
}

/** CPU ms of each PostgreSQL server process (one per connection, plus its helpers). */
function postgresCpuMs(): Map<number, number> {
  const byPid = new Map<number, number>();
  let dirs: string[] = [];
  try {
    dirs = readdirSync('/proc');
  } catch {
    return byPid;
  }
  for (const d of dirs) {
    if (!/^\d+$/.test(d)) continue;
    const p = processCpuMs(Number(d));
    if (p && p.comm === 'postgres') byPid.set(Number(d), p.ms);
  }
  return byPid;
}

function machineBusyMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [, ...values] = line.trim().split(/\s+/);
    const n = values.map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice
    const busy = n[0] + n[1] + n[2] + n[5] + n[6] + n[7];
    return (busy * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

export function cpuSnapshot(backendPid: number): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    wallMs: performance.now(),
    backendMs: processCpuMs(backendPid)?.ms ?? 0,
    benchMs: (usage.user + usage.system) / 1000,
    postgresMs: postgresCpuMs(),
    machineBusyMs: machineBusyMs(),
  };
}

export function cpuUse(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const wall = b.wallMs - a.wallMs;
  const pct = (ms: number) => (wall > 0 ? (ms / wall) * 100 : NaN);
  const backendMs = b.backendMs - a.backendMs;
  const benchMs = b.benchMs - a.benchMs;
  // processes that ended in between are lost here and land in "other"
  let postgresMs = 0;
  for (const [pid, ms] of b.postgresMs) {
    postgresMs += ms - (a.postgresMs.get(pid) ?? 0);
  }
  const otherMs = Math.max(
    0,
    b.machineBusyMs - a.machineBusyMs - backendMs - benchMs - postgresMs,
  );
  return {
    backendPct: pct(backendMs),
    benchPct: pct(benchMs),
    postgresPct: pct(postgresMs),
    otherPct: pct(otherMs),
    backendMs,
    postgresMs,
  };
}
