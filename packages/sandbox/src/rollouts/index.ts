/**
 * Argo Rollouts in the sandbox's cluster: the `argoproj.io/v1alpha1` Rollout resource, its
 * controller (canary steps, blue/green), the chart value that renders one, and its health as
 * Argo CD sees it.
 */
export { RolloutController } from './controller.ts';
export { patchRollout } from './subresource.ts';
export { progressiveManifests } from './chart.ts';
export { rolloutHealth } from './health.ts';
export { HASH_LABEL } from './replicaSets.ts';
