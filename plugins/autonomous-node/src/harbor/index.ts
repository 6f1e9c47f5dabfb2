export { HarborClient, harborRepositoryPath } from './HarborClient';
export type * from './types';
