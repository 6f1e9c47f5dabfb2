import { DatabaseRestore } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { claimLeased } from '../../database/leases';
import {
  orUndefined,
  toIso,
  toIsoOrUndefined,
} from '../../database/timestamps';

type RestoreRow = {
  id: string;
  backup_id: string;
  database_id: string;
  target: string;
  safety_backup_id: string | null;
  status: string;
  message: string | null;
  job_name: string | null;
  requested_by: string;
  created_at: unknown;
  started_at: unknown;
  finished_at: unknown;
};

export interface RestoreWork extends DatabaseRestore {
  jobName: string;
}

export interface ClaimedRestore {
  restore: RestoreWork;
  token: string;
}

function toRestore(row: RestoreRow): RestoreWork {
  return {
    id: row.id,
    backupId: row.backup_id,
    databaseId: row.database_id,
    target: row.target as DatabaseRestore['target'],
    safetyBackupId: orUndefined(row.safety_backup_id),
    status: row.status as DatabaseRestore['status'],
    message: orUndefined(row.message),
    requestedBy: row.requested_by,
    createdAt: toIso(row.created_at),
    finishedAt: toIsoOrUndefined(row.finished_at),
    jobName: row.job_name ?? '',
  };
}

const IN_FLIGHT = ['pending', 'running'];

/** Restores of backups into instances, worked under a lease like backups. */
export class RestoreStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createRestore(input: {
    backupId: string;
    databaseId: string;
    target: DatabaseRestore['target'];
    safetyBackupId?: string;
    requestedBy: string;
    /** Recorded as failed at once, with this reason (nothing can run it). */
    failed?: string;
  }): Promise<RestoreWork> {
    const id = randomUUID();
    const now = this.now();
    await this.db('database_restores').insert({
      id,
      backup_id: input.backupId,
      database_id: input.databaseId,
      target: input.target,
      safety_backup_id: input.safetyBackupId ?? null,
      status: input.failed ? 'failed' : 'pending',
      // Derived from the id: a resumed worker finds its Job instead of making a second.
      job_name: `restore-${id}`,
      requested_by: input.requestedBy,
      created_at: now,
      ...(input.failed
        ? {
            message: input.failed,
            finished_at: now,
            next_check_at: null,
          }
        : { next_check_at: now }),
    });
    return this.getRestore(id);
  }

  async findRestore(id: string): Promise<RestoreWork | undefined> {
    const row: RestoreRow | undefined = await this.db('database_restores')
      .where({ id })
      .first();
    return row ? toRestore(row) : undefined;
  }

  async getRestore(id: string): Promise<RestoreWork> {
    const found = await this.findRestore(id);
    if (!found) throw new NotFoundError(`no restore with id ${id}`);
    return found;
  }

  /** A restore of this instance that has not finished, if any. */
  async inFlightFor(databaseId: string): Promise<RestoreWork | undefined> {
    const row: RestoreRow | undefined = await this.db('database_restores')
      .where({ database_id: databaseId })
      .whereIn('status', IN_FLIGHT)
      .first();
    return row ? toRestore(row) : undefined;
  }

  async inFlight(): Promise<boolean> {
    return Boolean(
      await this.db('database_restores')
        .whereIn('status', IN_FLIGHT)
        .first('id'),
    );
  }

  async claimDue(limit: number, leaseMs: number): Promise<ClaimedRestore[]> {
    const token = await claimLeased(this.db, 'database_restores', {
      statuses: IN_FLIGHT,
      limit,
      leaseMs,
      now: this.now(),
    });
    if (!token) return [];
    const rows: RestoreRow[] = await this.db('database_restores')
      .where({ lease_token: token })
      .orderBy('created_at', 'asc');
    return rows.map(row => ({ restore: toRestore(row), token }));
  }

  /** Writes a step; undefined when the lease was lost. */
  async write(
    claimed: ClaimedRestore,
    change: {
      status?: DatabaseRestore['status'];
      message?: string;
      nextCheckInMs?: number;
    },
  ): Promise<RestoreWork | undefined> {
    const now = this.now();
    const finished =
      change.status === 'succeeded' || change.status === 'failed';
    const update: Record<string, unknown> = {
      lease_token: null,
      lease_expires_at: null,
      next_check_at: finished
        ? null
        : new Date(now.getTime() + (change.nextCheckInMs ?? 0)),
    };
    if (change.status) update.status = change.status;
    if (change.status === 'running' && claimed.restore.status === 'pending') {
      update.started_at = now;
    }
    if (finished) update.finished_at = now;
    if (change.message !== undefined) update.message = change.message;
    const changed = await this.db('database_restores')
      .where({ id: claimed.restore.id, lease_token: claimed.token })
      .update(update);
    return changed === 1 ? this.getRestore(claimed.restore.id) : undefined;
  }
}
