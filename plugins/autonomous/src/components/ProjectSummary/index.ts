export { ProjectSummary } from './ProjectSummary';
