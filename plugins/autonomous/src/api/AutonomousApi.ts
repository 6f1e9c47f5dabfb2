import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ActionAccepted,
  BuildLogChunk,
  CancelReleaseRequest,
  CreateReleaseRequest,
  EnvironmentDrift,
  EnvironmentHealthGates,
  EnvironmentRollout,
  HealthGate,
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
import type { AutonomousConsoleApi } from './consoleTypes';
import type { AutonomousDatabaseApi } from './databaseTypes';
import type { AutonomousDashboardApi } from './dashboardTypes';

/**
 * Which page of a project's release history to read.
 *
 * @public
 */
export interface ListReleasesOptions {
  /** How many releases per page, 1 to 100; the backend defaults to 20. */
  limit?: number;
  /** The `nextCursor` of the previous page; absent for the newest page. */
  cursor?: string;
}

/**
 * Options of a streamed log: abort the signal to stop reading and close the connection.
 *
 * @public
 */
export interface LogStreamOptions {
  signal?: AbortSignal;
}

/**
 * Which logs of a pod to read.
 *
 * @public
 */
export interface PodLogOptions {
  /** The container; the backend picks the workload's main container when absent. */
  container?: string;
  /** The logs of the container's previous run, after it restarted. */
  previous?: boolean;
  /** Only the last N lines. */
  tailLines?: number;
}

/**
 * A file the backend sent as an attachment, read with the user's credentials.
 *
 * @public
 */
export interface DownloadedFile {
  blob: Blob;
  /** The name the backend suggested, or a sensible one when it suggested none. */
  filename: string;
}

/**
 * One configured instance of an upstream system, by name: its URL and credentials stay in
 * the backend's config.
 *
 * @public
 */
export interface UpstreamInstanceName {
  /** jenkins, harbor, argocd, vault, kubernetes, prometheus or loki */
  system: string;
  name: string;
  /** The first instance of its system, used when an entity names none. */
  default: boolean;
}

/** An entity, as a ref string or its parts. @public */
export type EntityRefLike = string | CompoundEntityRef;

/**
 * Reads and drives Autonomous projects, their releases and their databases through the
 * autonomous backend. Failed calls throw a `ResponseError` whose `cause.message` is the
 * backend's explanation.
 *
 * @public
 */
export interface AutonomousApi
  extends AutonomousDatabaseApi,
    AutonomousConsoleApi,
    AutonomousDashboardApi {
  /** The project behind a catalog entity; fails with a 404 when the entity is not one. */
  getProject(entityRef: EntityRefLike): Promise<Project>;

  /** One page of the entity's releases, newest first. */
  listReleases(
    entityRef: EntityRefLike,
    options?: ListReleasesOptions,
  ): Promise<ReleasePage>;

  /** One release with every stage it went through. */
  getRelease(id: string): Promise<ReleaseWithEvents>;
  /** The health gates the release is evaluated against, with every value observed. */
  getReleaseHealthGates(id: string): Promise<ReleaseHealthGates>;

  /** Build and deploy a ref or commit; a 409 names the release already in flight. */
  createRelease(
    entityRef: EntityRefLike,
    request: CreateReleaseRequest,
  ): Promise<Release>;

  /** Stop a release that is still in flight. */
  cancelRelease(id: string, request?: CancelReleaseRequest): Promise<Release>;

  /** Deploy a release's image again, to its environment or another one. */
  redeployRelease(id: string, request?: RedeployRequest): Promise<Release>;

  /** Go back to a healthy release's image in its environment. */
  rollbackRelease(id: string, request?: RollbackRequest): Promise<Release>;

  /** Per environment: what the last release did and what is running now. */
  getProjectStatus(entityRef: EntityRefLike): Promise<ProjectStatus>;

  /** Ask ArgoCD to sync the environment's application now. */
  syncEnvironment(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<ActionAccepted>;

  /** Ask ArgoCD for a hard refresh: re-read the manifests, ignoring its cache. */
  refreshEnvironment(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<ActionAccepted>;

  /** Whether the environment drifted from Git with no release in flight, and what differs. */
  getEnvironmentDrift(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<EnvironmentDrift>;

  /** A forced reconcile: a hard refresh of the environment's application, then a sync. */
  reconcileEnvironment(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<ActionAccepted>;

  /** The environment's Argo Rollouts rollout as live steps, or `rolling`. */
  getEnvironmentRollout(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<EnvironmentRollout>;

  /** Promote the rollout past its current pause or step (`full`: past every step). */
  promoteEnvironmentRollout(
    entityRef: EntityRefLike,
    environment: string,
    options?: { full?: boolean },
  ): Promise<{ message: string; rollout: EnvironmentRollout }>;

  /** Abort the rollout: traffic back to the stable revision. */
  abortEnvironmentRollout(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<{ message: string; rollout: EnvironmentRollout }>;

  /** The environment's health gates and its auto-rollback switch. */
  getHealthGates(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<EnvironmentHealthGates>;

  /** Replaces them; each query is run on Prometheus before the backend saves it. */
  setHealthGates(
    entityRef: EntityRefLike,
    environment: string,
    value: { autoRollback: boolean; gates: HealthGate[] },
  ): Promise<EnvironmentHealthGates>;

  /** Suspend (false) or resume (true) ArgoCD's automated sync of the environment. */
  setAutomatedSync(
    entityRef: EntityRefLike,
    environment: string,
    enabled: boolean,
  ): Promise<ActionAccepted>;

  /** A piece of the release's build log from byte `start` (default 0). */
  getBuildLog(id: string, start?: number): Promise<BuildLogChunk>;

  /** The build log as it is written, chunk by chunk, until the build ends. */
  streamBuildLog(id: string, options?: LogStreamOptions): AsyncIterable<string>;

  /** The whole build log as a file. */
  downloadBuildLog(id: string): Promise<DownloadedFile>;

  /** The pods of the environment's workload. */
  listPods(
    entityRef: EntityRefLike,
    environment: string,
  ): Promise<PodSummary[]>;

  /** A pod's logs so far. */
  podLogs(
    entityRef: EntityRefLike,
    environment: string,
    pod: string,
    options?: PodLogOptions,
  ): Promise<string>;

  /** A pod's logs, then every new line as it is written, until aborted. */
  streamPodLogs(
    entityRef: EntityRefLike,
    environment: string,
    pod: string,
    options?: PodLogOptions & LogStreamOptions,
  ): AsyncIterable<string>;

  /** A pod's logs as a file. */
  downloadPodLogs(
    entityRef: EntityRefLike,
    environment: string,
    pod: string,
    options?: PodLogOptions,
  ): Promise<DownloadedFile>;

  /**
   * The upstream instances the entity may name in its `autonomous.dev/<system>-instance`
   * annotations (for the wizard: the entity it is about to create), of one system or all.
   */
  listUpstreamInstances(
    entityRef: EntityRefLike,
    system?: string,
  ): Promise<UpstreamInstanceName[]>;

  /** What to paste into the repository's webhook settings; never the secret. */
  getProjectWebhook(entityRef: EntityRefLike): Promise<ProjectWebhook>;

  /** A new webhook secret, shown in this answer only; the old one stops working at once. */
  rotateWebhookSecret(entityRef: EntityRefLike): Promise<RotatedWebhookSecret>;

  /** One page of the project's webhook deliveries with how each ended, newest first. */
  listWebhookDeliveries(
    entityRef: EntityRefLike,
    options?: ListReleasesOptions,
  ): Promise<WebhookDeliveryPage>;

  /** Per environment: auto-deploy, domains with TLS and DNS state, variables, scaling. */
  getProjectSettings(entityRef: EntityRefLike): Promise<ProjectSettingsView>;

  /** Turns auto-deploy of an environment on or off, optionally on another branch. */
  setAutoDeploy(
    entityRef: EntityRefLike,
    environment: string,
    request: AutoDeployRequest,
  ): Promise<ProjectSettingsChange>;

  /** Sets an environment's custom domains; ArgoCD syncs them, cert-manager issues TLS. */
  setDomains(
    entityRef: EntityRefLike,
    environment: string,
    request: DomainsRequest,
  ): Promise<ProjectSettingsChange>;

  /** Replaces an environment's variables; a secret without a value keeps Vault's. */
  setVariables(
    entityRef: EntityRefLike,
    environment: string,
    request: VariablesRequest,
  ): Promise<ProjectSettingsChange>;

  /** Sets an environment's replicas and autoscaling bounds. */
  setScaling(
    entityRef: EntityRefLike,
    environment: string,
    request: ScalingRequest,
  ): Promise<ProjectSettingsChange>;

  /** The project's services with readiness, current release and domains per environment. */
  listProjectServices(entityRef: EntityRefLike): Promise<ProjectServices>;

  /** Deploys one service or several together: one release each, linked as one group. */
  deployServices(
    entityRef: EntityRefLike,
    request: DeployServicesRequest,
  ): Promise<ReleaseGroup>;

  /** Deletes the project (its Argo CD applications; the history stays) after its typed name. */
  deleteProject(
    entityRef: EntityRefLike,
    request: DeleteProjectRequest,
  ): Promise<ProjectDeletion>;
}

/** @public */
export const autonomousApiRef = createApiRef<AutonomousApi>().with({
  id: 'plugin.autonomous.service',
  pluginId: 'autonomous',
});
