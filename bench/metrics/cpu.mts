/*
 * CPU time of the work measured, apart from everything else on a shared machine: this
 * process (the service, its driver, SQLite itself) and the PostgreSQL server processes of the
 * bench's own connections (their pids asked when the pool opens them), from /proc. Wall
 * times on 2 busy cores swing with other people's work; CPU per answer much less.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond = 100;
try {
  ticksPerSecond =
    Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
} catch {
  // keep the Linux default
}

function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The pids of the PostgreSQL server processes behind the bench's connections. */
export const serverPids = new Set<number>();

/** For knex's pool: notes each new connection's server process. */
export function notePid(
  conn: any,
  done: (err: unknown, conn: unknown) => void,
) {
  conn.query('SELECT pg_backend_pid() AS pid', (err: unknown, res: any) => {
    if (!err) serverPids.add(Number(res.rows[0].pid));
    done(err, conn);
  });
}

export interface CpuReading {
  benchMs: number;
  serverMs: number;
}

export function readCpu(): CpuReading {
  const usage = process.cpuUsage();
  let serverMs = 0;
  for (const pid of serverPids) serverMs += processCpuMs(pid);
  return { benchMs: (usage.user + usage.system) / 1000, serverMs };
}
