import {
  Backup,
  BackupSettings,
  BackupStatus,
  BackupTrigger,
  DatabaseEngine,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { claimLeased } from './leases';
import { orUndefined, toIso, toIsoOrUndefined } from './timestamps';

type BackupRow = {
  id: string;
  database_id: string;
  trigger: string;
  status: string;
  engine: string | null;
  location: string | null;
  file_name: string | null;
  object_key: string | null;
  job_name: string | null;
  size_bytes: number | string | null;
  message: string | null;
  requested_by: string;
  created_at: unknown;
  started_at: unknown;
  finished_at: unknown;
  duration_ms: number | string | null;
};

/** A backup as the worker sees it: where its dump goes and which Job makes it. */
export interface BackupWork extends Backup {
  objectKey: string;
  jobName: string;
}

/** A backup this worker holds the lease of; writes carry the token and fail once it is lost. */
export interface ClaimedBackup {
  backup: BackupWork;
  token: string;
}

export interface BackupChange {
  status?: BackupStatus;
  message?: string;
  location?: string;
  sizeBytes?: number;
  startedAt?: string;
  durationMs?: number;
  /** When to look at the Job again; absent once the backup is finished. */
  nextCheckInMs?: number;
}

/** The last CronJob state the watcher saw, and the alert the tab shows. */
export interface BackupScheduleRecord extends BackupSettings {
  appliedAt?: string;
  lastScheduledAt?: string;
  alert?: { at: string; message: string };
}

const FINISHED: BackupStatus[] = ['succeeded', 'failed', 'deleted'];
const IN_FLIGHT: BackupStatus[] = ['pending', 'running'];

function toNumber(v: number | string | null): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}

function toBackup(row: BackupRow): BackupWork {
  return {
    id: row.id,
    databaseId: row.database_id,
    trigger: row.trigger as BackupTrigger,
    status: row.status as BackupStatus,
    engine: orUndefined(row.engine) as DatabaseEngine | undefined,
    location: orUndefined(row.location),
    fileName: orUndefined(row.file_name),
    sizeBytes: toNumber(row.size_bytes),
    // An empty message clears the one a running backup showed.
    message: row.message || undefined,
    requestedBy: row.requested_by,
    createdAt: toIso(row.created_at),
    startedAt: toIsoOrUndefined(row.started_at),
    finishedAt: toIsoOrUndefined(row.finished_at),
    durationMs: toNumber(row.duration_ms),
    objectKey: row.object_key ?? '',
    jobName: row.job_name ?? '',
  };
}

/** Strips what only the worker needs. */
export function publicBackup(backup: BackupWork): Backup {
  const { objectKey: _k, jobName: _j, ...rest } = backup;
  return rest;
}

/** Backups of database instances, their schedule and the alert of a missed or failed one. */
export class BackupStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A manual or final backup, due for the worker at once. */
  async createBackup(input: {
    databaseId: string;
    instanceName: string;
    engine: DatabaseEngine;
    trigger: Exclude<BackupTrigger, 'scheduled'>;
    requestedBy: string;
    message?: string;
    /** Recorded as failed at once, with this reason (nothing can run it). */
    failed?: string;
  }): Promise<BackupWork> {
    const id = randomUUID();
    const now = this.now();
    const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15);
    const exists = await this.db('database_instances')
      .where({ id: input.databaseId })
      .first('id');
    if (!exists)
      throw new NotFoundError(`no database with id ${input.databaseId}`);
    await this.db('backups').insert({
      id,
      database_id: input.databaseId,
      trigger: input.trigger,
      status: input.failed ? 'failed' : 'pending',
      engine: input.engine,
      object_key: `${input.instanceName}/${id}.dump`,
      file_name: `${input.instanceName}-${stamp}Z-${input.trigger}.dump`,
      // Derived from the id: a resumed worker finds the Job it created instead of a second one.
      job_name: `backup-${id}`,
      message: input.failed ?? input.message ?? null,
      requested_by: input.requestedBy,
      created_at: now,
      ...(input.failed
        ? { finished_at: now, next_check_at: null }
        : { next_check_at: now }),
    });
    return this.getBackup(id);
  }

  /**
   * A Job the schedule's CronJob started. The (database, job name) pair is unique, so two
   * watchers that see the same Job record it once; returns undefined when it was already there.
   */
  async recordScheduledBackup(input: {
    databaseId: string;
    instanceName: string;
    engine: DatabaseEngine;
    jobName: string;
    objectKey: string;
    createdAt: Date;
  }): Promise<BackupWork | undefined> {
    const id = randomUUID();
    const stamp = input.createdAt
      .toISOString()
      .replace(/[-:]/g, '')
      .slice(0, 15);
    await this.db('backups')
      .insert({
        id,
        database_id: input.databaseId,
        trigger: 'scheduled',
        status: 'running',
        engine: input.engine,
        object_key: input.objectKey,
        file_name: `${input.instanceName}-${stamp}Z-scheduled.dump`,
        job_name: input.jobName,
        requested_by: 'schedule',
        created_at: input.createdAt,
        started_at: input.createdAt,
        next_check_at: this.now(),
      })
      .onConflict(['database_id', 'job_name'])
      .ignore();
    // Only this call's insert has this id.
    const row: BackupRow | undefined = await this.db('backups')
      .where({ id })
      .first();
    return row ? toBackup(row) : undefined;
  }

  async getBackup(id: string): Promise<BackupWork> {
    const row: BackupRow | undefined = await this.db('backups')
      .where({ id })
      .first();
    if (!row) throw new NotFoundError(`no backup with id ${id}`);
    return toBackup(row);
  }

  async findBackup(id: string): Promise<BackupWork | undefined> {
    const row: BackupRow | undefined = await this.db('backups')
      .where({ id })
      .first();
    return row ? toBackup(row) : undefined;
  }

  /** Newest first, deleted ones included (the list says they are gone). */
  async listBackups(databaseId: string): Promise<BackupWork[]> {
    const rows: BackupRow[] = await this.db('backups')
      .where({ database_id: databaseId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(toBackup);
  }

  /** Names of the Jobs already recorded for a database. */
  async jobNames(databaseId: string): Promise<Set<string>> {
    const rows = await this.db('backups')
      .where({ database_id: databaseId })
      .whereNotNull('job_name')
      .select('job_name');
    return new Set(rows.map(r => r.job_name as string));
  }

  async inFlight(): Promise<boolean> {
    return Boolean(
      await this.db('backups').whereIn('status', IN_FLIGHT).first('id'),
    );
  }

  async claimDue(limit: number, leaseMs: number): Promise<ClaimedBackup[]> {
    const token = await claimLeased(this.db, 'backups', {
      statuses: IN_FLIGHT,
      limit,
      leaseMs,
      now: this.now(),
    });
    if (!token) return [];
    const rows: BackupRow[] = await this.db('backups')
      .where({ lease_token: token })
      .orderBy('created_at', 'asc');
    return rows.map(row => ({ backup: toBackup(row), token }));
  }

  /** Writes a step; undefined when the lease was lost (another worker has the backup). */
  async write(
    claimed: ClaimedBackup,
    change: BackupChange,
  ): Promise<BackupWork | undefined> {
    const now = this.now();
    const update: Record<string, unknown> = {};
    if (change.status) update.status = change.status;
    if (change.message !== undefined) update.message = change.message;
    if (change.location !== undefined) update.location = change.location;
    if (change.sizeBytes !== undefined) update.size_bytes = change.sizeBytes;
    if (change.durationMs !== undefined) update.duration_ms = change.durationMs;
    if (change.startedAt) update.started_at = new Date(change.startedAt);
    const finished = change.status && FINISHED.includes(change.status);
    if (finished) update.finished_at = now;
    update.next_check_at = finished
      ? null
      : new Date(now.getTime() + (change.nextCheckInMs ?? 0));
    update.lease_token = null;
    update.lease_expires_at = null;
    const changed = await this.db('backups')
      .where({ id: claimed.backup.id, lease_token: claimed.token })
      .update(update);
    return changed === 1 ? this.getBackup(claimed.backup.id) : undefined;
  }

  /** Marks a backup deleted (its dump is gone from storage); false when it was in flight. */
  async markDeleted(id: string, message: string): Promise<boolean> {
    const changed = await this.db('backups')
      .where({ id })
      .whereIn('status', ['succeeded', 'failed'])
      .update({ status: 'deleted', message, next_check_at: null });
    return changed === 1;
  }

  /** Succeeded scheduled backups of a database, newest first: retention keeps the first N. */
  async scheduledSucceeded(databaseId: string): Promise<BackupWork[]> {
    const rows: BackupRow[] = await this.db('backups')
      .where({
        database_id: databaseId,
        trigger: 'scheduled',
        status: 'succeeded',
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(toBackup);
  }

  /** True for the one caller that should tell the owners this failed backup failed. */
  async claimFailureNotice(id: string): Promise<boolean> {
    const changed = await this.db('backups')
      .where({ id, status: 'failed' })
      .whereNull('notified_at')
      .update({ notified_at: this.now() });
    return changed === 1;
  }

  /** Ready instances with a backup schedule: the ones whose CronJob the watcher looks at. */
  async scheduledInstanceIds(): Promise<string[]> {
    const rows = await this.db('database_instances')
      .whereNotNull('backup_schedule')
      .where({ status: 'ready' })
      .select('id');
    return rows.map(r => r.id as string);
  }

  async getSchedule(databaseId: string): Promise<BackupScheduleRecord> {
    const row = await this.db('database_instances')
      .where({ id: databaseId })
      .first();
    if (!row) throw new NotFoundError(`no database with id ${databaseId}`);
    return {
      schedule: orUndefined(row.backup_schedule),
      retentionCount: Number(row.backup_retention_count),
      appliedAt: toIsoOrUndefined(row.backup_schedule_applied_at),
      lastScheduledAt: toIsoOrUndefined(row.backup_last_scheduled_at),
      alert: row.backup_alert_message
        ? {
            at: toIso(row.backup_alert_at),
            message: row.backup_alert_message,
          }
        : undefined,
    };
  }

  /** Saves the settings once the CronJob is applied; a new schedule starts a new watch. */
  async saveSettings(databaseId: string, settings: BackupSettings) {
    const now = this.now();
    const changed = await this.db('database_instances')
      .where({ id: databaseId })
      .update({
        backup_schedule: settings.schedule ?? null,
        backup_retention_count: settings.retentionCount,
        backup_schedule_applied_at: settings.schedule ? now : null,
        backup_alert_at: null,
        backup_alert_message: null,
        updated_at: now,
      });
    if (changed !== 1)
      throw new NotFoundError(`no database with id ${databaseId}`);
  }

  async noteLastScheduled(databaseId: string, at: Date) {
    await this.db('database_instances')
      .where({ id: databaseId })
      .update({ backup_last_scheduled_at: at });
  }

  /**
   * Shows an alert on the tab. Returns true for the one caller that set `key` (a run: the due
   * time of a missed one, the id of a failed one): only it notifies the owners, so they hear
   * of each run once however many ticks or replicas see it.
   */
  async raiseAlert(
    databaseId: string,
    alert: { at: Date; message: string; key: string },
  ): Promise<boolean> {
    await this.db('database_instances').where({ id: databaseId }).update({
      backup_alert_at: alert.at,
      backup_alert_message: alert.message,
    });
    const changed = await this.db('database_instances')
      .where({ id: databaseId })
      .where(q =>
        q
          .whereNull('backup_alert_notified')
          .orWhereNot('backup_alert_notified', alert.key),
      )
      .update({ backup_alert_notified: alert.key });
    return changed === 1;
  }

  /** A scheduled backup after the alert succeeded: the tab stops warning. */
  async clearAlert(databaseId: string, before: Date) {
    await this.db('database_instances')
      .where({ id: databaseId })
      .where('backup_alert_at', '<', before)
      .update({ backup_alert_at: null, backup_alert_message: null });
  }
}
