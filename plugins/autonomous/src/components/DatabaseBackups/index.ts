export { DatabaseBackups, failedScheduledBackup } from './DatabaseBackups';
export type { DatabaseBackupsProps } from './DatabaseBackups';
export { backupLabel, BackupsTable } from './BackupsTable';
export { RestoreDialog, restoredName } from './RestoreDialog';
