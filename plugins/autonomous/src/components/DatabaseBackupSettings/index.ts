export { DatabaseBackupSettings } from './DatabaseBackupSettings';
export type { DatabaseBackupSettingsProps } from './DatabaseBackupSettings';
export { describeCron } from './cronWords';
