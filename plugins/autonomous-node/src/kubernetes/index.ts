export { KubernetesClient } from './KubernetesClient';
export type * from './types';
export { RolloutsClient, promotePatches } from './RolloutsClient';
export type * from './rolloutTypes';
