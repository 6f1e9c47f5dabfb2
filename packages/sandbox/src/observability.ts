import express from 'express';
import type { Router } from 'express';
import type { SandboxContext } from './context.ts';
import type { KubernetesState } from './kubernetes/index.ts';
import type { PrometheusScenarios } from './prometheusScenarios.ts';
import { promqlSyntaxError } from './prometheusSyntax.ts';

interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Parses the label matchers of the first `{...}` selector in a PromQL or LogQL query. */
export function parseMatchers(query: string): Matcher[] {
  const block = /\{([^}]*)\}/.exec(query)?.[1] ?? '';
  const out: Matcher[] = [];
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
  for (const m of block.matchAll(re)) {
    out.push({
      label: m[1],
      op: m[2] as Matcher['op'],
      value: m[3].replace(/\\(.)/g, '$1'),
    });
  }
  return out;
}

function matches(labels: Record<string, string>, matchers: Matcher[]): boolean {
  return matchers.every(m => {
    const v = labels[m.label] ?? '';
    switch (m.op) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return new RegExp(`^(?:${m.value})$`).test(v);
      default:
        return !new RegExp(`^(?:${m.value})$`).test(v);
    }
  });
}

function podLabels(pod: any): Record<string, string> {
  const app =
    pod.metadata.labels?.['app.kubernetes.io/instance'] ??
    pod.metadata.labels?.['app.kubernetes.io/name'] ??
    pod.metadata.labels?.app ??
    pod.metadata.name;
  return {
    namespace: pod.metadata.namespace,
    pod: pod.metadata.name,
    container: pod.spec.containers[0]?.name ?? '',
    app,
    job: `${pod.metadata.namespace}/${app}`,
  };
}

export function prometheusRouter(
  ctx: SandboxContext,
  kube: KubernetesState,
  scenarios?: PrometheusScenarios,
): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));

  const evaluate = (query: string, at: number) => {
    const matchers = parseMatchers(query).filter(m =>
      ['namespace', 'pod', 'app', 'job', 'container'].includes(m.label),
    );
    const pods = kube
      .list('pods')
      .filter(p => p.metadata.ownerReferences?.[0]?.kind !== 'Job')
      .filter(p => matches(podLabels(p), matchers));
    const ns = matchers.find(
      m => m.label === 'namespace' && m.op === '=',
    )?.value;
    const groupLabels = ns ? { namespace: ns } : {};
    const ready = pods.filter(p => kube.podReady(p));
    const crashing = pods.filter(p => kube.isCrashing(p));
    const value = (n: number) => [at / 1000, String(Number(n.toFixed(6)))];
    const wave = 1 + 0.1 * Math.sin(at / 60_000);
    const aggregated = /\b(sum|avg|max|min|count)\b/.test(query);
    const perPod = (f: (p: any) => number, name?: string) =>
      aggregated
        ? [
            {
              metric: groupLabels,
              value: value(pods.reduce((s, p) => s + f(p), 0)),
            },
          ]
        : pods.map(p => ({
            metric: {
              ...(name ? { __name__: name } : {}),
              ...podLabels(p),
              instance: `${p.status?.podIP ?? '0.0.0.0'}:8080`,
            },
            value: value(f(p)),
          }));
    if (
      /http_requests_total|http_server_requests/.test(query) &&
      /5\.\.|5xx|status=~"5|code=~"5|error/.test(query) &&
      query.includes('/')
    ) {
      const steered = scenarios?.errorRatio(ns);
      if (steered !== undefined) {
        return [{ metric: groupLabels, value: value(steered) }];
      }
      if (!pods.length) return [];
      const ratio = crashing.length ? 0.35 : 0.002 * wave;
      return [{ metric: groupLabels, value: value(ratio) }];
    }
    if (/http_requests_total|http_server_requests|request/.test(query)) {
      return perPod(
        p => (kube.podReady(p) ? 4.2 * wave : 0),
        aggregated ? undefined : 'http_requests_total',
      );
    }
    if (/duration|latency/.test(query)) {
      if (!pods.length) return [];
      return [
        {
          metric: groupLabels,
          value: value(crashing.length ? 2.4 : 0.085 * wave),
        },
      ];
    }
    if (
      /kube_deployment_status_replicas_available|kube_statefulset_status_replicas_ready/.test(
        query,
      )
    ) {
      return [{ metric: groupLabels, value: value(ready.length) }];
    }
    if (/container_memory_working_set_bytes/.test(query)) {
      return perPod(
        () => 134_217_728 * wave,
        aggregated ? undefined : 'container_memory_working_set_bytes',
      );
    }
    if (/container_cpu_usage_seconds_total/.test(query)) {
      return perPod(
        () => 0.05 * wave,
        aggregated ? undefined : 'container_cpu_usage_seconds_total',
      );
    }
    if (/kube_pod_container_status_restarts_total|restarts/.test(query)) {
      return perPod(
        p => p.status?.containerStatuses?.[0]?.restartCount ?? 0,
        aggregated ? undefined : 'kube_pod_container_status_restarts_total',
      );
    }
    if (/\bup\b/.test(query)) {
      return perPod(
        p => (kube.podReady(p) ? 1 : 0),
        aggregated ? undefined : 'up',
      );
    }
    return [];
  };

  const param = (req: express.Request, name: string) => {
    const v =
      req.query[name] ??
      (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' ? v : undefined;
  };

  const time = (raw: string | undefined, fallback: number) => {
    if (!raw) return fallback;
    const n = Number(raw);
    if (Number.isFinite(n)) return n * 1000;
    const d = Date.parse(raw);
    return Number.isNaN(d) ? fallback : d;
  };

  const query = (req: express.Request, res: express.Response) => {
    const q = param(req, 'query');
    if (!q) {
      res.status(400).json({
        status: 'error',
        errorType: 'bad_data',
        error:
          'invalid parameter "query": unknown position: parse error: no expression found in input',
      });
      return;
    }
    const syntax = promqlSyntaxError(q);
    if (syntax) {
      res.status(400).json({
        status: 'error',
        errorType: 'bad_data',
        error: `invalid parameter "query": ${syntax}`,
      });
      return;
    }
    const at = time(param(req, 'time'), ctx.now());
    res.json({
      status: 'success',
      data: { resultType: 'vector', result: evaluate(q, at) },
    });
  };

  const queryRange = (req: express.Request, res: express.Response) => {
    const q = param(req, 'query');
    if (!q) {
      res.status(400).json({
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query"',
      });
      return;
    }
    const end = time(param(req, 'end'), ctx.now());
    const start = time(param(req, 'start'), end - 3600_000);
    const step = Math.max(1, Number(param(req, 'step') ?? 60)) * 1000;
    const series = new Map<string, { metric: any; values: any[] }>();
    for (let t = start, i = 0; t <= end && i < 11000; t += step, i++) {
      for (const r of evaluate(q, t)) {
        const key = JSON.stringify(r.metric);
        const s = series.get(key) ?? { metric: r.metric, values: [] };
        s.values.push(r.value);
        series.set(key, s);
      }
    }
    res.json({
      status: 'success',
      data: { resultType: 'matrix', result: [...series.values()] },
    });
  };

  router.get('/api/v1/query', query);
  router.post('/api/v1/query', query);
  router.get('/api/v1/query_range', queryRange);
  router.post('/api/v1/query_range', queryRange);
  router.get('/-/healthy', (_req, res) => {
    res.type('text/plain').send('Prometheus Server is Healthy.\n');
  });
  router.use((req, res) => {
    res.status(404).json({
      status: 'error',
      errorType: 'not_found',
      error: `${req.path} is not served by the sandbox`,
    });
  });
  return router;
}

function nanos(ms: number): string {
  return `${BigInt(Math.floor(ms)) * 1_000_000n}`;
}

function parseTime(raw: unknown, fallback: number): number {
  if (typeof raw !== 'string' || !raw) return fallback;
  if (/^\d+$/.test(raw)) {
    // Loki takes nanoseconds (or seconds when short).
    return raw.length > 13
      ? Number(BigInt(raw) / 1_000_000n)
      : Number(raw) * (raw.length <= 10 ? 1000 : 1);
  }
  const d = Date.parse(raw);
  return Number.isNaN(d) ? fallback : d;
}

export function lokiRouter(ctx: SandboxContext, kube: KubernetesState): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));

  const queryRange = (req: express.Request, res: express.Response) => {
    const q = String(req.query.query ?? (req.body as any)?.query ?? '');
    const matchers = parseMatchers(q);
    if (!matchers.length) {
      res
        .status(400)
        .type('text/plain')
        .send(
          'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value',
        );
      return;
    }
    const end = parseTime(req.query.end, ctx.now());
    const start = parseTime(req.query.start, end - 3600_000);
    const limit = Math.max(1, Number(req.query.limit ?? 100) || 100);
    const forward = req.query.direction === 'forward';
    const filters: { op: string; text: string }[] = [];
    const fre = /(\|=|!=|\|~|!~)\s*"((?:[^"\\]|\\.)*)"/g;
    const after = q.slice(q.indexOf('}') + 1);
    for (const m of after.matchAll(fre)) filters.push({ op: m[1], text: m[2] });
    const keep = (line: string) =>
      filters.every(f => {
        switch (f.op) {
          case '|=':
            return line.includes(f.text);
          case '!=':
            return !line.includes(f.text);
          case '|~':
            return new RegExp(f.text).test(line);
          default:
            return !new RegExp(f.text).test(line);
        }
      });
    const entries: {
      at: number;
      stream: Record<string, string>;
      line: string;
    }[] = [];
    for (const pod of kube.list('pods')) {
      const labels = podLabels(pod);
      if (!matches(labels, matchers)) continue;
      for (const l of kube.podLog(pod)) {
        if (l.at >= start && l.at <= end && keep(l.line))
          entries.push({ at: l.at, stream: labels, line: l.line });
      }
    }
    entries.sort((a, b) => (forward ? a.at - b.at : b.at - a.at));
    const picked = entries.slice(0, limit);
    const streams = new Map<
      string,
      { stream: Record<string, string>; values: [string, string][] }
    >();
    for (const e of picked) {
      const key = JSON.stringify(e.stream);
      const s = streams.get(key) ?? { stream: e.stream, values: [] };
      s.values.push([nanos(e.at), e.line]);
      streams.set(key, s);
    }
    res.json({
      status: 'success',
      data: {
        resultType: 'streams',
        result: [...streams.values()],
        stats: { summary: { totalEntriesReturned: picked.length } },
      },
    });
  };

  router.get('/loki/api/v1/query_range', queryRange);
  router.post('/loki/api/v1/query_range', queryRange);
  router.get('/loki/api/v1/labels', (_req, res) => {
    res.json({
      status: 'success',
      data: ['app', 'container', 'job', 'namespace', 'pod'],
    });
  });
  router.get('/ready', (_req, res) => {
    res.type('text/plain').send('ready\n');
  });
  router.use((req, res) => {
    res
      .status(404)
      .type('text/plain')
      .send(`${req.path} is not served by the sandbox\n`);
  });
  return router;
}
