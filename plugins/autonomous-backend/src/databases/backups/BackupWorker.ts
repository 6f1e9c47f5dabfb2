import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  BackupStorage,
  BackupStorageConfig,
  KubernetesClient,
  UpstreamError,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  BackupChange,
  BackupStore,
  BackupWork,
  ClaimedBackup,
} from '../../database/BackupStore';
import { backupJob, JobContext, restoreJob, V1Job } from './jobSpecs';
import { ClaimedRestore, RestoreStore } from './RestoreStore';
import { BackupSettingsConfig } from './settings';
import { ensureStorageSecret } from './storageSecret';

export interface BackupWorkerOptions {
  backups: BackupStore;
  restores: RestoreStore;
  instances: { getInstance(id: string): Promise<DatabaseInstance | undefined> };
  /** An uncached client: the worker acts on what it reads. */
  kubernetes: () => KubernetesClient;
  storage: BackupStorage;
  storageConfig: BackupStorageConfig;
  settings: BackupSettingsConfig;
  logger: LoggerService;
  /** A backup or restore of this instance moved (the page hears it through signals). */
  onChange?(instance: DatabaseInstance, backupId?: string): void;
  /** A scheduled backup failed, or succeeded (which clears the tab's alert). */
  onScheduledOutcome?(
    instance: DatabaseInstance,
    backup: BackupWork,
  ): Promise<void>;
  now?: () => Date;
}

const status404 = (e: unknown) => (e as UpstreamError)?.status === 404;

/**
 * Moves backups and restores along: creates each one's Job (get-or-create by a name derived from
 * its id, so a backend killed after the create makes no second Job), follows it, measures the
 * dump in storage, and writes every step under the row's lease.
 */
export class BackupWorker {
  private readonly now: () => Date;

  constructor(private readonly options: BackupWorkerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private get ctx(): JobContext {
    return {
      settings: this.options.settings,
      storage: this.options.storageConfig,
    };
  }

  /** Whether any backup or restore is still in flight (the caller keeps turning). */
  async busy(): Promise<boolean> {
    return (
      (await this.options.backups.inFlight()) ||
      (await this.options.restores.inFlight())
    );
  }

  /** One pass over what is due; returns how many rows it moved. */
  async tick(limit = 20): Promise<number> {
    const { backups, restores, settings } = this.options;
    let moved = 0;
    for (const claimed of await backups.claimDue(limit, settings.leaseMs)) {
      await this.stepBackup(claimed).catch(e =>
        this.retryLater('backup', claimed.backup.id, e, () =>
          backups.write(claimed, { nextCheckInMs: settings.pollIntervalMs }),
        ),
      );
      moved++;
    }
    for (const claimed of await restores.claimDue(limit, settings.leaseMs)) {
      await this.stepRestore(claimed).catch(e =>
        this.retryLater('restore', claimed.restore.id, e, () =>
          restores.write(claimed, { nextCheckInMs: settings.pollIntervalMs }),
        ),
      );
      moved++;
    }
    return moved;
  }

  private async retryLater(
    what: string,
    id: string,
    error: unknown,
    release: () => Promise<unknown>,
  ) {
    this.options.logger.warn(`${what} ${id}: ${error}; trying again`);
    await release().catch(() => undefined);
  }

  private ensureStorageSecret(namespace: string) {
    return ensureStorageSecret(
      this.options.kubernetes(),
      namespace,
      this.options.storageConfig,
    );
  }

  private async write(
    claimed: ClaimedBackup,
    instance: DatabaseInstance | undefined,
    change: BackupChange,
  ) {
    const written = await this.options.backups.write(claimed, change);
    if (written && instance) {
      this.options.onChange?.(instance, written.id);
      const finished =
        written.status === 'succeeded' || written.status === 'failed';
      if (finished && written.trigger === 'scheduled') {
        await this.options.onScheduledOutcome?.(instance, written);
      }
    }
    return written;
  }

  private async stepBackup(claimed: ClaimedBackup) {
    const { backup } = claimed;
    const { storage, settings } = this.options;
    const instance = await this.options.instances.getInstance(
      backup.databaseId,
    );
    if (!instance) {
      await this.write(claimed, instance, {
        status: 'failed',
        message: 'The database of this backup no longer exists',
      });
      return;
    }
    const kube = this.options.kubernetes();
    const location = storage.location(backup.objectKey);
    if (backup.status === 'pending') {
      await this.ensureStorageSecret(instance.namespace);
      const job = await kube.ensureJob(
        instance.namespace,
        backupJob(instance, backup, location, this.ctx),
      );
      await this.write(claimed, instance, {
        status: 'running',
        location,
        startedAt: startOf(job) ?? this.now().toISOString(),
        nextCheckInMs: settings.pollIntervalMs,
      });
      return;
    }
    const job = await kube
      .getJobStatus(instance.namespace, backup.jobName)
      .catch(e => (status404(e) ? undefined : Promise.reject(e)));
    if (!job) {
      await this.write(claimed, instance, {
        status: 'failed',
        message: `The Job ${backup.jobName} is gone before it finished (deleted, or removed by the cluster)`,
      });
      return;
    }
    if (job.phase === 'running') {
      await this.write(claimed, instance, {
        nextCheckInMs: settings.pollIntervalMs,
      });
      return;
    }
    const started = Date.parse(
      job.startTime ?? backup.startedAt ?? backup.createdAt,
    );
    const ended = Date.parse(job.completionTime ?? this.now().toISOString());
    const durationMs = Math.max(0, ended - started);
    if (job.phase === 'failed') {
      await this.write(claimed, instance, {
        status: 'failed',
        durationMs,
        message: `The backup Job failed: ${await this.reason(
          kube,
          instance.namespace,
          backup.jobName,
          job.message,
        )}`,
      });
      return;
    }
    const stored = await storage.head(backup.objectKey);
    await this.write(
      claimed,
      instance,
      stored
        ? {
            status: 'succeeded',
            location,
            sizeBytes: stored.sizeBytes,
            durationMs,
          }
        : {
            status: 'failed',
            durationMs,
            message: `The Job finished but there is no dump at ${location}`,
          },
    );
  }

  /** The last lines the Job's pod wrote (the tool's error), else the Job's own message. */
  private async reason(
    kube: KubernetesClient,
    namespace: string,
    jobName: string,
    fallback?: string,
  ): Promise<string> {
    const log = await kube
      .getJobLogs(namespace, jobName, { tailLines: 20 })
      .catch(() => '');
    const text = log.trim().split('\n').slice(-5).join('\n').slice(-800);
    return text || fallback || 'the Job failed without a message';
  }

  private async stepRestore(claimed: ClaimedRestore) {
    const { restore } = claimed;
    const { backups, restores, storage, settings } = this.options;
    const target = await this.options.instances.getInstance(restore.databaseId);
    const fail = async (message: string) => {
      await restores.write(claimed, { status: 'failed', message });
      if (target) this.options.onChange?.(target);
    };
    if (!target) return fail('The database to restore into no longer exists');
    const kube = this.options.kubernetes();
    if (restore.status === 'pending') {
      if (restore.safetyBackupId) {
        const safety = await backups.getBackup(restore.safetyBackupId);
        if (safety.status === 'pending' || safety.status === 'running') {
          await restores.write(claimed, {
            nextCheckInMs: settings.pollIntervalMs,
          });
          return undefined;
        }
        if (safety.status !== 'succeeded') {
          return fail(
            `The backup of the current state failed (${
              safety.message ?? safety.status
            }), so nothing was restored; the database is unchanged`,
          );
        }
      }
      const backup = await backups.findBackup(restore.backupId);
      if (!backup || backup.status !== 'succeeded') {
        return fail(
          `Backup ${restore.backupId} is ${
            backup?.status ?? 'unknown'
          }: only a succeeded backup can be restored; the database is unchanged`,
        );
      }
      if (!(await storage.head(backup.objectKey))) {
        return fail(
          `The dump of backup ${
            backup.id
          } is missing from storage (${storage.location(
            backup.objectKey,
          )}); the database is unchanged`,
        );
      }
      await this.ensureStorageSecret(target.namespace);
      await kube.ensureJob(
        target.namespace,
        restoreJob(
          target,
          { jobName: restore.jobName, backupId: backup.id },
          storage.location(backup.objectKey),
          this.ctx,
        ),
      );
      await restores.write(claimed, {
        status: 'running',
        message: `Job ${restore.jobName} is restoring the dump`,
        nextCheckInMs: settings.pollIntervalMs,
      });
      this.options.onChange?.(target);
      return undefined;
    }
    const job = await kube
      .getJobStatus(target.namespace, restore.jobName)
      .catch(e => (status404(e) ? undefined : Promise.reject(e)));
    if (!job) {
      return fail(
        `The restore Job ${restore.jobName} is gone before it finished`,
      );
    }
    if (job.phase === 'running') {
      await restores.write(claimed, { nextCheckInMs: settings.pollIntervalMs });
      return undefined;
    }
    if (job.phase === 'failed') {
      return fail(
        `The restore failed and the database was left as it was: ${await this.reason(
          kube,
          target.namespace,
          restore.jobName,
          job.message,
        )}`,
      );
    }
    await restores.write(claimed, {
      status: 'succeeded',
      message: `Backup ${restore.backupId} is restored`,
    });
    this.options.onChange?.(target);
    return undefined;
  }
}

function startOf(job: V1Job): string | undefined {
  const t = job.status?.startTime ?? job.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).toISOString() : undefined;
}
