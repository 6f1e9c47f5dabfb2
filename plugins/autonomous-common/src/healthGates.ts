/**
 * How a health gate compares its value with its threshold: the value must satisfy it.
 *
 * @public
 */
export type HealthGateComparison = '<' | '<=' | '>' | '>=' | '==' | '!=';

/**
 * A health gate as an environment's settings hold it: a PromQL query (with `{{namespace}}`,
 * `{{application}}` and `{{version}}`) whose value must satisfy `comparison threshold` at every
 * evaluation, each `intervalSeconds`, for `durationSeconds` after the rollout.
 *
 * @public
 */
export interface HealthGate {
  name: string;
  query: string;
  comparison: HealthGateComparison;
  threshold: number;
  durationSeconds: number;
  intervalSeconds: number;
}

/**
 * An environment's health gates and whether a failed gate rolls it back by itself.
 *
 * @public
 */
export interface EnvironmentHealthGates {
  entityRef: string;
  environment: string;
  gates: HealthGate[];
  autoRollback: boolean;
  updatedAt?: string;
  updatedBy?: string;
}

/**
 * One evaluation of a gate: the value Prometheus gave, or why there was none.
 *
 * @public
 */
export interface HealthGateSample {
  at: string;
  value?: number;
  passed: boolean;
  error?: string;
}

/**
 * A gate as one release is evaluated against it (query as run), with what it observed.
 *
 * @public
 */
export interface ReleaseHealthGate extends HealthGate {
  autoRollback: boolean;
  startedAt: string;
  verdict: 'pending' | 'passed' | 'failed';
  reason?: string;
  decidedAt?: string;
  samples: HealthGateSample[];
}

/**
 * `GET /releases/:id/health-gates`: empty until the release's rollout finished under gates.
 *
 * @public
 */
export interface ReleaseHealthGates {
  releaseId: string;
  gates: ReleaseHealthGate[];
}
