export { ReleaseStatus, releaseStatusLabel } from './ReleaseStatus';
