import {
  checkReleaseTransition,
  isReleaseInFlight,
  isTerminalReleaseStatus,
  Release,
  RELEASE_STATUSES,
  ReleaseStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import {
  DatabaseReleaseStore,
  insertRelease,
  NewRelease,
  releaseColumns,
  ReleaseRow,
  toRelease,
} from './ReleaseStore';
import { claimLeased, nextLeaseDue } from './leases';
import { orUndefined, toIsoOrUndefined } from './timestamps';

const IN_FLIGHT = RELEASE_STATUSES.filter(isReleaseInFlight);

/** What the orchestrator remembers about a release between steps. */
export interface ReleaseProgress {
  buildFromNumber?: number;
  buildQueueId?: number;
  buildNumber?: number;
  syncRequestedAt?: string;
  stageStartedAt?: string;
  attempts: number;
  failingSince?: string;
  lastError?: string;
}

/** The worker lost a release's lease while working on it: it stops without writing. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/** A release this worker holds the lease of; writes carry the token and fail once it is lost. */
export interface ClaimedRelease {
  release: Release;
  progress: ReleaseProgress;
  token: string;
  /** When the current step began: a wake after this must survive the step's write. */
  since: Date;
}

/** One step's outcome, written at once, guarded by the lease and the status read. */
export interface StepWrite {
  to?: ReleaseStatus;
  message?: string;
  /** An event that is not a move (e.g. "Jenkins build #12 started"), shown on the timeline. */
  note?: string;
  imageRef?: string;
  /** The commit the build checked out, as Jenkins reported it; the subject when it said. */
  commit?: { sha: string; message?: string };
  progress?: Partial<ReleaseProgress>;
  /** When to look at the release again; absent on a terminal status. */
  nextCheckInMs?: number;
  /** Keep the lease (the worker goes on with the release at once). */
  keepLease?: boolean;
  /**
   * A second move written in the same transaction, with the release it starts: a degraded
   * release and its automatic rollback exist together or not at all, whenever a backend dies.
   */
  then?: {
    to: ReleaseStatus;
    message: string;
    create?: NewRelease & { id: string };
  };
}

type ProgressRow = {
  build_from_number: number | null;
  build_queue_id: number | null;
  sync_requested_at: unknown;
  stage_started_at: unknown;
  attempts: number;
  failing_since: unknown;
  last_error: string | null;
};

const PROGRESS_COLUMNS: Record<keyof ReleaseProgress, string> = {
  buildFromNumber: 'build_from_number',
  buildQueueId: 'build_queue_id',
  buildNumber: 'build_number',
  syncRequestedAt: 'sync_requested_at',
  stageStartedAt: 'stage_started_at',
  attempts: 'attempts',
  failingSince: 'failing_since',
  lastError: 'last_error',
};

const TIMESTAMP_FIELDS = new Set<keyof ReleaseProgress>([
  'syncRequestedAt',
  'stageStartedAt',
  'failingSince',
]);

/** A release's columns and the orchestrator's progress columns besides. */
function workColumns(db: Knex) {
  const progress = Object.values(PROGRESS_COLUMNS).filter(
    c => c !== 'build_number',
  );
  return [...releaseColumns(db), ...progress];
}

function toProgress(
  row: ProgressRow & { build_number: number | null },
): ReleaseProgress {
  return {
    buildFromNumber: orUndefined(row.build_from_number),
    buildQueueId: orUndefined(row.build_queue_id),
    buildNumber: orUndefined(row.build_number),
    syncRequestedAt: toIsoOrUndefined(row.sync_requested_at),
    stageStartedAt: toIsoOrUndefined(row.stage_started_at),
    attempts: Number(row.attempts ?? 0),
    failingSince: toIsoOrUndefined(row.failing_since),
    lastError: orUndefined(row.last_error),
  };
}

/**
 * The orchestrator's side of the releases table: claim due releases with a lease, write each
 * step guarded by that lease, and wake releases when an upstream reports news.
 */
export class ReleaseWorkStore {
  private readonly releases: DatabaseReleaseStore;

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.releases = new DatabaseReleaseStore(db, now);
  }

  /**
   * Leases up to `limit` due releases for `leaseMs`. One UPDATE re-checks the lease in its own
   * WHERE clause, so two backends racing for a row never both get it (on PostgreSQL the second
   * waits for the first and then sees the lease taken; SQLite has one writer).
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedRelease[]> {
    const token = await claimLeased(this.db, 'releases', {
      statuses: IN_FLIGHT,
      limit,
      leaseMs,
      now: this.now(),
    });
    return token ? this.loadClaimed(token) : [];
  }

  /** Leases one release now, whether due or not (an API call or a notification woke it). */
  async claim(
    id: string,
    leaseMs: number,
  ): Promise<ClaimedRelease | undefined> {
    const token = await claimLeased(this.db, 'releases', {
      statuses: IN_FLIGHT,
      id,
      dueOnly: false,
      leaseMs,
      now: this.now(),
    });
    return token ? (await this.loadClaimed(token))[0] : undefined;
  }

  private async loadClaimed(token: string): Promise<ClaimedRelease[]> {
    const since = this.now();
    const rows: Array<ProgressRow & ReleaseRow> = await this.db('releases')
      .where({ lease_token: token })
      .orderBy('seq', 'asc')
      .select(workColumns(this.db));
    return rows.map(row => ({
      release: toRelease(row),
      progress: toProgress(row),
      token,
      since,
    }));
  }

  /**
   * Writes a step. Returns the release as written, or undefined when the lease was lost or
   * someone else (a cancel) moved the release first: the caller then drops it.
   */
  async write(
    claimed: ClaimedRelease,
    step: StepWrite,
  ): Promise<ClaimedRelease | undefined> {
    const { release, token } = claimed;
    const now = this.now();
    const from = release.status;
    const to = step.to ?? from;
    if (step.to && step.to !== from) {
      const check = checkReleaseTransition(from, step.to);
      if (!check.ok) throw new Error(`release ${release.id}: ${check.reason}`);
    }
    if (step.then) {
      const check = checkReleaseTransition(to, step.then.to);
      if (!check.ok) throw new Error(`release ${release.id}: ${check.reason}`);
    }
    const last = step.then?.to ?? to;
    const update: Record<string, unknown> = { updated_at: now };
    for (const [key, value] of Object.entries(step.progress ?? {})) {
      const field = key as keyof ReleaseProgress;
      let stored: unknown = value ?? null;
      if (value !== undefined && TIMESTAMP_FIELDS.has(field)) {
        stored = new Date(value as string);
      }
      update[PROGRESS_COLUMNS[field]] = stored;
    }
    if (step.imageRef !== undefined) update.image_ref = step.imageRef;
    if (step.commit) {
      update.commit_sha = step.commit.sha;
      if (step.commit.message !== undefined) {
        update.commit_message = step.commit.message;
      }
    }
    if (last !== from) {
      update.status = last;
      update.stage_started_at = now;
      if (from === 'queued' && !release.startedAt) update.started_at = now;
      if (isTerminalReleaseStatus(last)) update.finished_at = now;
    }
    // A wake (notification, API) that came while this step ran moved next_check_at past the
    // step's start: keep the release due now instead of overwriting it with a later check.
    update.next_check_at = isReleaseInFlight(last)
      ? this.db.raw(
          this.db.client.config.client === 'pg'
            ? 'CASE WHEN next_check_at > ? THEN ?::timestamptz ELSE ?::timestamptz END'
            : 'CASE WHEN next_check_at > ? THEN ? ELSE ? END',
          [
            claimed.since,
            now,
            new Date(now.getTime() + (step.nextCheckInMs ?? 0)),
          ],
        )
      : null;
    if (!step.keepLease) {
      update.lease_token = null;
      update.lease_expires_at = null;
    }
    const written = await this.db.transaction(async tx => {
      const changed = await tx('releases')
        .where({ id: release.id, status: from, lease_token: token })
        .update(update);
      if (changed !== 1) return false;
      if (to !== from) {
        await tx('release_events').insert({
          release_id: release.id,
          at: now,
          from_status: from,
          to_status: to,
          message: step.message ?? `${from} → ${to}`,
        });
      } else if (step.note) {
        await tx('release_events').insert({
          release_id: release.id,
          at: now,
          from_status: from,
          to_status: from,
          message: step.note,
        });
      }
      if (step.then) {
        await tx('release_events').insert({
          release_id: release.id,
          at: now,
          from_status: to,
          to_status: step.then.to,
          message: step.then.message,
        });
        if (step.then.create) await insertRelease(tx, step.then.create, now);
      }
      return true;
    });
    if (!written) return undefined;
    const row: (ProgressRow & ReleaseRow) | undefined = await this.db(
      'releases',
    )
      .where({ id: release.id })
      .first(workColumns(this.db));
    return row
      ? {
          release: toRelease(row),
          progress: toProgress(row),
          token,
          since: this.now(),
        }
      : undefined;
  }

  /**
   * When the next in-flight release falls due, if any is waiting: its check time, or for one
   * another backend holds, when that lease runs out.
   */
  async nextDue(): Promise<Date | undefined> {
    return nextLeaseDue(this.db, 'releases', IN_FLIGHT, this.now());
  }

  /** Makes matching in-flight releases due now; returns how many. */
  async wake(filter: {
    id?: string;
    buildJob?: string;
    argocdApplication?: string;
    entityRef?: string;
    environment?: string;
  }): Promise<number> {
    const where: Record<string, string> = {};
    if (filter.id) where.id = filter.id;
    if (filter.buildJob) where.build_job = filter.buildJob;
    if (filter.argocdApplication) {
      where.argocd_application = filter.argocdApplication;
    }
    if (filter.entityRef) where.entity_ref = filter.entityRef;
    if (filter.environment) where.environment = filter.environment;
    if (!Object.keys(where).length) return 0;
    return this.db('releases')
      .where(where)
      .whereIn('status', IN_FLIGHT)
      .update({ next_check_at: this.now() });
  }

  /**
   * Throws unless this worker still holds the release's lease: for writes a stage makes before
   * its step is written (a gate's sample or verdict), which the step's own guard comes too late
   * to stop.
   */
  async assertLease(claimed: ClaimedRelease): Promise<void> {
    const row = await this.db('releases')
      .where({ id: claimed.release.id, lease_token: claimed.token })
      .first('id');
    if (!row) {
      throw new LeaseLostError(
        `release ${claimed.release.id}: another worker holds its lease now; this one stops`,
      );
    }
  }

  /** Releases ahead of this one in its environment that must finish first. */
  async blockersOf(release: Release): Promise<Release[]> {
    const inFlight = await this.releases.findInFlight(
      release.entityRef,
      release.environment,
    );
    const ownSeq = await this.seqOf(release.id);
    const seqs = await this.db('releases')
      .whereIn(
        'id',
        inFlight.map(r => r.id),
      )
      .select(['id', 'seq']);
    const seqById = new Map(seqs.map(r => [r.id, Number(r.seq)]));
    return inFlight.filter(
      r =>
        r.id !== release.id &&
        r.status !== 'rolling-back' &&
        (seqById.get(r.id) ?? Infinity) < ownSeq,
    );
  }

  /** An environment's releases, newest first; with `afterId` only the ones created after it. */
  async environmentHistory(
    entityRef: string,
    environment: string,
    options: { afterId?: string; limit?: number } = {},
  ): Promise<Release[]> {
    const query = this.db('releases')
      .where({ entity_ref: entityRef, environment })
      .orderBy('seq', 'desc')
      .limit(options.limit ?? 50)
      .select(releaseColumns(this.db));
    if (options.afterId) {
      query.where('seq', '>', await this.seqOf(options.afterId));
    }
    const rows: ReleaseRow[] = await query;
    return rows.map(toRelease);
  }

  private async seqOf(id: string): Promise<number> {
    const row = await this.db('releases').where({ id }).first('seq');
    return Number(row?.seq);
  }
}
