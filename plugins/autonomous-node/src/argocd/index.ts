export { ArgoCdClient } from './ArgoCdClient';
export type * from './types';
