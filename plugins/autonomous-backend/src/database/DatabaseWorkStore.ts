import {
  canDatabaseTransition,
  ConnectionProfile,
  DatabaseEventStep,
  DatabaseInstance,
  DatabaseStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { DatabaseDatabaseInstanceStore } from './DatabaseInstanceStore';
import { NewDatabaseEvent } from './DatabaseEventStore';
import { claimLeased, nextLeaseDue } from './leases';
import { orUndefined, toIsoOrUndefined } from './timestamps';

/** The steps the worker runs, provisioning then deletion. */
export const WORK_STEPS = [
  'namespace',
  'credentials',
  'secret',
  'application',
  'readiness',
  'users',
  'restore',
  'profile',
  'final-backup',
  'remove',
] as const;
export type WorkStep = (typeof WORK_STEPS)[number];

/** What the worker remembers about an instance between turns. */
export interface DatabaseProgress {
  step?: WorkStep;
  stepStartedAt?: string;
  attempts: number;
  failingSince?: string;
  lastError?: string;
  finalBackup?: boolean;
  finalBackupId?: string;
  restoreId?: string;
  deleteRequestedBy?: string;
}

/** An instance this worker holds the lease of; writes carry the token and fail once it is lost. */
export interface ClaimedDatabase {
  instance: DatabaseInstance;
  progress: DatabaseProgress;
  token: string;
}

/** One step's outcome, written with its events in one transaction, guarded by the lease. */
export interface DatabaseStepWrite {
  to?: DatabaseStatus;
  statusMessage?: string;
  events?: Array<Omit<NewDatabaseEvent, 'databaseId'>>;
  /** The next step; null when there is none (ready, deleted, failed). */
  step?: WorkStep | null;
  /** The step (this one or the next) begins now: its timeouts count from here. */
  stepStarted?: boolean;
  connection?: ConnectionProfile;
  progress?: Partial<
    Pick<
      DatabaseProgress,
      'attempts' | 'failingSince' | 'lastError' | 'finalBackupId' | 'restoreId'
    >
  >;
  /** When to look again; absent when there is no next step. */
  nextCheckInMs?: number;
  keepLease?: boolean;
}

const LIVE: DatabaseStatus[] = [
  'accepted',
  'preparing',
  'installing',
  'checking',
  'deleting',
];

type WorkRow = {
  id: string;
  step: string | null;
  step_started_at: unknown;
  attempts: number;
  failing_since: unknown;
  last_error: string | null;
  final_backup: boolean | number | null;
  final_backup_id: string | null;
  restore_id: string | null;
  delete_requested_by: string | null;
};

function toProgress(row: WorkRow): DatabaseProgress {
  return {
    step: orUndefined(row.step) as WorkStep | undefined,
    stepStartedAt: toIsoOrUndefined(row.step_started_at),
    attempts: row.attempts ?? 0,
    failingSince: toIsoOrUndefined(row.failing_since),
    lastError: orUndefined(row.last_error),
    finalBackup:
      row.final_backup === null ? undefined : Boolean(row.final_backup),
    finalBackupId: orUndefined(row.final_backup_id),
    restoreId: orUndefined(row.restore_id),
    deleteRequestedBy: orUndefined(row.delete_requested_by),
  };
}

/**
 * The provisioning worker's side of database_instances: due instances are claimed with a lease
 * (one UPDATE that re-checks the lease, so two replicas never both hold one), and every step is
 * written guarded by that lease and the status read, so a worker whose lease ran out, or whose
 * instance was moved to deleting meanwhile, writes nothing.
 */
export class DatabaseWorkStore {
  private readonly instances: DatabaseDatabaseInstanceStore;

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.instances = new DatabaseDatabaseInstanceStore(db, now);
  }

  /** Leases instances with a step to run (all due ones, or one now whether due or not). */
  private lease(request: {
    limit?: number;
    id?: string;
    leaseMs: number;
  }): Promise<string | undefined> {
    return claimLeased(this.db, 'database_instances', {
      statuses: LIVE,
      tokenColumn: 'lease_id',
      where: q => q.whereNotNull('step'),
      dueOnly: request.id === undefined,
      now: this.now(),
      ...request,
    });
  }

  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDatabase[]> {
    const token = await this.lease({ limit, leaseMs });
    return token ? this.loadClaimed(token) : [];
  }

  /** Leases one instance now, due or not (the API just changed it). */
  async claim(
    id: string,
    leaseMs: number,
  ): Promise<ClaimedDatabase | undefined> {
    const token = await this.lease({ id, leaseMs });
    return token ? (await this.loadClaimed(token))[0] : undefined;
  }

  private async loadClaimed(token: string): Promise<ClaimedDatabase[]> {
    const rows: WorkRow[] = await this.db('database_instances').where({
      lease_id: token,
    });
    const out: ClaimedDatabase[] = [];
    for (const row of rows) {
      const instance = await this.instances.getInstance(row.id);
      if (instance) out.push({ instance, progress: toProgress(row), token });
    }
    return out;
  }

  /** Writes a step; undefined when the lease was lost or the status moved meanwhile. */
  async write(
    claimed: ClaimedDatabase,
    step: DatabaseStepWrite,
  ): Promise<ClaimedDatabase | undefined> {
    const { instance, token } = claimed;
    const now = this.now();
    const from = instance.status;
    const to = step.to ?? from;
    if (to !== from && !canDatabaseTransition(from, to)) {
      throw new Error(`database ${instance.name}: ${from} cannot become ${to}`);
    }
    const update: Record<string, unknown> = { updated_at: now };
    if (to !== from) {
      update.status = to;
      update.status_message = step.statusMessage ?? null;
      if (to === 'deleted' || to === 'failed') update.live_name = null;
    } else if (step.statusMessage !== undefined) {
      update.status_message = step.statusMessage;
    }
    if (step.step !== undefined) update.step = step.step;
    // A new step has not started until its start is written.
    if (step.stepStarted) update.step_started_at = now;
    else if (step.step !== undefined) update.step_started_at = null;
    if (step.connection) {
      update.host = step.connection.host;
      update.port = step.connection.port;
      update.database_name = step.connection.database ?? null;
      update.username = step.connection.username ?? null;
      update.readonly_username = step.connection.readonlyUsername ?? null;
    }
    const p = step.progress ?? {};
    if (p.attempts !== undefined) update.attempts = p.attempts;
    if ('failingSince' in p)
      update.failing_since = p.failingSince ? new Date(p.failingSince) : null;
    if ('lastError' in p) update.last_error = p.lastError ?? null;
    if (p.finalBackupId !== undefined) update.final_backup_id = p.finalBackupId;
    if (p.restoreId !== undefined) update.restore_id = p.restoreId;
    const next = step.step === undefined ? claimed.progress.step : step.step;
    let nextCheck: Date | null = null;
    if (next) {
      nextCheck = new Date(now.getTime() + (step.nextCheckInMs ?? 0));
    }
    update.next_check_at = nextCheck;
    if (!step.keepLease) {
      update.lease_id = null;
      update.lease_expires_at = null;
    }
    const written = await this.db.transaction(async tx => {
      const changed = await tx('database_instances')
        .where({ id: instance.id, status: from, lease_id: token })
        .update(update);
      if (changed !== 1) return false;
      for (const e of step.events ?? []) {
        await tx('database_events').insert({
          database_id: instance.id,
          step: e.step,
          status: e.status,
          message: e.message,
          created_at: now,
        });
      }
      return true;
    });
    if (!written) return undefined;
    const row: WorkRow | undefined = await this.db('database_instances')
      .where({ id: instance.id })
      .first();
    const fresh = await this.instances.getInstance(instance.id);
    return row && fresh
      ? { instance: fresh, progress: toProgress(row), token }
      : undefined;
  }

  /**
   * Moves an instance to deleting, due at once. A worker holding its lease keeps it: its next
   * write fails on the status guard, and the delete runs once that lease is given up or runs out.
   */
  async requestDelete(
    id: string,
    options: { finalBackup: boolean; requestedBy: string; message: string },
  ): Promise<DatabaseInstance> {
    const current = await this.instances.getInstance(id);
    if (!current) throw new NotFoundError(`no database with id ${id}`);
    if (!canDatabaseTransition(current.status, 'deleting')) {
      throw new ConflictError(
        `database ${current.name} is ${current.status} and cannot be deleted`,
      );
    }
    const now = this.now();
    const changed = await this.db.transaction(async tx => {
      const n = await tx('database_instances')
        .where({ id, status: current.status })
        .update({
          status: 'deleting',
          status_message: null,
          step: options.finalBackup ? 'final-backup' : 'remove',
          step_started_at: null,
          next_check_at: now,
          attempts: 0,
          failing_since: null,
          last_error: null,
          final_backup: options.finalBackup,
          delete_requested_by: options.requestedBy,
          updated_at: now,
        });
      if (n !== 1) return false;
      const step: DatabaseEventStep = 'deleting';
      await tx('database_events').insert({
        database_id: id,
        step,
        status: 'info',
        message: options.message,
        created_at: now,
      });
      return true;
    });
    if (!changed) {
      throw new ConflictError(
        `database ${current.name} changed while deleting it; reload it and try again`,
      );
    }
    return (await this.instances.getInstance(id))!;
  }

  /** When the next live instance falls due (its check time, or a held lease's end). */
  async nextDue(): Promise<Date | undefined> {
    return nextLeaseDue(this.db, 'database_instances', LIVE, this.now());
  }
}
