import { Release } from './release';

/*
 * The release API's request and answer shapes, shared by the backend, the pages and the CLI.
 * Paths are relative to the backend plugin's base URL (`/api/autonomous`):
 *
 *   POST /projects/:kind/:namespace/:name/releases                       CreateReleaseRequest -> 201 Release
 *   POST /releases/:id/cancel                                            CancelReleaseRequest -> 200 Release
 *   POST /releases/:id/redeploy                                          RedeployRequest      -> 201 Release
 *   POST /releases/:id/rollback                                          RollbackRequest      -> 201 Release
 *   GET  /projects/:kind/:namespace/:name/status                                              -> ProjectStatus
 *   POST /projects/:kind/:namespace/:name/environments/:env/sync                              -> 202 ActionAccepted
 *   POST /projects/:kind/:namespace/:name/environments/:env/refresh                           -> 202 ActionAccepted
 *   PUT  /projects/:kind/:namespace/:name/environments/:env/automated-sync AutomatedSyncRequest -> 200 ActionAccepted
 *   GET  /releases/:id/build-log?start=N                                                      -> BuildLogChunk
 *   GET  /releases/:id/build-log/stream      text/plain, chunked, until the build ends
 *   GET  /releases/:id/build-log/download    text/plain attachment, the whole log
 *   GET  /projects/:kind/:namespace/:name/environments/:env/pods                              -> PodSummary[]
 *   GET  /projects/:kind/:namespace/:name/environments/:env/pods/:pod/logs
 *        ?container=&previous=true&follow=true&tailLines=N&download=true    text/plain (streamed with follow)
 *
 * A 409 on create, redeploy or rollback names the release already in flight for the
 * environment; send `onConflict: 'queue'` to run after it or `'supersede'` to cancel it.
 */

/** What to do when the environment already has a release in flight. @public */
export const RELEASE_CONFLICT_POLICIES = [
  'reject',
  'queue',
  'supersede',
] as const;
/** @public */
export type ReleaseConflictPolicy = (typeof RELEASE_CONFLICT_POLICIES)[number];

/** Triggers a caller may name when it creates a release through the API. @public */
export const API_RELEASE_TRIGGERS = ['manual', 'api', 'cli'] as const;
/** @public */
export type ApiReleaseTrigger = (typeof API_RELEASE_TRIGGERS)[number];

/** Build and deploy a git ref or commit to one environment. @public */
export interface CreateReleaseRequest {
  environment: string;
  /** Branch or tag; defaults to the environment's branch when neither ref nor commitSha is given. */
  ref?: string;
  /** Full or short commit SHA (7 to 40 hex characters). */
  commitSha?: string;
  reason?: string;
  /** Default `reject`: answer 409 when a release is in flight for the environment. */
  onConflict?: ReleaseConflictPolicy;
  /** Default `api`; the pages send `manual`, the CLI `cli`. */
  trigger?: ApiReleaseTrigger;
}

/** Deploy an earlier release's image again, without a rebuild. @public */
export interface RedeployRequest {
  /** Default: the earlier release's environment. Another one promotes the same image there. */
  environment?: string;
  reason?: string;
  onConflict?: ReleaseConflictPolicy;
}

/** Go back to an earlier healthy release's image in its environment. @public */
export interface RollbackRequest {
  reason?: string;
  /** Default `supersede`: a rollback cancels whatever is in flight for the environment. */
  onConflict?: ReleaseConflictPolicy;
}

/** @public */
export interface CancelReleaseRequest {
  reason?: string;
}

/** Suspend (false) or resume (true) ArgoCD's automated sync for one environment. @public */
export interface AutomatedSyncRequest {
  enabled: boolean;
}

/** The answer to sync, refresh and automated-sync actions. @public */
export interface ActionAccepted {
  message: string;
}

/** What is actually running in an environment, read from the cluster. @public */
export interface RunningStatus {
  /** Images of the workload's containers as the cluster reports them. */
  images: string[];
  /** The `sha256:…` digest of the main container, when it runs by digest. */
  digest?: string;
  desiredReplicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  /** The rollout finished: every replica updated and available. */
  rolloutComplete: boolean;
}

/** An environment's deployment status (what the last release did) and running status. @public */
export interface EnvironmentStatus {
  environment: string;
  namespace: string;
  argocdApplication?: string;
  /** The newest release of this environment, whatever its outcome. */
  lastRelease?: Release;
  /** The release whose image is running now, when one matches the live digest. */
  runningRelease?: Release;
  running?: RunningStatus;
  sync?: {
    status: string;
    automated: boolean;
    operationPhase?: string;
    operationMessage?: string;
  };
  health?: { status: string; message?: string };
  /**
   * One sentence for people: e.g. "Release v12 failed; v11 is still serving (2/2 ready)".
   */
  summary: string;
  /** Why part of the status could not be read (an upstream down); the rest is still shown. */
  errors?: string[];
  /** Present when the application drifted from Git while no release was in flight. */
  drift?: EnvironmentDrift;
}

/** One field whose live value differs from the one rendered from Git. @public */
export interface DriftChange {
  /** Where in the object, e.g. `spec.replicas` or `spec.template.spec.containers[0].image`. */
  path: string;
  /** The live value as JSON text; absent when the field exists only in Git. */
  live?: string;
  /** The value from Git as JSON text; absent when the field exists only in the cluster. */
  desired?: string;
}

/** A resource that differs from Git, with the fields that differ. @public */
export interface DriftedResource {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  changes: DriftChange[];
  /** How many more changes there are than `changes` lists. */
  moreChanges?: number;
}

/**
 * An environment whose ArgoCD application is OutOfSync while no release is in flight: someone
 * or something changed the cluster (or Git) outside a release. @public
 */
export interface EnvironmentDrift {
  environment: string;
  argocdApplication?: string;
  drifted: boolean;
  /** When this drift was first seen; it stays the same until the application is in sync again. */
  since?: string;
  /** Why drift was not checked now, e.g. a release is in flight (then `drifted` is false). */
  notChecked?: string;
  resources: DriftedResource[];
}

/** @public */
export interface ProjectStatus {
  entityRef: string;
  environments: EnvironmentStatus[];
}

/** A piece of a Jenkins build log from byte `start`; ask again from `nextStart` while `more`. @public */
export interface BuildLogChunk {
  text: string;
  nextStart: number;
  more: boolean;
}

/** One pod of an environment's workload. @public */
export interface PodSummary {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  containers: string[];
  images: string[];
  startedAt?: string;
  /** True when a container restarted, so `previous=true` logs exist. */
  hasPreviousLogs: boolean;
}

/**
 * The signals channel of one entity's releases. A message on it says only that something
 * changed, and the backend sends it only to users who read the entity's releases or status
 * through the permission-checked API in the last minutes: a page subscribes after such a
 * read and refetches through the API.
 * @public
 */
export function releaseSignalChannel(entityRef: string): string {
  return `autonomous:releases:${entityRef.toLocaleLowerCase('en-US')}`;
}

/** What a release signal carries: nothing but the fact that it came. @public */
export type ReleaseSignal = Record<string, never>;
