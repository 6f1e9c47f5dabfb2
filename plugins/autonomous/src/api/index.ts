export { autonomousApiRef } from './AutonomousApi';
export type {
  AutonomousApi,
  DownloadedFile,
  EntityRefLike,
  ListReleasesOptions,
  LogStreamOptions,
  PodLogOptions,
  UpstreamInstanceName,
} from './AutonomousApi';
export { AutonomousClient } from './AutonomousClient';
export type {
  AutonomousDatabaseApi,
  DatabaseCredentials,
  DatabaseEngineList,
  ProvisionDatabaseRequest,
  RestoreBackupRequest,
  RestoreBackupResult,
} from './databaseTypes';
export type {
  AutonomousConsoleApi,
  ConsoleColumn,
  ConsoleExportFormat,
  ConsoleHistoryItem,
  ConsoleHistoryOptions,
  ConsoleHistoryPage,
  ConsoleMode,
  ConsoleOutcome,
  ConsoleStatementRequest,
  ConsoleStreamEvent,
  SavedQuery,
  SavedQueryRequest,
} from './consoleTypes';
export type {
  AutonomousDashboardApi,
  DatabaseListing,
  ListingOptions,
  ListingPage,
  MetricsQuery,
  MetricsReleasesQuery,
  ProjectListing,
  ProjectListingRelease,
} from './dashboardTypes';
