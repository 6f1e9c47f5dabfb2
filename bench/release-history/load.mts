/*
 * Drives one scenario with autocannon (programmatic API), rotating the path on every
 * request, checking every answer, and recording each latency and the CPU time spent.
 */
import autocannon from 'autocannon';
import { cpuSnapshot, cpuUse } from './cpu.mts';
import type { CpuUse } from './cpu.mts';

export interface Scenario {
  name: string;
  method?: 'GET' | 'POST';
  /** The n-th request's path (n counts from 0 over all connections). */
  path(n: number): string;
  /** A JSON body for the n-th request, if any. */
  body?(n: number): string;
  /** Sends the user token (default true). */
  authenticated?: boolean;
  /** Returns what is wrong with a 200 answer to that path, or undefined. */
  check(path: string, body: string): string | undefined;
}

export interface LoadFigures {
  scenario: string;
  durationS: number;
  /** Closed loop: the connections that never pause; open loop: the sockets it used at most. */
  connections: number;
  /** Open loop: the requested rate, req/s; undefined for closed loop. */
  rate?: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  badBodies: number;
  problems: string[];
  cpu: CpuUse;
  /** Backend CPU time per answered request, ms. */
  backendCpuMsPerRequest: number;
}

const MAX_SAMPLES = 2_000_000;

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

export async function runLoad(options: {
  baseUrl: string;
  token: string;
  backendPid: number;
  scenario: Scenario;
  durationS: number;
  connections: number;
}): Promise<LoadFigures> {
  const { baseUrl, token, backendPid, scenario, durationS, connections } =
    options;
  let sent = 0;
  let badBodies = 0;
  const problems: string[] = [];
  // every answer's latency in ms, unrounded (autocannon's histogram keeps whole ms)
  const samples = new Float64Array(MAX_SAMPLES);
  let count = 0;

  const headers: Record<string, string> = { accept: 'application/json' };
  if (scenario.authenticated !== false) {
    headers.authorization = `Bearer ${token}`;
  }
  if (scenario.body) headers['content-type'] = 'application/json';

  const before = cpuSnapshot(backendPid);
  const instance = autocannon({
    url: baseUrl,
    connections,
    pipelining: 1,
    duration: durationS,
    timeout: 10,
    headers,
    requests: [
      {
        method: scenario.method ?? 'GET',
        setupRequest: (req: any, context: any) => {
          const n = sent++;
          const path = scenario.path(n);
          context.path = path;
          return scenario.body
            ? { ...req, path, body: scenario.body(n) }
            : { ...req, path };
        },
        onResponse: (status: number, body: string, context: any) => {
          if (status !== 200) return; // autocannon counts it as non-2xx
          const problem = scenario.check(context.path, body);
          if (problem) {
            badBodies++;
            if (problems.length < 5) {
              problems.push(`${context.path}: ${problem}`);
            }
          }
        },
      },
    ],
  });
  instance.on(
    'response',
    (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (count < MAX_SAMPLES) samples[count++] = ms;
      if (status !== 200 && problems.length < 5) {
        problems.push(`HTTP ${status}`);
      }
    },
  );
  const result: any = await instance;
  const cpu = cpuUse(before, cpuSnapshot(backendPid));

  const sorted = samples.subarray(0, count).sort();
  const elapsedS = result.duration || durationS;
  const requests: number = result.requests.total;
  return {
    scenario: scenario.name,
    durationS: elapsedS,
    connections,
    requests,
    rps: requests / elapsedS,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: count ? sorted[count - 1] : NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    badBodies,
    problems,
    cpu,
    backendCpuMsPerRequest: requests > 0 ? cpu.backendMs / requests : NaN,
  };
}
