import type { Request, Response } from 'express';
import type { SandboxContext } from '../context.ts';
import { isoSeconds } from '../util.ts';
import { KubeError } from './errors.ts';
import type { PodRuntime } from './pods.ts';
import type { KubernetesState } from './state.ts';

export interface LogLine {
  at: number;
  line: string;
}

/**
 * The log lines a pod's container has written by now, with their times. `previous` gives the
 * previous (crashed) container's lines.
 */
export function podLogLines(
  ctx: SandboxContext,
  rt: PodRuntime | undefined,
  previous: boolean,
): LogLine[] {
  const now = ctx.now();
  if (!rt) return [];
  const t = ctx.timings;
  const startup = rt.script.startup.map(l =>
    l.replace('{time}', isoSeconds(rt.startAt)),
  );
  const lines: { at: number; line: string }[] = [];
  if (rt.crash) {
    const restarts = Math.max(
      0,
      Math.floor((now - rt.startAt) / t.crashIntervalMs) + 1,
    );
    const lastStart =
      rt.startAt +
      Math.max(0, restarts - (previous ? 1 : 0) - 1) * t.crashIntervalMs;
    const crash = [
      ...startup.slice(0, 2),
      `Error: failed to start: dependency check failed (exit code 1)`,
      `    at main (/app/server.js:42:11)`,
    ];
    // Each crashed container wrote these lines and exited right after it started.
    crash.forEach((line, i) => lines.push({ at: lastStart + i, line }));
    return lines;
  }
  startup.forEach((line, i) => lines.push({ at: rt.startAt + i * 20, line }));
  if (rt.endAt !== undefined) {
    const middle = rt.startAt + (rt.endAt - rt.startAt) / 2;
    if (rt.script.finish) {
      rt.script.finish.lines.forEach((line, i) =>
        lines.push({ at: Math.max(middle, rt.endAt! - 10 + i), line }),
      );
    }
  } else if (rt.script.repeat) {
    const from = rt.startAt + startup.length * 20;
    const count = Math.min(
      2000,
      Math.max(0, Math.floor((now - from) / t.logIntervalMs)),
    );
    const first = Math.max(0, count - 1000);
    for (let i = first; i < count; i++) {
      lines.push({
        at: from + (i + 1) * t.logIntervalMs,
        line: rt.script.repeat[i % rt.script.repeat.length],
      });
    }
  }
  return lines.filter(l => l.at <= now);
}

/** `GET /api/v1/namespaces/{namespace}/pods/{name}/log`, with `follow`, `previous`, `tailLines`, `sinceSeconds`… */
export async function servePodLog(
  ctx: SandboxContext,
  state: KubernetesState,
  req: Request,
  res: Response,
  ns: string,
  name: string,
) {
  const pod = state.mustGet('pods', ns, name);
  const containers: string[] = pod.spec.containers.map((c: any) => c.name);
  const container =
    typeof req.query.container === 'string' ? req.query.container : undefined;
  if (!container && containers.length > 1) {
    throw new KubeError(
      400,
      'BadRequest',
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(
        ' ',
      )}]`,
    );
  }
  if (container && !containers.includes(container)) {
    throw new KubeError(
      400,
      'BadRequest',
      `container ${container} is not valid for pod ${name}`,
    );
  }
  const cname = container ?? containers[0];
  const previous = req.query.previous === 'true';
  if (previous && !state.hasPrevious(pod)) {
    throw new KubeError(
      400,
      'BadRequest',
      `previous terminated container "${cname}" in pod "${name}" not found`,
    );
  }
  const waiting = state.waitingReason(pod);
  if (waiting) {
    throw new KubeError(
      400,
      'BadRequest',
      `container "${cname}" in pod "${name}" is waiting to start: ${waiting}`,
    );
  }
  const timestamps = req.query.timestamps === 'true';
  const format = (l: { at: number; line: string }) =>
    `${
      timestamps
        ? `${new Date(l.at)
            .toISOString()
            .replace(/\.(\d{3})Z$/, '.$1000000Z')} `
        : ''
    }${l.line}\n`;
  let lines = state.podLog(pod, previous);
  const sinceSeconds = Number(req.query.sinceSeconds ?? 0);
  if (sinceSeconds > 0)
    lines = lines.filter(l => l.at >= ctx.now() - sinceSeconds * 1000);
  if (typeof req.query.sinceTime === 'string') {
    const since = Date.parse(req.query.sinceTime);
    if (!Number.isNaN(since)) lines = lines.filter(l => l.at >= since);
  }
  const tail =
    req.query.tailLines !== undefined ? Number(req.query.tailLines) : -1;
  if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
  let text = lines.map(format).join('');
  const limitBytes = Number(req.query.limitBytes ?? 0);
  if (limitBytes > 0)
    text = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
  res.status(200).type('text/plain');
  if (req.query.follow !== 'true' || previous) {
    res.send(text);
    return;
  }
  res.setHeader('Transfer-Encoding', 'chunked');
  res.write(text);
  let sent = state.podLog(pod).length;
  let closed = false;
  req.on('close', () => {
    closed = true;
  });
  const interval = Math.max(20, Math.min(500, ctx.timings.logIntervalMs));
  while (!closed) {
    await new Promise(r => setTimeout(r, interval));
    state.advance();
    const current = state.get('pods', ns, name);
    if (!current) break;
    const all = state.podLog(current);
    if (all.length > sent) {
      res.write(all.slice(sent).map(format).join(''));
      sent = all.length;
    }
    if (state.isTerminated(current) || state.isCrashing(current)) break;
  }
  res.end();
}
