import type { Router } from 'express';

/**
 * What the sandbox's Prometheus answers for error-ratio queries of a namespace, as a test
 * steers it: healthy throughout, or healthy and then failing from `failAfterMs` after the first
 * error-ratio query of that namespace (a health gate's first evaluation) on.
 */
export interface PrometheusScenario {
  /** The namespace whose queries it answers; `*` for every namespace. */
  namespace: string;
  mode: 'healthy' | 'failing';
  /** failing: how long the ratio stays healthy first (default 0). */
  failAfterMs: number;
  /** The ratio while healthy (default 0.001) and once failing (default 0.2). */
  healthyRatio: number;
  failingRatio: number;
  /** When the first matching query came; the failure counts from here. */
  firstQueryAt?: number;
}

export class PrometheusScenarios {
  private readonly scenarios = new Map<string, PrometheusScenario>();
  private readonly now: () => number;

  // No parameter properties: the sandbox runs under Node's type stripping, which refuses them.
  constructor(now: () => number) {
    this.now = now;
  }

  set(scenario: PrometheusScenario): void {
    this.scenarios.set(scenario.namespace, scenario);
  }

  list(): PrometheusScenario[] {
    return [...this.scenarios.values()];
  }

  clear(namespace?: string): void {
    if (namespace) this.scenarios.delete(namespace);
    else this.scenarios.clear();
  }

  /** The steered error ratio of a namespace's query now, or undefined when nothing steers it. */
  errorRatio(namespace: string | undefined): number | undefined {
    const scenario =
      (namespace && this.scenarios.get(namespace)) || this.scenarios.get('*');
    if (!scenario) return undefined;
    const now = this.now();
    scenario.firstQueryAt ??= now;
    if (scenario.mode === 'healthy') return scenario.healthyRatio;
    return now - scenario.firstQueryAt >= scenario.failAfterMs
      ? scenario.failingRatio
      : scenario.healthyRatio;
  }
}

function ratio(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

/**
 * Control routes (under `/_sandbox`):
 * - `POST /prometheus/scenario` `{ namespace?, mode: 'healthy' | 'failing', failAfterMs?,
 *   failAfterMinutes?, healthyRatio?, failingRatio? }` steers the error ratio (queries over
 *   `http_requests_total` with a 5xx matcher and a `/`) of a namespace (default every one);
 * - `GET /prometheus/scenario` lists them; `DELETE /prometheus/scenario?namespace=` ends one
 *   (or all), and the ratio follows the pods again (crashing pods: 0.35).
 */
export function prometheusControlRoutes(
  router: Router,
  scenarios: PrometheusScenarios,
) {
  router.post('/prometheus/scenario', (req, res) => {
    const body = req.body ?? {};
    const namespace = body.namespace ?? '*';
    if (typeof namespace !== 'string' || !namespace) {
      res.status(400).json({ message: 'namespace must be a namespace name' });
      return;
    }
    if (body.mode !== 'healthy' && body.mode !== 'failing') {
      res.status(400).json({ message: "mode must be 'healthy' or 'failing'" });
      return;
    }
    const failAfterMs =
      body.failAfterMs !== undefined
        ? Number(body.failAfterMs)
        : Number(body.failAfterMinutes ?? 0) * 60_000;
    if (!(failAfterMs >= 0)) {
      res.status(400).json({
        message: 'failAfterMs (or failAfterMinutes) must be 0 or more',
      });
      return;
    }
    const healthyRatio = ratio(body.healthyRatio, 0.001);
    const failingRatio = ratio(body.failingRatio, 0.2);
    if (healthyRatio === undefined || failingRatio === undefined) {
      res.status(400).json({
        message: 'healthyRatio and failingRatio must be between 0 and 1',
      });
      return;
    }
    const scenario: PrometheusScenario = {
      namespace,
      mode: body.mode,
      failAfterMs,
      healthyRatio,
      failingRatio,
    };
    scenarios.set(scenario);
    res.json(scenario);
  });
  router.get('/prometheus/scenario', (_req, res) => {
    res.json(scenarios.list());
  });
  router.delete('/prometheus/scenario', (req, res) => {
    scenarios.clear(
      typeof req.query.namespace === 'string' ? req.query.namespace : undefined,
    );
    res.json(scenarios.list());
  });
}
