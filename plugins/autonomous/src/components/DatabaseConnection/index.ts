export { DatabaseConnection } from './DatabaseConnection';
export type { DatabaseConnectionProps } from './DatabaseConnection';
export { CredentialsDialog } from './CredentialsDialog';
