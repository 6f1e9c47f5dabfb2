export { ReleaseActions } from './ReleaseActions';
export { releaseActionAvailability } from './releaseActionRules';
export type { ReleaseActionAvailability } from './releaseActionRules';
