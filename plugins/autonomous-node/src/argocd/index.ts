export { ArgoCdClient } from './ArgoCdClient';
export { ArgoCdOperationInProgressError } from './errors';
export type * from './types';
