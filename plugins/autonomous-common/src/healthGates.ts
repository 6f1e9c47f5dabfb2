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
 * A pause of a release's Argo Rollouts Rollout and the health gates judged there before the
 * release promoted (or aborted) it: a canary step at its weight, a blue/green preview, or a
 * pause set by hand (`spec.paused`, never gated).
 *
 * @public
 */
export interface ReleaseRolloutStepGates {
  /** The pause's key: `canary-<index>`, `preview-<revision>` or `paused-<index>`. */
  step: string;
  kind: 'canary' | 'preview' | 'paused';
  /** Zero-based index of the canary step paused at. */
  index?: number;
  /** How many steps the canary strategy has. */
  count?: number;
  /** The canary weight in force at the pause, in percent. */
  weight?: number;
  /** The previewed revision (pod template hash) of a blue/green pause. */
  revision?: string;
  /** What the pause was, as the release's timeline says it. */
  label: string;
  reachedAt: string;
  /** What the release did at the pause, once it did. */
  action?: 'promoted' | 'aborted';
  /** When the pause's window started and when its longest gate ends; absent without gates. */
  windowStartedAt?: string;
  windowEndsAt?: string;
  gates: ReleaseHealthGate[];
}

/**
 * `GET /releases/:id/health-gates`: the window after the rollout (`gates`, empty until the
 * rollout finished under gates) and the windows judged at each pause of its Rollout (`steps`,
 * in the order they were reached).
 *
 * @public
 */
export interface ReleaseHealthGates {
  releaseId: string;
  gates: ReleaseHealthGate[];
  steps: ReleaseRolloutStepGates[];
}
