/**
 * The Argo CD API server and application controller the sandbox plays: applications rendered from
 * Helm values and applied to the Kubernetes sandbox, sync operations, health and the resource tree.
 */
export { ArgoCdState } from './state.ts';
export { argocdRouter } from './router.ts';
export { DATABASE_ENGINES } from './manifests.ts';
export { helmValues, imageFromValues } from './sources.ts';
export { driftControlRoutes } from './drift.ts';
