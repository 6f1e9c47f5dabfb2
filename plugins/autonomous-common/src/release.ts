export * from './releaseNames';

/**
 * A release moves through these stages; the allowed moves are data (RELEASE_TRANSITIONS) so
 * the orchestrator, the store and the pages agree on them.
 *
 * queued -> building -> built -> syncing -> progressing -> healthy
 * any in-flight stage -> failed | cancelled; progressing -> degraded -> rolling-back -> rolled-back
 *
 * @public
 */
export const RELEASE_STATUSES = [
  'queued',
  'building',
  'built',
  'syncing',
  'progressing',
  'healthy',
  'degraded',
  'rolling-back',
  'rolled-back',
  'failed',
  'cancelled',
] as const;

/** @public */
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** @public */
export const RELEASE_TRANSITIONS: Readonly<
  Record<ReleaseStatus, readonly ReleaseStatus[]>
> = {
  queued: ['building', 'built', 'failed', 'cancelled'],
  building: ['built', 'failed', 'cancelled'],
  built: ['syncing', 'failed', 'cancelled'],
  syncing: ['progressing', 'failed', 'cancelled'],
  progressing: ['healthy', 'degraded', 'failed', 'cancelled'],
  healthy: [],
  degraded: ['rolling-back', 'healthy', 'failed'],
  'rolling-back': ['rolled-back', 'failed'],
  'rolled-back': [],
  failed: [],
  cancelled: [],
};

/** Statuses after which nothing more happens to a release. @public */
export const TERMINAL_RELEASE_STATUSES: readonly ReleaseStatus[] =
  RELEASE_STATUSES.filter(s => RELEASE_TRANSITIONS[s].length === 0);

/** @public */
export function isReleaseStatus(value: unknown): value is ReleaseStatus {
  return RELEASE_STATUSES.includes(value as ReleaseStatus);
}

/** @public */
export function isTerminalReleaseStatus(status: ReleaseStatus): boolean {
  return RELEASE_TRANSITIONS[status].length === 0;
}

/** A release still on its way: one of these per environment at a time. @public */
export function isReleaseInFlight(status: ReleaseStatus): boolean {
  return !isTerminalReleaseStatus(status) && status !== 'degraded';
}

/** @public */
export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/** Whether a release may move from one status to another, and why not. @public */
export function checkReleaseTransition(
  from: ReleaseStatus,
  to: ReleaseStatus,
): TransitionCheck {
  if (RELEASE_TRANSITIONS[from].includes(to)) {
    return { ok: true };
  }
  const allowed = RELEASE_TRANSITIONS[from];
  return {
    ok: false,
    reason: allowed.length
      ? `a release that is ${from} can only become ${allowed.join(
          ', ',
        )}, not ${to}`
      : `a release that is ${from} is finished and cannot become ${to}`,
  };
}

/** What started a release. @public */
export const RELEASE_TRIGGERS = [
  'manual',
  'api',
  'cli',
  'webhook',
  'scaffolder',
  'redeploy',
  'rollback',
] as const;
/** @public */
export type ReleaseTrigger = (typeof RELEASE_TRIGGERS)[number];

/** @public */
export interface Release {
  id: string;
  /** The release's number in its project (#1, #2, … across all its environments). */
  number: number;
  /** The catalog entity the release belongs to, e.g. `component:default/shop`. */
  entityRef: string;
  environment: string;
  /**
   * The image tag the release deploys: for a build, what was asked for and the release number
   * (`main-12`); a redeploy or rollback keeps its source's.
   */
  version: string;
  /** The git ref asked for (branch or tag), when one was. */
  ref?: string;
  /** The commit asked for, replaced by the full SHA the build checked out once it is known. */
  commitSha?: string;
  commitMessage?: string;
  /** The first line of the commit message, when the build reported it. */
  commitSubject?: string;
  /** When the commit was made, when the Git push or the build reported it (lead time). */
  committedAt?: string;
  trigger: ReleaseTrigger;
  /** User entity ref of who asked for it, or the system that did. */
  requestedBy: string;
  reason?: string;
  status: ReleaseStatus;
  /** `registry/project/repo@sha256:…` once the build is resolved to its digest. */
  imageRef?: string;
  /** The release this one redeploys or rolls back to. */
  sourceReleaseId?: string;
  /** That release's number, for "rollback to #12". */
  sourceReleaseNumber?: number;
  /** The Jenkins job that builds it (full name), fixed when the release is created. */
  buildJob?: string;
  /** The Jenkins build number, once the queued build has started. */
  buildNumber?: number;
  /** The ArgoCD application of the target environment, fixed when the release is created. */
  argocdApplication?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Milliseconds from start to finish; absent while the release is in flight. */
  durationMs?: number;
}

/** One move of a release, with when and why. @public */
export interface ReleaseEvent {
  id: string;
  releaseId: string;
  at: string;
  from?: ReleaseStatus;
  to: ReleaseStatus;
  message: string;
}

/** @public */
export interface ReleaseWithEvents extends Release {
  events: ReleaseEvent[];
}

/** A page of release history, newest first. @public */
export interface ReleasePage {
  items: Release[];
  /** Pass back as `cursor` to get the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/** @public */
export const RELEASE_PAGE_SIZE = { default: 20, max: 100 } as const;
