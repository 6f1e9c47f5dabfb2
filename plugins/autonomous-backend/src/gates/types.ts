/** How a gate's observed value is compared with its threshold: the value must satisfy it. */
export const GATE_COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type GateComparison = (typeof GATE_COMPARISONS)[number];

/**
 * One health gate of an environment: a PromQL query (templated with `{{namespace}}`,
 * `{{application}}` and `{{version}}`) whose value must satisfy `comparison threshold` at every
 * evaluation, each `intervalMs`, for `durationMs` after the rollout.
 */
export interface HealthGate {
  name: string;
  query: string;
  comparison: GateComparison;
  threshold: number;
  durationMs: number;
  intervalMs: number;
}

/** An environment's gates and whether a failed gate rolls the environment back by itself. */
export interface EnvironmentGates {
  entityRef: string;
  environment: string;
  gates: HealthGate[];
  autoRollback: boolean;
  updatedAt?: string;
  updatedBy?: string;
}

export type GateVerdict = 'pending' | 'passed' | 'failed';

/** One evaluation of a gate: the value Prometheus gave, or why there was none. */
export interface GateSample {
  at: string;
  value?: number;
  passed: boolean;
  error?: string;
}

/** A gate as one release is evaluated against it, with what it observed. */
export interface ReleaseGateCheck extends HealthGate {
  /** The query as run, with the release's namespace, application and version. */
  query: string;
  autoRollback: boolean;
  startedAt: string;
  verdict: GateVerdict;
  reason?: string;
  decidedAt?: string;
  samples: GateSample[];
}

/** Says whether a value satisfies a gate's condition. */
export function satisfies(
  value: number,
  comparison: GateComparison,
  threshold: number,
): boolean {
  switch (comparison) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    default:
      return value !== threshold;
  }
}

/** `error-ratio < 0.01`: how a gate's condition reads in events and messages. */
export function conditionOf(
  gate: Pick<HealthGate, 'comparison' | 'threshold'>,
) {
  return `${gate.comparison} ${gate.threshold}`;
}
