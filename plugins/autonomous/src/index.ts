/**
 * Release history and project status for Autonomous projects on the entity page.
 *
 * The legacy frontend system's plugin lives here; apps on the new frontend system import the
 * default export of `@autonomous-dev/backstage-plugin-autonomous/alpha`.
 *
 * @packageDocumentation
 */

export {
  autonomousPlugin,
  EntityAutonomousOverviewContent,
  EntityAutonomousReleasesContent,
  EntityAutonomousSystemServicesContent,
} from './plugin';
export {
  AutonomousPage,
  EntityAutonomousDatabaseConsoleContent,
  EntityAutonomousDatabaseContent,
  EntityAutonomousMetricsCard,
} from './plugin';
export { isDatabaseResource } from './components/DatabaseTab/isDatabaseResource';
export { isAutonomousAvailable } from './isAutonomousAvailable';
export {
  AutonomousEnvironmentPickerFieldExtension,
  AutonomousDatabaseEnginePickerFieldExtension,
  AutonomousUpstreamInstancePickerFieldExtension,
} from './components/ScaffolderFields/extensions';
export * from './components/ScaffolderFields';
export { AutonomousSearchResultListItemExtension } from './components/SearchResultItem/extensions';
export {
  AutonomousSearchResultListItem,
  AUTONOMOUS_SEARCH_TYPES,
  isAutonomousSearchResult,
} from './components/SearchResultItem';
export type { AutonomousSearchResultListItemProps } from './components/SearchResultItem';
export { autonomousApiRef, AutonomousClient } from './api';
export type {
  AutonomousApi,
  AutonomousConsoleApi,
  AutonomousDashboardApi,
  AutonomousDatabaseApi,
  DatabaseListing,
  ListingOptions,
  ListingPage,
  MetricsQuery,
  MetricsReleasesQuery,
  ProjectListing,
  ProjectListingRelease,
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
  DatabaseCredentials,
  DatabaseEngineList,
  ProvisionDatabaseRequest,
  RestoreBackupRequest,
  RestoreBackupResult,
  DownloadedFile,
  EntityRefLike,
  ListReleasesOptions,
  LogStreamOptions,
  PodLogOptions,
} from './api';
