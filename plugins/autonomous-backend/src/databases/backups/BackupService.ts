import {
  Backup,
  BackupList,
  BackupSettings,
  DatabaseInstance,
  DatabaseRestore,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  BackupStorage,
  BackupStorageConfig,
  KubernetesClient,
  StoredObjectStream,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import { BackupStore, publicBackup } from '../../database/BackupStore';
import { DatabaseBackupHooks } from '../backupHooks';
import { cronJobName, scheduledBackupCronJob } from './jobSpecs';
import { RestoreStore } from './RestoreStore';
import { nextRunAfter, scheduleProblem } from './schedule';
import { BackupSettingsConfig } from './settings';
import { ensureStorageSecret } from './storageSecret';

/** The provisioning service's side of "restore into a new instance". */
export interface InstanceProvisioner {
  provision(request: {
    entityRef: string;
    name: string;
    engine: DatabaseInstance['engine'];
    version: string;
    storageGi: number;
    requestedBy: string;
    restoreFromBackupId: string;
  }): Promise<DatabaseInstance>;
}

export interface BackupServiceOptions {
  backups: BackupStore;
  restores: RestoreStore;
  /** Unset when `autonomous.databases.backups.storage` is not configured. */
  storage?: BackupStorage;
  storageConfig?: BackupStorageConfig;
  settings: BackupSettingsConfig;
  kubernetes: () => KubernetesClient;
  provisioner?: InstanceProvisioner;
  /** Something to do now (the worker's next turn). */
  wake?(): void;
  onChange?(instance: DatabaseInstance, backupId?: string): void;
  now?: () => Date;
}

const BUSY: Backup['status'][] = ['pending', 'running'];
const NOT_CONFIGURED =
  'Backups are not configured: set autonomous.databases.backups.storage (an S3 bucket or a volume)';

/** Backups of an instance as the routes and the provisioning worker ask for them. */
export class BackupService implements DatabaseBackupHooks {
  private readonly now: () => Date;

  constructor(private readonly options: BackupServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private requireStorage(): BackupStorage {
    if (!this.options.storage) {
      throw new ServiceUnavailableError(NOT_CONFIGURED);
    }
    return this.options.storage;
  }

  private requireReady(instance: DatabaseInstance, doing: string) {
    if (instance.status !== 'ready') {
      throw new ConflictError(
        `Database ${instance.name} is ${instance.status}: ${doing} needs a ready database`,
      );
    }
  }

  private async backupOf(instance: DatabaseInstance, backupId: string) {
    const backup = await this.options.backups.findBackup(backupId);
    if (!backup || backup.databaseId !== instance.id) {
      throw new NotFoundError(
        `Database ${instance.name} has no backup ${backupId}`,
      );
    }
    return backup;
  }

  async list(instance: DatabaseInstance): Promise<BackupList> {
    const items = await this.options.backups.listBackups(instance.id);
    const state = await this.options.backups.getSchedule(instance.id);
    return {
      items: items.map(publicBackup),
      schedule: {
        schedule: state.schedule,
        retentionCount: state.retentionCount,
        lastScheduledAt: state.lastScheduledAt,
        nextScheduledAt: state.schedule
          ? nextRunAfter(state.schedule, this.now()).toISOString()
          : undefined,
        missed: state.alert
          ? { expectedAt: state.alert.at, message: state.alert.message }
          : undefined,
      },
    };
  }

  async backupNow(
    instance: DatabaseInstance,
    requestedBy: string,
    trigger: 'manual' | 'final' = 'manual',
    message?: string,
  ): Promise<Backup> {
    this.requireStorage();
    if (trigger === 'manual') this.requireReady(instance, 'a backup');
    const backup = await this.options.backups.createBackup({
      databaseId: instance.id,
      instanceName: instance.name,
      engine: instance.engine,
      trigger,
      requestedBy,
      message,
    });
    this.options.onChange?.(instance, backup.id);
    this.options.wake?.();
    return publicBackup(backup);
  }

  /** The dump, opened for streaming; the caller pipes and closes it. */
  async download(
    instance: DatabaseInstance,
    backupId: string,
  ): Promise<{ backup: Backup; object: StoredObjectStream }> {
    const storage = this.requireStorage();
    const backup = await this.backupOf(instance, backupId);
    if (backup.status !== 'succeeded') {
      throw new ConflictError(
        `Backup ${backupId} is ${backup.status}: only a succeeded backup can be downloaded`,
      );
    }
    const object = await storage.stream(backup.objectKey);
    if (!object) {
      throw new NotFoundError(
        `The dump of backup ${backupId} is missing from storage (${storage.location(
          backup.objectKey,
        )})`,
      );
    }
    return { backup: publicBackup(backup), object };
  }

  async deleteBackup(instance: DatabaseInstance, backupId: string, by: string) {
    const storage = this.requireStorage();
    const backup = await this.backupOf(instance, backupId);
    if (BUSY.includes(backup.status)) {
      throw new ConflictError(
        `Backup ${backupId} is ${backup.status}: wait until it ends to delete it`,
      );
    }
    if (backup.status === 'deleted') return;
    await storage.delete(backup.objectKey);
    await this.options.backups.markDeleted(backupId, `Deleted by ${by}`);
    this.options.onChange?.(instance, backupId);
  }

  /** Restore into a new instance of the same entity, provisioned from the backup. */
  async restoreToNew(
    instance: DatabaseInstance,
    backupId: string,
    requestedBy: string,
    name?: string,
  ): Promise<DatabaseInstance> {
    this.requireStorage();
    const backup = await this.backupOf(instance, backupId);
    this.requireRestorable(backup);
    if (!this.options.provisioner) {
      throw new ServiceUnavailableError(
        'This backend cannot provision databases, so it cannot restore into a new one',
      );
    }
    return this.options.provisioner.provision({
      entityRef: instance.entityRef,
      name:
        name ??
        `${instance.name.slice(0, 15)}-r${randomBytes(3).toString('hex')}`,
      engine: instance.engine,
      version: instance.version,
      storageGi: instance.storageGi,
      requestedBy,
      restoreFromBackupId: backupId,
    });
  }

  /**
   * Restore over the instance after the user typed its name: a backup of the current state is
   * taken first (and kept); the restore Job runs only once it succeeded.
   */
  async restoreInPlace(
    instance: DatabaseInstance,
    backupId: string,
    requestedBy: string,
    confirm: string,
  ): Promise<{ backup: Backup; restore: DatabaseRestore }> {
    if (confirm !== instance.name) {
      throw new InputError(
        `confirm must be the database's name, ${instance.name}, typed to restore over it (got "${confirm}")`,
      );
    }
    this.requireStorage();
    this.requireReady(instance, 'a restore in place');
    const backup = await this.backupOf(instance, backupId);
    this.requireRestorable(backup);
    const running = await this.options.restores.inFlightFor(instance.id);
    if (running) {
      throw new ConflictError(
        `A restore of ${instance.name} is already running (${running.id})`,
      );
    }
    const safety = await this.options.backups.createBackup({
      databaseId: instance.id,
      instanceName: instance.name,
      engine: instance.engine,
      trigger: 'manual',
      requestedBy,
      message: `Taken before restoring backup ${backupId} in place; kept`,
    });
    const restore = await this.options.restores.createRestore({
      backupId,
      databaseId: instance.id,
      target: 'in-place',
      safetyBackupId: safety.id,
      requestedBy,
    });
    this.options.onChange?.(instance, safety.id);
    this.options.wake?.();
    const { jobName: _j, ...shown } = restore;
    return { backup: publicBackup(backup), restore: shown };
  }

  private requireRestorable(backup: { id: string; status: Backup['status'] }) {
    if (backup.status !== 'succeeded') {
      throw new ConflictError(
        `Backup ${backup.id} is ${backup.status}: only a succeeded backup can be restored`,
      );
    }
  }

  async getSettings(instance: DatabaseInstance): Promise<BackupSettings> {
    const state = await this.options.backups.getSchedule(instance.id);
    return { schedule: state.schedule, retentionCount: state.retentionCount };
  }

  /** Checks the schedule, applies it as the instance's CronJob (or removes it), then saves it. */
  async putSettings(
    instance: DatabaseInstance,
    settings: BackupSettings,
  ): Promise<BackupSettings> {
    const schedule = settings.schedule?.trim() || undefined;
    const problem = schedule ? scheduleProblem(schedule) : undefined;
    if (problem) throw new InputError(`invalid body: schedule: ${problem}`);
    const kube = this.options.kubernetes();
    if (schedule) {
      const storage = this.requireStorage();
      this.requireReady(instance, 'a backup schedule');
      await ensureStorageSecret(
        kube,
        instance.namespace,
        this.options.storageConfig!,
      );
      await kube.createOrReplaceCronJob(
        instance.namespace,
        scheduledBackupCronJob(instance, schedule, k => storage.location(k), {
          settings: this.options.settings,
          storage: this.options.storageConfig!,
        }),
      );
    } else {
      await kube.deleteCronJob(instance.namespace, cronJobName(instance));
    }
    const saved = { schedule, retentionCount: settings.retentionCount };
    await this.options.backups.saveSettings(instance.id, saved);
    this.options.onChange?.(instance);
    return saved;
  }

  // The provisioning worker's hooks.

  // Without storage the hooks record a failed backup or restore, so the delete or the
  // provisioning fails at once with the reason instead of retrying.
  async startFinalBackup(
    instance: DatabaseInstance,
    requestedBy: string,
  ): Promise<string> {
    if (!this.options.storage) {
      const failed = await this.options.backups.createBackup({
        databaseId: instance.id,
        instanceName: instance.name,
        engine: instance.engine,
        trigger: 'final',
        requestedBy,
        failed: NOT_CONFIGURED,
      });
      return failed.id;
    }
    const backup = await this.backupNow(
      instance,
      requestedBy,
      'final',
      `Taken before deleting ${instance.name}`,
    );
    return backup.id;
  }

  async startRestore(
    instance: DatabaseInstance,
    backupId: string,
    requestedBy: string,
  ): Promise<string> {
    const restore = await this.options.restores.createRestore({
      backupId,
      databaseId: instance.id,
      target: 'new',
      requestedBy,
      failed: this.options.storage ? undefined : NOT_CONFIGURED,
    });
    this.options.wake?.();
    return restore.id;
  }

  async progress(
    id: string,
  ): Promise<
    | { state: 'running' }
    | { state: 'succeeded' }
    | { state: 'failed'; reason: string }
  > {
    const backup = await this.options.backups.findBackup(id);
    const found = backup ?? (await this.options.restores.findRestore(id));
    if (!found)
      return { state: 'failed', reason: `no backup or restore ${id}` };
    if (found.status === 'pending' || found.status === 'running') {
      return { state: 'running' };
    }
    if (found.status === 'succeeded') return { state: 'succeeded' };
    return {
      state: 'failed',
      reason: found.message ?? `it ended ${found.status}`,
    };
  }
}
