export { ReleasesEmptyState } from './ReleasesEmptyState';
