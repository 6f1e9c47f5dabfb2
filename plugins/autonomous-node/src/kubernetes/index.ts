export { KubernetesClient } from './KubernetesClient';
export type * from './types';
