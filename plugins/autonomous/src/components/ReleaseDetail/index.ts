export { ReleaseDetailDrawer } from './ReleaseDetailDrawer';
export type { ReleaseDetailDrawerProps } from './ReleaseDetailDrawer';
export { ReleaseFacts } from './ReleaseFacts';
