/*
 * How Argo Rollouts reads a canary's steps (utils/replicaset/canary.go, v1.9): the weight in
 * force at a step index, the duration of a pause, the step the status points at.
 */

export type CanaryStep = {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: { templates?: Array<{ templateName: string }> };
  [other: string]: unknown;
};

/** `status.currentStepIndex`, 0 when unset (GetCurrentCanaryStep). */
export function stepIndexOf(ro: any): number {
  const index = ro.status?.currentStepIndex;
  return typeof index === 'number' ? index : 0;
}

export function stepsOf(ro: any): CanaryStep[] {
  return ro.spec?.strategy?.canary?.steps ?? [];
}

/**
 * The canary weight at a step index (GetCurrentSetWeight): the last `setWeight` at or before
 * the index, 100 once every step is done, 0 before the first `setWeight`.
 */
export function setWeightAt(steps: CanaryStep[], index: number): number {
  if (index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (typeof weight === 'number') return weight;
  }
  return 0;
}

/** A pause duration in milliseconds: an integer of seconds, or `30s`, `5m`, `1h`. */
export function pauseDurationMs(
  duration: string | number | undefined,
): number | undefined {
  if (duration === undefined) return undefined;
  if (typeof duration === 'number') return duration * 1000;
  const match = /^(\d+)(s|m|h)?$/.exec(duration.trim());
  if (!match) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
}

/** How `kubectl argo rollouts get` names a step (CanaryStepString). */
export function stepString(step: CanaryStep | undefined): string {
  if (!step) return '';
  if (typeof step.setWeight === 'number') return `setWeight: ${step.setWeight}`;
  if (step.pause) {
    return step.pause.duration === undefined
      ? 'pause'
      : `pause: ${step.pause.duration}`;
  }
  if (step.analysis) return 'analysis';
  return Object.keys(step)[0] ?? '';
}
