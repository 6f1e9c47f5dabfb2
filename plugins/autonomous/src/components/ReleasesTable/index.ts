export { ReleasesTable } from './ReleasesTable';
export type { ReleasesTableProps } from './ReleasesTable';
