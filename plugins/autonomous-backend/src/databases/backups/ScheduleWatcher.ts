import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  BackupStorage,
  KubernetesClient,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { BackupStore, BackupWork } from '../../database/BackupStore';
import { cronJobName, LABELS, scheduledObjectKey } from './jobSpecs';
import { latestRunBetween } from './schedule';
import { BackupSettingsConfig } from './settings';

/** What the owners are told: `@backstage/plugin-notifications-node`'s service. */
export interface BackupNotifier {
  send(options: {
    recipients: { type: 'entity'; entityRef: string };
    payload: {
      title: string;
      description?: string;
      link?: string;
      severity?: 'critical' | 'high' | 'normal' | 'low';
      topic?: string;
    };
  }): Promise<void>;
}

export interface ScheduleWatcherOptions {
  backups: BackupStore;
  instances: { getInstance(id: string): Promise<DatabaseInstance | undefined> };
  kubernetes: () => KubernetesClient;
  storage: BackupStorage;
  settings: BackupSettingsConfig;
  notifier?: BackupNotifier;
  logger: LoggerService;
  onChange?(instance: DatabaseInstance, backupId?: string): void;
  now?: () => Date;
}

const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const at = (t: unknown) => (t ? new Date(t as string) : undefined);

/**
 * Turns the Jobs of each instance's backup CronJob into backup rows, keeps the newest
 * `retentionCount` scheduled backups, and raises an alert, shown on the tab and sent once to the
 * entity's owners, when a run fell due and no Job came within the grace, or a scheduled backup failed.
 */
export class ScheduleWatcher {
  private readonly now: () => Date;

  constructor(private readonly options: ScheduleWatcherOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async tick(): Promise<void> {
    for (const id of await this.options.backups.scheduledInstanceIds()) {
      const instance = await this.options.instances.getInstance(id);
      if (!instance) continue;
      await this.watch(instance).catch(e =>
        this.options.logger.warn(
          `backup schedule of database ${instance.name}: ${e}`,
        ),
      );
    }
  }

  /** One instance: record new Jobs, apply retention, look for a missed run. */
  async watch(instance: DatabaseInstance): Promise<void> {
    const { backups, settings } = this.options;
    const kube = this.options.kubernetes();
    const selector = `${LABELS.database}=${instance.name},${LABELS.kind}=scheduled-backup`;
    const jobs = await kube.listJobs(instance.namespace, selector);
    const known = await backups.jobNames(instance.id);
    let latestJob: Date | undefined;
    for (const job of jobs) {
      const name = job.metadata?.name;
      if (!name) continue;
      // The run's due time (Kubernetes 1.28+ notes it on the Job), else when the Job was made.
      const created =
        at(job.metadata?.annotations?.[SCHEDULED_TIMESTAMP]) ??
        at(job.metadata?.creationTimestamp) ??
        this.now();
      if (!latestJob || created > latestJob) latestJob = created;
      if (known.has(name)) continue;
      const recorded = await backups.recordScheduledBackup({
        databaseId: instance.id,
        instanceName: instance.name,
        engine: instance.engine,
        jobName: name,
        objectKey: scheduledObjectKey(instance.name, name),
        createdAt: created,
      });
      if (recorded) this.options.onChange?.(instance, recorded.id);
    }
    const cron = await kube.getCronJob(
      instance.namespace,
      cronJobName(instance),
    );
    const lastSchedule = at(cron?.status?.lastScheduleTime);
    const state = await backups.getSchedule(instance.id);
    const candidates = [lastSchedule, latestJob, at(state.lastScheduledAt)]
      .filter((d): d is Date => Boolean(d))
      .sort((a, b) => b.getTime() - a.getTime());
    const lastRun = candidates[0];
    if (lastRun && lastRun.toISOString() !== state.lastScheduledAt) {
      await backups.noteLastScheduled(instance.id, lastRun);
    }
    await this.applyRetention(instance, state.retentionCount);
    if (!state.schedule || !state.appliedAt) return;
    const appliedAt = new Date(state.appliedAt);
    const since = lastRun && lastRun > appliedAt ? lastRun : appliedAt;
    const until = new Date(this.now().getTime() - settings.missedGraceMs);
    const missed = latestRunBetween(state.schedule, since, until);
    if (!missed) return;
    const message = cron
      ? `The scheduled backup due at ${missed.toISOString()} did not run: no Job was started within ${Math.round(
          settings.missedGraceMs / 60_000,
        )} minutes`
      : `The scheduled backup due at ${missed.toISOString()} did not run: the CronJob ${cronJobName(
          instance,
        )} is missing from namespace ${
          instance.namespace
        }; save the backup settings again to re-create it`;
    await this.alert(instance, {
      at: missed,
      message,
      key: `missed:${missed.toISOString()}`,
      title: `Scheduled backup of database ${instance.name} did not run`,
    });
  }

  /** A scheduled backup ended: a failure alerts the owners, a success ends older alerts. */
  async onScheduledOutcome(instance: DatabaseInstance, backup: BackupWork) {
    if (backup.status === 'succeeded') {
      await this.options.backups.clearAlert(
        instance.id,
        new Date(backup.createdAt),
      );
      return;
    }
    await this.alert(instance, {
      at: new Date(backup.createdAt),
      message: `The scheduled backup started at ${backup.createdAt} failed: ${
        backup.message ?? 'no reason given'
      }`,
      key: `failed:${backup.id}`,
      title: `Scheduled backup of database ${instance.name} failed`,
    });
  }

  private async alert(
    instance: DatabaseInstance,
    alert: { at: Date; message: string; key: string; title: string },
  ) {
    const first = await this.options.backups.raiseAlert(instance.id, alert);
    if (!first) return;
    this.options.onChange?.(instance);
    const ref = parseEntityRef(instance.entityRef);
    await this.options.notifier
      ?.send({
        recipients: { type: 'entity', entityRef: instance.entityRef },
        payload: {
          title: alert.title,
          description: alert.message,
          link: `/catalog/${ref.namespace}/${ref.kind.toLocaleLowerCase(
            'en-US',
          )}/${ref.name}`,
          severity: 'high',
          topic: `database-backups:${instance.name}`,
        },
      })
      .catch(e =>
        this.options.logger.warn(
          `could not notify the owners of ${instance.entityRef}: ${e}`,
        ),
      );
  }

  private async applyRetention(instance: DatabaseInstance, keep: number) {
    const { backups, storage } = this.options;
    const kept = await backups.scheduledSucceeded(instance.id);
    for (const old of kept.slice(keep)) {
      await storage.delete(old.objectKey);
      const deleted = await backups.markDeleted(
        old.id,
        `Deleted by retention: the newest ${keep} scheduled backups are kept`,
      );
      if (deleted) this.options.onChange?.(instance, old.id);
    }
  }
}
