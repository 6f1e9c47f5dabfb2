export { DeployDialog, sourceOf } from './DeployDialog';
export type { DeployDialogProps } from './DeployDialog';
export { RedeployDialog } from './RedeployDialog';
export type { RedeployDialogProps } from './RedeployDialog';
