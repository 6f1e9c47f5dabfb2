import {
  EnvironmentRollout,
  RolloutStep,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  ArgoRollout,
  ArgoRolloutCanaryStep,
} from '@autonomous-dev/backstage-plugin-autonomous-node';

/** The weight in force at a step index (Argo Rollouts' GetCurrentSetWeight). */
function setWeightAt(steps: ArgoRolloutCanaryStep[], index: number): number {
  if (index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (typeof weight === 'number') return weight;
  }
  return 0;
}

function stepOf(
  step: ArgoRolloutCanaryStep,
  index: number,
  current: number,
  ro: ArgoRollout,
): RolloutStep {
  let state: RolloutStep['state'] = 'pending';
  if (index < current) state = 'done';
  else if (index === current) state = 'current';
  if (typeof step.setWeight === 'number') {
    return {
      index,
      kind: 'setWeight',
      label: `setWeight: ${step.setWeight}`,
      weight: step.setWeight,
      state,
    };
  }
  if (step.pause) {
    const written = step.pause.duration;
    const duration = typeof written === 'number' ? `${written}s` : written;
    return {
      index,
      kind: 'pause',
      label: duration ? `pause: ${duration}` : 'pause',
      ...(duration ? { duration } : {}),
      state,
    };
  }
  if (step.analysis) {
    const run =
      state === 'current'
        ? ro.status?.canary?.currentStepAnalysisRunStatus
        : undefined;
    return {
      index,
      kind: 'analysis',
      label: 'analysis',
      analysis: {
        templates: (step.analysis.templates ?? [])
          .map(t => t.templateName)
          .filter((n): n is string => Boolean(n)),
        ...(run
          ? {
              run: {
                name: run.name,
                status: run.status,
                ...(run.message ? { message: run.message } : {}),
              },
            }
          : {}),
      },
      state,
    };
  }
  return { index, kind: 'other', label: Object.keys(step)[0] ?? 'step', state };
}

/**
 * What the page shows of a Rollout: its steps with the current one, the weights, the blue/green
 * Services, and whether promote and abort would do anything (the 409s of the action routes).
 */
export function rolloutView(
  environment: string,
  ro: ArgoRollout,
): EnvironmentRollout {
  const status = ro.status ?? {};
  const canary = ro.spec.strategy.canary;
  const blueGreen = ro.spec.strategy.blueGreen;
  const name = `rollout ${ro.metadata.name} in ${ro.metadata.namespace}`;
  const inProgress =
    Boolean(status.currentPodHash) && status.currentPodHash !== status.stableRS;
  const aborted = Boolean(status.abort);
  const paused =
    Boolean(ro.spec.paused) || Boolean(status.pauseConditions?.length);
  const steps = canary?.steps ?? [];
  const current = Math.min(status.currentStepIndex ?? 0, steps.length);
  const view: EnvironmentRollout = {
    environment,
    strategy: blueGreen ? 'blueGreen' : 'canary',
    rollout: {
      namespace: ro.metadata.namespace ?? '',
      name: ro.metadata.name,
    },
    phase: status.phase,
    message: status.message,
    paused,
    aborted,
    inProgress,
    stableRevision: status.stableRS,
    currentRevision: status.currentPodHash,
    steps: [],
    promote: { possible: true },
    abort: { possible: true },
  };
  if (canary) {
    view.currentStepIndex = current;
    view.steps = steps.map((s, i) =>
      stepOf(s, i, inProgress && !aborted ? current : steps.length, ro),
    );
    const weights = status.canary?.weights;
    // Without traffic routing Argo Rollouts writes no weights: the step's weight is in force.
    let canaryWeight = aborted || !inProgress ? 0 : setWeightAt(steps, current);
    if (weights) canaryWeight = weights.canary.weight;
    view.weights = { canary: canaryWeight, stable: 100 - canaryWeight };
  }
  if (blueGreen) {
    view.blueGreen = {
      activeService: blueGreen.activeService,
      ...(blueGreen.previewService
        ? { previewService: blueGreen.previewService }
        : {}),
      activeRevision: status.blueGreen?.activeSelector,
      previewRevision: status.blueGreen?.previewSelector,
      autoPromotionEnabled: blueGreen.autoPromotionEnabled !== false,
    };
  }
  if (aborted) {
    view.promote = {
      possible: false,
      reason: `${name} was aborted and serves the stable version: release again to roll out a new one`,
    };
    view.abort = { possible: false, reason: `${name} is already aborted` };
  } else if (!inProgress && !paused) {
    const reason = `${name} is fully promoted${
      status.stableRS ? ` (revision ${status.stableRS})` : ''
    }: nothing to promote or abort until a release starts a new one`;
    view.promote = { possible: false, reason };
    view.abort = { possible: false, reason };
  } else if (!inProgress) {
    view.abort = {
      possible: false,
      reason: `${name} runs its stable revision: nothing to abort`,
    };
  }
  return view;
}

/** An environment without Argo Rollouts: a rolling update of its Deployment. */
export function rollingView(environment: string): EnvironmentRollout {
  const reason = `the environment ${environment} deploys with a rolling update (its chart renders no Argo Rollouts Rollout): there are no steps to promote or abort`;
  return {
    environment,
    strategy: 'rolling',
    paused: false,
    aborted: false,
    inProgress: false,
    steps: [],
    promote: { possible: false, reason },
    abort: { possible: false, reason },
  };
}
