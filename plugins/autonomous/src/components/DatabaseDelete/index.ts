export { DeleteDatabaseDialog } from './DeleteDatabaseDialog';
export type { DeleteDatabaseDialogProps } from './DeleteDatabaseDialog';
