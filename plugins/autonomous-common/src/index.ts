/**
 * Types, permissions and annotation names shared by the Autonomous frontend and backend.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './project';
export * from './release';
export * from './releaseApi';
export * from './database';
export * from './metrics';
export * from './audit';
export * from './permissions';
export * from './entityRef';
export * from './webhooks';
export * from './microservices';
export * from './projectSettings';
export * from './rollouts';
export * from './healthGates';
