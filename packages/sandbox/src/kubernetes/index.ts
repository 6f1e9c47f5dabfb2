/**
 * The Kubernetes API server and cluster the sandbox plays: resource types, the object store,
 * the controllers, the pods it "runs" and their logs, and the HTTP router.
 */
export { RESOURCE_TYPES, apiVersionOf } from './types.ts';
export type { ResourceType } from './types.ts';
export { KubeError } from './errors.ts';
export { parseLabelSelector, matchesLabels } from './selectors.ts';
export type { LabelRequirement } from './selectors.ts';
export { digestOf } from './pods.ts';
export { KubernetesState } from './state.ts';
export { kubernetesRouter } from './router.ts';
export { POD_METRICS_PATH, podMetricsRoutes } from './podMetrics.ts';
