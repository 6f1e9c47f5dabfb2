export { autonomousApiRef } from './AutonomousApi';
export type {
  AutonomousApi,
  DownloadedFile,
  EntityRefLike,
  ListReleasesOptions,
  LogStreamOptions,
  PodLogOptions,
} from './AutonomousApi';
export { AutonomousClient } from './AutonomousClient';
export type {
  AutonomousDatabaseApi,
  BackupSchedule,
  DatabaseBackup,
  DatabaseBackupList,
  DatabaseBackupSettings,
  DatabaseConnectionProfile,
  DatabaseCredentials,
  DatabaseEngineList,
  DatabaseEngineOption,
  DatabaseEvent,
  DatabaseInstanceDetails,
  DatabaseModeOption,
  DatabaseUser,
  ProvisionDatabaseRequest,
  RestoreBackupRequest,
  RestoreBackupResult,
} from './databaseTypes';
