import { stringifyEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ActionAccepted,
  AutomatedSyncRequest,
  BackupSettings,
  BuildLogChunk,
  CancelReleaseRequest,
  CreateReleaseRequest,
  DatabaseUser,
  EnvironmentDrift,
  EnvironmentRollout,
  EnvironmentHealthGates,
  HealthGate,
  entityRoutePath,
  PodSummary,
  Project,
  ProjectStatus,
  ProjectWebhook,
  RedeployRequest,
  Release,
  ReleaseHealthGates,
  ReleasePage,
  ReleaseWithEvents,
  RollbackRequest,
  RotatedWebhookSecret,
  AutoDeployRequest,
  DomainsRequest,
  ProjectSettingsChange,
  ProjectSettingsView,
  ScalingRequest,
  VariablesRequest,
  WebhookDeliveryPage,
  DeleteProjectRequest,
  DeployServicesRequest,
  ProjectDeletion,
  ProjectServices,
  ReleaseGroup,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  AutonomousApi,
  DownloadedFile,
  EntityRefLike,
  ListReleasesOptions,
  LogStreamOptions,
  PodLogOptions,
  UpstreamInstanceName,
} from './AutonomousApi';
import { ConsoleClient } from './ConsoleClient';
import {
  ConsoleExportFormat,
  ConsoleHistoryOptions,
  ConsoleStatementRequest,
  SavedQueryRequest,
} from './consoleTypes';
import { DatabaseClient } from './DatabaseClient';
import { DashboardClient } from './DashboardClient';
import {
  ListingOptions,
  MetricsQuery,
  MetricsReleasesQuery,
} from './dashboardTypes';
import {
  ProvisionDatabaseRequest,
  RestoreBackupRequest,
} from './databaseTypes';
import { podLogQuery, queryString } from './query';
import { attachmentFilename, readTextChunks } from './textStream';

const enc = encodeURIComponent;

/**
 * Talks to the autonomous backend plugin over HTTP, with the signed-in user's credentials.
 *
 * @public
 */
export class AutonomousClient implements AutonomousApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  private readonly databases: DatabaseClient;
  private readonly console: ConsoleClient;
  private readonly dashboard: DashboardClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.databases = new DatabaseClient({
      json: (method, path, body) => this.json(method, path, body),
      send: (method, path, body) => this.send(method, path, body),
      download: (path, fallbackName) => this.download(path, fallbackName),
    });
    this.dashboard = new DashboardClient({
      json: (method, path) => this.json(method, path),
    });
    this.console = new ConsoleClient({
      json: (method, path, body) => this.json(method, path, body),
      send: (method, path, body, signal) =>
        this.send(method, path, body, signal),
    });
  }

  async getProject(entityRef: EntityRefLike): Promise<Project> {
    return this.json<Project>('GET', this.projectPath(entityRef));
  }

  async listReleases(
    entityRef: EntityRefLike,
    options: ListReleasesOptions = {},
  ): Promise<ReleasePage> {
    const search = queryString({
      limit: options.limit !== undefined ? String(options.limit) : undefined,
      cursor: options.cursor || undefined,
    });
    return this.json<ReleasePage>(
      'GET',
      `${this.projectPath(entityRef)}/releases${search}`,
    );
  }

  async getRelease(id: string): Promise<ReleaseWithEvents> {
    return this.json<ReleaseWithEvents>('GET', `/releases/${enc(id)}`);
  }

  async getReleaseHealthGates(id: string): Promise<ReleaseHealthGates> {
    return this.json<ReleaseHealthGates>(
      'GET',
      `/releases/${enc(id)}/health-gates`,
    );
  }

  async createRelease(
    entityRef: EntityRefLike,
    request: CreateReleaseRequest,
  ): Promise<Release> {
    return this.json<Release>(
      'POST',
      `${this.projectPath(entityRef)}/releases`,
      request,
    );
  }

  async cancelRelease(
    id: string,
    request: CancelReleaseRequest = {},
  ): Promise<Release> {
    return this.json<Release>('POST', `/releases/${enc(id)}/cancel`, request);
  }

  async redeployRelease(
    id: string,
    request: RedeployRequest = {},
  ): Promise<Release> {
    return this.json<Release>('POST', `/releases/${enc(id)}/redeploy`, request);
  }

  async rollbackRelease(
    id: string,
    request: RollbackRequest = {},
  ): Promise<Release> {
    return this.json<Release>('POST', `/releases/${enc(id)}/rollback`, request);
  }

  async getProjectStatus(entityRef: EntityRefLike): Promise<ProjectStatus> {
    return this.json<ProjectStatus>(
      'GET',
      `${this.projectPath(entityRef)}/status`,
    );
  }

  async syncEnvironment(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<ActionAccepted> {
    return this.json<ActionAccepted>(
      'POST',
      `${this.environmentPath(entityRef, environment)}/sync`,
    );
  }

  async refreshEnvironment(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<ActionAccepted> {
    return this.json<ActionAccepted>(
      'POST',
      `${this.environmentPath(entityRef, environment)}/refresh`,
    );
  }

  async getEnvironmentDrift(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<EnvironmentDrift> {
    return this.json<EnvironmentDrift>(
      'GET',
      `${this.environmentPath(entityRef, environment)}/drift`,
    );
  }

  async reconcileEnvironment(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<ActionAccepted> {
    return this.json<ActionAccepted>(
      'POST',
      `${this.environmentPath(entityRef, environment)}/reconcile`,
    );
  }

  async getEnvironmentRollout(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<EnvironmentRollout> {
    return this.json<EnvironmentRollout>(
      'GET',
      `${this.environmentPath(entityRef, environment)}/rollout`,
    );
  }

  async promoteEnvironmentRollout(
    entityRef: EntityRefLike,
    environment: string,
    options: { full?: boolean } = {},
  ): Promise<{ message: string; rollout: EnvironmentRollout }> {
    return this.json<{ message: string; rollout: EnvironmentRollout }>(
      'POST',
      `${this.environmentPath(entityRef, environment)}/rollout/promote`,
      options.full ? { full: true } : {},
    );
  }

  async abortEnvironmentRollout(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<{ message: string; rollout: EnvironmentRollout }> {
    return this.json<{ message: string; rollout: EnvironmentRollout }>(
      'POST',
      `${this.environmentPath(entityRef, environment)}/rollout/abort`,
    );
  }

  async getHealthGates(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<EnvironmentHealthGates> {
    return this.json<EnvironmentHealthGates>(
      'GET',
      `${this.environmentPath(entityRef, environment)}/health-gates`,
    );
  }

  async setHealthGates(
    entityRef: EntityRefLike,
    environment: string,
    value: { autoRollback: boolean; gates: HealthGate[] },
  ): Promise<EnvironmentHealthGates> {
    return this.json<EnvironmentHealthGates>(
      'PUT',
      `${this.environmentPath(entityRef, environment)}/health-gates`,
      value,
    );
  }

  async setAutomatedSync(
    entityRef: EntityRefLike,
    environment: string,
    enabled: boolean,
  ): Promise<ActionAccepted> {
    const body: AutomatedSyncRequest = { enabled };
    return this.json<ActionAccepted>(
      'PUT',
      `${this.environmentPath(entityRef, environment)}/automated-sync`,
      body,
    );
  }

  async getBuildLog(id: string, start: number = 0): Promise<BuildLogChunk> {
    return this.json<BuildLogChunk>(
      'GET',
      `/releases/${enc(id)}/build-log${queryString({ start: String(start) })}`,
    );
  }

  async *streamBuildLog(
    id: string,
    options: LogStreamOptions = {},
  ): AsyncGenerator<string, void, undefined> {
    yield* this.stream(`/releases/${enc(id)}/build-log/stream`, options.signal);
  }

  async downloadBuildLog(id: string): Promise<DownloadedFile> {
    return this.download(
      `/releases/${enc(id)}/build-log/download`,
      `release-${id}-build.log`,
    );
  }

  async listPods(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<PodSummary[]> {
    return this.json<PodSummary[]>(
      'GET',
      `${this.environmentPath(entityRef, environment)}/pods`,
    );
  }

  async podLogs(
    entityRef: EntityRefLike,
    environment: string,
    pod: string,
    options: PodLogOptions = {},
  ): Promise<string> {
    const response = await this.send(
      'GET',
      this.podLogPath(entityRef, environment, pod) + podLogQuery(options),
    );
    return response.text();
  }

  async *streamPodLogs(
    entityRef: EntityRefLike,
    environment: string,
    pod: string,
    options: PodLogOptions & LogStreamOptions = {},
  ): AsyncGenerator<string, void, undefined> {
    const path =
      this.podLogPath(entityRef, environment, pod) +
      podLogQuery(options, { follow: 'true' });
    yield* this.stream(path, options.signal);
  }

  async downloadPodLogs(
    entityRef: EntityRefLike,
    environment: string,
    pod: string,
    options: PodLogOptions = {},
  ): Promise<DownloadedFile> {
    const path =
      this.podLogPath(entityRef, environment, pod) +
      podLogQuery(options, { download: 'true' });
    const suffix = options.previous ? '-previous' : '';
    return this.download(path, `${pod}${suffix}.log`);
  }

  async listUpstreamInstances(
    entityRef: EntityRefLike,
    system?: string,
  ): Promise<UpstreamInstanceName[]> {
    const ref =
      typeof entityRef === 'string' ? entityRef : stringifyEntityRef(entityRef);
    const answer = await this.json<{ items: UpstreamInstanceName[] }>(
      'GET',
      `/upstream-instances${queryString({ entityRef: ref, system })}`,
    );
    return answer.items;
  }

  async getProjectWebhook(entityRef: EntityRefLike): Promise<ProjectWebhook> {
    return this.json<ProjectWebhook>(
      'GET',
      `${this.projectPath(entityRef)}/webhook`,
    );
  }

  async rotateWebhookSecret(
    entityRef: EntityRefLike,
  ): Promise<RotatedWebhookSecret> {
    return this.json<RotatedWebhookSecret>(
      'POST',
      `${this.projectPath(entityRef)}/webhook/rotate`,
      {},
    );
  }

  async getProjectSettings(
    entityRef: EntityRefLike,
  ): Promise<ProjectSettingsView> {
    return this.json<ProjectSettingsView>(
      'GET',
      `${this.projectPath(entityRef)}/settings`,
    );
  }

  async setAutoDeploy(
    entityRef: EntityRefLike,
    environment: string,
    request: AutoDeployRequest,
  ): Promise<ProjectSettingsChange> {
    return this.json<ProjectSettingsChange>(
      'PUT',
      `${this.environmentPath(entityRef, environment)}/auto-deploy`,
      request,
    );
  }

  async setDomains(
    entityRef: EntityRefLike,
    environment: string,
    request: DomainsRequest,
  ): Promise<ProjectSettingsChange> {
    return this.json<ProjectSettingsChange>(
      'PUT',
      `${this.environmentPath(entityRef, environment)}/domains`,
      request,
    );
  }

  async setVariables(
    entityRef: EntityRefLike,
    environment: string,
    request: VariablesRequest,
  ): Promise<ProjectSettingsChange> {
    return this.json<ProjectSettingsChange>(
      'PUT',
      `${this.environmentPath(entityRef, environment)}/variables`,
      request,
    );
  }

  async setScaling(
    entityRef: EntityRefLike,
    environment: string,
    request: ScalingRequest,
  ): Promise<ProjectSettingsChange> {
    return this.json<ProjectSettingsChange>(
      'PUT',
      `${this.environmentPath(entityRef, environment)}/scaling`,
      request,
    );
  }
  async listProjectServices(
    entityRef: EntityRefLike,
  ): Promise<ProjectServices> {
    return this.json<ProjectServices>(
      'GET',
      `${this.projectPath(entityRef)}/services`,
    );
  }

  async deployServices(
    entityRef: EntityRefLike,
    request: DeployServicesRequest,
  ): Promise<ReleaseGroup> {
    return this.json<ReleaseGroup>(
      'POST',
      `${this.projectPath(entityRef)}/services/releases`,
      request,
    );
  }

  async deleteProject(
    entityRef: EntityRefLike,
    request: DeleteProjectRequest,
  ): Promise<ProjectDeletion> {
    return this.json<ProjectDeletion>(
      'DELETE',
      this.projectPath(entityRef),
      request,
    );
  }

  async listWebhookDeliveries(
    entityRef: EntityRefLike,
    options: ListReleasesOptions = {},
  ): Promise<WebhookDeliveryPage> {
    const search = queryString({
      limit: options.limit !== undefined ? String(options.limit) : undefined,
      cursor: options.cursor || undefined,
    });
    return this.json<WebhookDeliveryPage>(
      'GET',
      `${this.projectPath(entityRef)}/webhook/deliveries${search}`,
    );
  }

  listProjectListings(options?: ListingOptions) {
    return this.dashboard.listProjectListings(options);
  }

  listDatabaseListings(options?: ListingOptions) {
    return this.dashboard.listDatabaseListings(options);
  }

  getDeliveryMetrics(query: MetricsQuery) {
    return this.dashboard.getDeliveryMetrics(query);
  }

  listMetricsReleases(query: MetricsReleasesQuery) {
    return this.dashboard.listMetricsReleases(query);
  }

  listDatabaseEngines(entityRef: string) {
    return this.databases.listDatabaseEngines(entityRef);
  }

  listDatabases(entityRef: string) {
    return this.databases.listDatabases(entityRef);
  }

  provisionDatabase(request: ProvisionDatabaseRequest) {
    return this.databases.provisionDatabase(request);
  }

  getDatabase(id: string) {
    return this.databases.getDatabase(id);
  }

  listDatabaseEvents(id: string) {
    return this.databases.listDatabaseEvents(id);
  }

  getDatabaseCredentials(id: string, user: DatabaseUser) {
    return this.databases.getDatabaseCredentials(id, user);
  }

  deleteDatabase(
    id: string,
    request: { confirm: string; finalBackup: boolean },
  ) {
    return this.databases.deleteDatabase(id, request);
  }

  listBackups(id: string) {
    return this.databases.listBackups(id);
  }

  createBackup(id: string) {
    return this.databases.createBackup(id);
  }

  downloadBackup(id: string, backupId: string) {
    return this.databases.downloadBackup(id, backupId);
  }

  deleteBackup(id: string, backupId: string) {
    return this.databases.deleteBackup(id, backupId);
  }

  restoreBackup(id: string, backupId: string, request: RestoreBackupRequest) {
    return this.databases.restoreBackup(id, backupId, request);
  }

  getBackupSettings(id: string) {
    return this.databases.getBackupSettings(id);
  }

  updateBackupSettings(id: string, settings: BackupSettings) {
    return this.databases.updateBackupSettings(id, settings);
  }

  runConsoleStatement(
    databaseId: string,
    request: ConsoleStatementRequest,
    options?: { signal?: AbortSignal },
  ) {
    return this.console.runConsoleStatement(databaseId, request, options);
  }

  cancelConsoleStatement(databaseId: string, runId: string) {
    return this.console.cancelConsoleStatement(databaseId, runId);
  }

  exportConsoleResult(
    databaseId: string,
    request: ConsoleStatementRequest & { format: ConsoleExportFormat },
  ) {
    return this.console.exportConsoleResult(databaseId, request);
  }

  listConsoleHistory(databaseId: string, options?: ConsoleHistoryOptions) {
    return this.console.listConsoleHistory(databaseId, options);
  }

  listSavedQueries(databaseId: string) {
    return this.console.listSavedQueries(databaseId);
  }

  createSavedQuery(databaseId: string, request: SavedQueryRequest) {
    return this.console.createSavedQuery(databaseId, request);
  }

  updateSavedQuery(
    databaseId: string,
    queryId: string,
    request: SavedQueryRequest,
  ) {
    return this.console.updateSavedQuery(databaseId, queryId, request);
  }

  deleteSavedQuery(databaseId: string, queryId: string) {
    return this.console.deleteSavedQuery(databaseId, queryId);
  }

  private projectPath(entityRef: EntityRefLike): string {
    return `/projects/${entityRoutePath(entityRef)}`;
  }

  private environmentPath(entityRef: EntityRefLike, environment: string) {
    return `${this.projectPath(entityRef)}/environments/${enc(environment)}`;
  }

  private podLogPath(
    entityRef: EntityRefLike,
    environment: string,
    pod: string,
  ): string {
    return `${this.environmentPath(entityRef, environment)}/pods/${enc(
      pod,
    )}/logs`;
  }

  private async send(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('autonomous');
    const init: RequestInit = { method, signal };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async json<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.send(method, path, body);
    return (await response.json()) as T;
  }

  private async *stream(
    path: string,
    signal?: AbortSignal,
  ): AsyncGenerator<string, void, undefined> {
    let response: Response;
    try {
      response = await this.send('GET', path, undefined, signal);
    } catch (error) {
      if (signal?.aborted) {
        return;
      }
      throw error;
    }
    yield* readTextChunks(response.body, signal);
  }

  private async download(
    path: string,
    fallbackName: string,
  ): Promise<DownloadedFile> {
    const response = await this.send('GET', path);
    const filename =
      attachmentFilename(response.headers.get('Content-Disposition')) ??
      fallbackName;
    return { blob: await response.blob(), filename };
  }
}
