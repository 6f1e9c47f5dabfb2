/*
 * Open-loop load: requests leave at a fixed rate, evenly spaced, whether or not the earlier
 * ones have been answered — as users arrive — and each latency counts from the moment its
 * request was due, so a backend that falls behind shows it in the figures instead of
 * slowing the load down (closed loops, and autocannon's per-second `overallRate` bursts,
 * hide that). Sockets are kept alive and opened as needed.
 */
import http from 'node:http';
import { cpuSnapshot, cpuUse } from './cpu.mts';
import type { LoadFigures, Scenario } from './load.mts';
import { percentile } from './load.mts';

const TIMEOUT_MS = 10_000;

export async function runOpenLoop(options: {
  baseUrl: string;
  token: string;
  backendPid: number;
  scenario: Scenario;
  durationS: number;
  rate: number;
}): Promise<LoadFigures> {
  const { baseUrl, token, backendPid, scenario, durationS, rate } = options;
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const headers: Record<string, string> = { accept: 'application/json' };
  if (scenario.authenticated !== false) {
    headers.authorization = `Bearer ${token}`;
  }
  if (scenario.body) headers['content-type'] = 'application/json';

  const total = Math.max(1, Math.round(rate * durationS));
  const samples = new Float64Array(total);
  let answered = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let badBodies = 0;
  let maxSockets = 0;
  const problems: string[] = [];
  const note = (problem: string) => {
    if (problems.length < 5) problems.push(problem);
  };

  const send = (n: number, dueAt: number) =>
    new Promise<void>(resolve => {
      const path = scenario.path(n);
      const body = scenario.body?.(n);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: scenario.method ?? 'GET',
          path,
          headers,
          agent,
          timeout: TIMEOUT_MS,
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => {
            samples[answered++] = performance.now() - dueAt;
            if (res.statusCode !== 200) {
              non2xx++;
              note(`${path}: HTTP ${res.statusCode}`);
            } else {
              const problem = scenario.check(
                path,
                Buffer.concat(chunks).toString('utf8'),
              );
              if (problem) {
                badBodies++;
                note(`${path}: ${problem}`);
              }
            }
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        timeouts++;
        note(`${path}: no answer within ${TIMEOUT_MS} ms`);
        req.destroy();
        resolve();
      });
      req.on('error', error => {
        if (!req.destroyed || !String(error).includes('socket hang up')) {
          errors++;
          note(`${path}: ${error.message}`);
        }
        resolve();
      });
      req.end(body);
      const sockets = Object.values(agent.sockets).reduce(
        (sum, list) => sum + (list?.length ?? 0),
        0,
      );
      maxSockets = Math.max(maxSockets, sockets);
    });

  const before = cpuSnapshot(backendPid);
  const startedAt = performance.now();
  const intervalMs = 1000 / rate;
  const inFlight: Promise<void>[] = [];
  let next = 0;
  // Every millisecond, send what has fallen due; each request keeps its own due time.
  await new Promise<void>(done => {
    const tick = () => {
      const now = performance.now();
      while (next < total && startedAt + next * intervalMs <= now) {
        inFlight.push(send(next, startedAt + next * intervalMs));
        next++;
      }
      if (next < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - startedAt) / 1000;
  const cpu = cpuUse(before, cpuSnapshot(backendPid));
  agent.destroy();

  const sorted = samples.subarray(0, answered).sort();
  return {
    scenario: scenario.name,
    durationS: elapsedS,
    connections: maxSockets,
    rate,
    requests: answered,
    rps: answered / elapsedS,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: answered ? sorted[answered - 1] : NaN,
    non2xx,
    errors,
    timeouts,
    badBodies,
    problems,
    cpu,
    backendCpuMsPerRequest: answered > 0 ? cpu.backendMs / answered : NaN,
  };
}
