export { TypeToDeleteDialog } from './TypeToDeleteDialog';
export type { TypeToDeleteDialogProps } from './TypeToDeleteDialog';
