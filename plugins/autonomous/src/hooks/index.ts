export { useProject } from './useProject';
export { useReleaseHistory } from './useReleaseHistory';
