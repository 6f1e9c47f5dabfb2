import {
  checkReleaseTransition,
  commitSubjectOf,
  isReleaseInFlight,
  isTerminalReleaseStatus,
  Release,
  RELEASE_STATUSES,
  ReleaseEvent,
  ReleaseStatus,
  ReleaseConflictPolicy,
  ReleaseTrigger,
  releaseVersion,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { KeysetOptions, readKeysetPage } from './keyset';
import { orUndefined, toIso, toIsoOrUndefined } from './timestamps';

/**
 * What a caller decides about a new release; the store sets id, number, status and times, and
 * the version when the caller leaves it out (`releaseVersion` of the number and the source).
 */
export type NewRelease = Pick<
  Release,
  | 'entityRef'
  | 'environment'
  | 'ref'
  | 'commitSha'
  | 'commitMessage'
  | 'committedAt'
  | 'trigger'
  | 'requestedBy'
  | 'reason'
  | 'imageRef'
  | 'sourceReleaseId'
  | 'buildJob'
  | 'argocdApplication'
> & {
  /** Lets the caller derive names from the id before the row exists. */
  id?: string;
  version?: string;
};

export interface ReleaseHistoryPage {
  items: Release[];
  /** Sequence of the last row when more rows follow. */
  lastSeq?: number;
}

/** What a transition may change besides the status. */
export interface ReleasePatch {
  imageRef?: string;
}

export interface ReleaseStore {
  createRelease(input: NewRelease): Promise<Release>;
  getRelease(id: string): Promise<Release | undefined>;
  getReleaseWithEvents(id: string): Promise<ReleaseWithEvents | undefined>;
  listReleases(
    entityRef: string,
    options: KeysetOptions,
  ): Promise<ReleaseHistoryPage>;
  findInFlight(entityRef: string, environment: string): Promise<Release[]>;
  transition(
    id: string,
    to: ReleaseStatus,
    message: string,
    patch?: ReleasePatch,
  ): Promise<Release>;
}

export type ReleaseRow = {
  seq: number | string;
  id: string;
  number: number | string | null;
  entity_ref: string;
  environment: string;
  version: string;
  ref: string | null;
  commit_sha: string | null;
  commit_message: string | null;
  committed_at?: unknown;
  trigger: string;
  requested_by: string;
  reason: string | null;
  status: string;
  image_ref: string | null;
  source_release_id: string | null;
  source_release_number?: number | string | null;
  build_job: string | null;
  build_number: number | null;
  argocd_application: string | null;
  created_at: unknown;
  started_at: unknown;
  finished_at: unknown;
  updated_at: unknown;
};

type EventRow = {
  seq: number | string;
  release_id: string;
  at: unknown;
  from_status: string | null;
  to_status: string;
  message: string;
};

const IN_FLIGHT_STATUSES = RELEASE_STATUSES.filter(isReleaseInFlight);

const COLUMNS = [
  'seq',
  'id',
  'number',
  'entity_ref',
  'environment',
  'version',
  'ref',
  'commit_sha',
  'commit_message',
  'committed_at',
  'trigger',
  'requested_by',
  'reason',
  'status',
  'image_ref',
  'source_release_id',
  'build_job',
  'build_number',
  'argocd_application',
  'created_at',
  'started_at',
  'finished_at',
  'updated_at',
];

/**
 * The columns a Release is read from, with the number of the release a redeploy or rollback
 * came from, read in the same query: the history says "rollback to #12" without a query per row.
 */
export function releaseColumns(db: Knex): Array<string | Knex.Raw> {
  return [
    ...COLUMNS,
    db.raw(
      '(SELECT source.number FROM releases AS source WHERE source.id = releases.source_release_id) AS source_release_number',
    ),
  ];
}

export function toRelease(row: ReleaseRow): Release {
  const startedAt = toIsoOrUndefined(row.started_at);
  const finishedAt = toIsoOrUndefined(row.finished_at);
  return {
    id: row.id,
    number: Number(row.number ?? 0),
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    ref: orUndefined(row.ref),
    commitSha: orUndefined(row.commit_sha),
    commitMessage: orUndefined(row.commit_message),
    commitSubject: commitSubjectOf(row.commit_message),
    committedAt: toIsoOrUndefined(row.committed_at),
    trigger: row.trigger as ReleaseTrigger,
    requestedBy: row.requested_by,
    reason: orUndefined(row.reason),
    status: row.status as ReleaseStatus,
    imageRef: orUndefined(row.image_ref),
    sourceReleaseId: orUndefined(row.source_release_id),
    sourceReleaseNumber:
      row.source_release_number === null ||
      row.source_release_number === undefined
        ? undefined
        : Number(row.source_release_number),
    buildJob: orUndefined(row.build_job),
    buildNumber: orUndefined(row.build_number),
    argocdApplication: orUndefined(row.argocd_application),
    createdAt: toIso(row.created_at),
    startedAt,
    finishedAt,
    durationMs:
      startedAt && finishedAt
        ? Date.parse(finishedAt) - Date.parse(startedAt)
        : undefined,
  };
}

function toEvent(row: EventRow): ReleaseEvent {
  return {
    id: String(row.seq),
    releaseId: row.release_id,
    at: toIso(row.at),
    from: orUndefined(row.from_status) as ReleaseStatus | undefined,
    to: row.to_status as ReleaseStatus,
    message: row.message,
  };
}

/** Releases and their events in the plugin's database. */
export class DatabaseReleaseStore implements ReleaseStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Inserts a release whatever else is in flight (tests, imports). */
  async createRelease(input: NewRelease): Promise<Release> {
    return (await this.startRelease(input, 'queue')).created;
  }

  /**
   * Creates a release unless `onConflict: reject` and another is in flight in its
   * environment. The check and the insert are one transaction that first writes the
   * environment's lock row: concurrent creates (a double-clicked Deploy, two webhooks) wait
   * for each other, so exactly one of them sees the environment free.
   *
   * @returns the new release and the in-flight ones ahead of it (rollbacks under way excluded)
   */
  async startRelease(
    input: NewRelease,
    onConflict: ReleaseConflictPolicy,
  ): Promise<{ created: Release; ahead: Release[] }> {
    const id = input.id ?? randomUUID();
    const now = this.now();
    const ahead = await this.db.transaction(async tx => {
      await lockEnvironment(tx, input.entityRef, input.environment, now);
      const rows: ReleaseRow[] = await tx('releases')
        .where({ entity_ref: input.entityRef, environment: input.environment })
        .whereIn('status', IN_FLIGHT_STATUSES)
        .whereNot('status', 'rolling-back')
        .orderBy('seq', 'asc')
        .select(releaseColumns(tx));
      const inFlight = rows.map(toRelease);
      if (inFlight.length && onConflict === 'reject') {
        const [first] = inFlight;
        throw new ConflictError(
          `release #${first.number} ${first.version} (${first.id}) is ${first.status} in ${input.environment}; ` +
            `send onConflict "queue" to deploy after it or "supersede" to cancel it`,
        );
      }
      await insertRelease(tx, { ...input, id }, now);
      return inFlight;
    });
    return { created: (await this.getRelease(id))!, ahead };
  }

  async getRelease(id: string): Promise<Release | undefined> {
    const row: ReleaseRow | undefined = await this.db('releases')
      .where({ id })
      .first(releaseColumns(this.db));
    return row ? toRelease(row) : undefined;
  }

  async getReleaseWithEvents(
    id: string,
  ): Promise<ReleaseWithEvents | undefined> {
    const release = await this.getRelease(id);
    if (!release) return undefined;
    const events: EventRow[] = await this.db('release_events')
      .where({ release_id: id })
      .orderBy('seq', 'asc');
    return { ...release, events: events.map(toEvent) };
  }

  async listReleases(
    entityRef: string,
    options: KeysetOptions,
  ): Promise<ReleaseHistoryPage> {
    const { rows, lastSeq } = await readKeysetPage<ReleaseRow>(
      this.db('releases')
        .where('entity_ref', entityRef)
        .select(releaseColumns(this.db)),
      options,
    );
    return { items: rows.map(toRelease), lastSeq };
  }

  async findInFlight(
    entityRef: string,
    environment: string,
  ): Promise<Release[]> {
    const rows: ReleaseRow[] = await this.db('releases')
      .where({ entity_ref: entityRef, environment })
      .whereIn('status', IN_FLIGHT_STATUSES)
      .orderBy('seq', 'asc')
      .select(releaseColumns(this.db));
    return rows.map(toRelease);
  }

  /**
   * An event on the release's timeline that leaves its status as it is, for something done to
   * it from outside the orchestrator (a person promoting its rollout). Returns the release, or
   * undefined when it no longer exists.
   */
  async recordNote(id: string, message: string): Promise<Release | undefined> {
    const written = await this.db.transaction(tx =>
      insertNote(tx, id, message, this.now()),
    );
    return written ? this.getRelease(id) : undefined;
  }

  async transition(
    id: string,
    to: ReleaseStatus,
    message: string,
    patch: ReleasePatch = {},
  ): Promise<Release> {
    await this.db.transaction(async tx => {
      const row: ReleaseRow | undefined = await tx('releases')
        .where({ id })
        .first(['status', 'started_at']);
      if (!row) throw new NotFoundError(`no release with id ${id}`);
      const from = row.status as ReleaseStatus;
      const check = checkReleaseTransition(from, to);
      if (!check.ok) throw new ConflictError(`release ${id}: ${check.reason}`);

      const now = this.now();
      const update: Record<string, unknown> = {
        status: to,
        updated_at: now,
        stage_started_at: now,
        next_check_at: isReleaseInFlight(to) ? now : null,
      };
      if (from === 'queued' && !row.started_at) update.started_at = now;
      if (isTerminalReleaseStatus(to)) update.finished_at = now;
      if (patch.imageRef !== undefined) update.image_ref = patch.imageRef;

      // Guarded on the status we read, so two writers never both move the same release.
      const changed = await tx('releases')
        .where({ id, status: from })
        .update(update);
      if (changed !== 1) {
        throw new ConflictError(
          `release ${id} changed while moving it from ${from} to ${to}; reload it and try again`,
        );
      }
      await tx('release_events').insert({
        release_id: id,
        at: now,
        from_status: from,
        to_status: to,
        message,
      });
    });
    return (await this.getRelease(id))!;
  }
}

/**
 * Takes the environment's lock row for the rest of the transaction: an upsert that PostgreSQL
 * holds as a row lock and SQLite as its write lock, so whoever comes second reads after the
 * first has committed.
 */
export async function lockEnvironment(
  tx: Knex.Transaction,
  entityRef: string,
  environment: string,
  now: Date,
): Promise<void> {
  await tx('release_environment_locks')
    .insert({ entity_ref: entityRef, environment, locked_at: now })
    .onConflict(['entity_ref', 'environment'])
    .merge(['locked_at']);
}

/**
 * Hands out the project's next release number inside the caller's transaction. The upsert
 * holds the project's counter row until commit (a row lock on PostgreSQL, the write lock on
 * SQLite), so creates in two environments of one project, which hold different environment
 * locks, still take turns here and never share a number.
 */
export async function nextReleaseNumber(
  tx: Knex.Transaction,
  entityRef: string,
): Promise<number> {
  await tx('release_numbers')
    .insert({ entity_ref: entityRef, last_number: 1 })
    .onConflict('entity_ref')
    .merge({ last_number: tx.raw('release_numbers.last_number + 1') });
  const row = await tx('release_numbers')
    .where({ entity_ref: entityRef })
    .first('last_number');
  return Number(row.last_number);
}

/** The release row and its first event, inside the caller's transaction. */
/**
 * An event on a release's timeline that keeps its status (a drift, a person's promote);
 * false when the release does not exist.
 */
export async function insertNote(
  tx: Knex.Transaction,
  releaseId: string,
  message: string,
  at: Date,
): Promise<boolean> {
  const row = await tx('releases').where({ id: releaseId }).first('status');
  if (!row) return false;
  await tx('release_events').insert({
    release_id: releaseId,
    at,
    from_status: row.status,
    to_status: row.status,
    message,
  });
  return true;
}

export async function insertRelease(
  tx: Knex.Transaction,
  input: NewRelease & { id: string },
  now: Date,
): Promise<void> {
  const number = await nextReleaseNumber(tx, input.entityRef);
  await tx('releases').insert({
    id: input.id,
    number,
    entity_ref: input.entityRef,
    environment: input.environment,
    version: input.version ?? releaseVersion(number, input),
    ref: input.ref ?? null,
    commit_sha: input.commitSha ?? null,
    commit_message: input.commitMessage ?? null,
    committed_at: input.committedAt ? new Date(input.committedAt) : null,
    trigger: input.trigger,
    requested_by: input.requestedBy,
    reason: input.reason ?? null,
    status: 'queued',
    image_ref: input.imageRef ?? null,
    source_release_id: input.sourceReleaseId ?? null,
    build_job: input.buildJob ?? null,
    argocd_application: input.argocdApplication ?? null,
    created_at: now,
    updated_at: now,
    stage_started_at: now,
    next_check_at: now,
  });
  await tx('release_events').insert({
    release_id: input.id,
    at: now,
    from_status: null,
    to_status: 'queued',
    message: input.reason
      ? `Queued by ${input.requestedBy}: ${input.reason}`
      : `Queued by ${input.requestedBy} (${input.trigger})`,
  });
}
