/**
 * `status.phase` and `status.message` as Argo Rollouts computes them
 * (utils/rollout/rolloututil.go CalculateRolloutPhase, v1.9).
 */
export function rolloutPhase(
  spec: any,
  status: any,
): {
  phase: 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';
  message: string;
} {
  for (const cond of status.conditions ?? []) {
    if (cond.type === 'InvalidSpec') {
      return { phase: 'Degraded', message: `InvalidSpec: ${cond.message}` };
    }
    if (cond.reason === 'RolloutAborted' || cond.reason === 'TimedOut') {
      return { phase: 'Degraded', message: `${cond.reason}: ${cond.message}` };
    }
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const pause = (status.pauseConditions ?? [])[0];
  if (pause) return { phase: 'Paused', message: String(pause.reason) };
  const replicas = spec.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < replicas) {
    return {
      phase: 'Progressing',
      message: 'more replicas need to be updated',
    };
  }
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) {
    return {
      phase: 'Progressing',
      message: 'updated replicas are still becoming available',
    };
  }
  const fullyPromoted =
    Boolean(status.stableRS) && status.stableRS === status.currentPodHash;
  if (spec.strategy?.blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash) {
      return {
        phase: 'Progressing',
        message: 'active service cutover pending',
      };
    }
    if (!fullyPromoted) {
      return {
        phase: 'Progressing',
        message: 'waiting for post-promotion verification to complete',
      };
    }
  } else if (spec.strategy?.canary) {
    if (
      !spec.strategy.canary.trafficRouting &&
      (status.replicas ?? 0) > (status.updatedReplicas ?? 0)
    ) {
      return {
        phase: 'Progressing',
        message: 'old replicas are pending termination',
      };
    }
    if (!fullyPromoted) {
      return {
        phase: 'Progressing',
        message: 'waiting for all steps to complete',
      };
    }
  }
  return { phase: 'Healthy', message: '' };
}
