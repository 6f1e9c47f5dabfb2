import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  createBackupStorage,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { BackupStore } from '../../database/BackupStore';
import { BackupService, InstanceProvisioner } from './BackupService';
import { BackupWorker } from './BackupWorker';
import { RestoreStore } from './RestoreStore';
import { BackupNotifier, ScheduleWatcher } from './ScheduleWatcher';
import { readBackupSettingsConfig } from './settings';

export interface DatabaseBackupsDeps {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  db: Knex;
  /** Uncached clients: the worker acts on what it reads. */
  freshClients: UpstreamClients;
  instances: { getInstance(id: string): Promise<DatabaseInstance | undefined> };
  /** Restore into a new instance goes through provisioning. */
  provisioner?: InstanceProvisioner;
  notifier?: BackupNotifier;
  onChange?(instance: DatabaseInstance, backupId?: string): void;
}

/**
 * Backups of databases: the service the routes and the provisioning worker use, and one
 * scheduled task (one replica at a time) that moves backups and restores along and watches the
 * backup CronJobs. Every row is worked under a lease, so a second replica or a restarted backend
 * picks up where the last one stopped.
 */
export async function startDatabaseBackups(deps: DatabaseBackupsDeps) {
  const settings = readBackupSettingsConfig(deps.config);
  const backups = new BackupStore(deps.db);
  const restores = new RestoreStore(deps.db);
  const storage = settings.storage
    ? createBackupStorage(settings.storage)
    : undefined;
  const kubernetes = () =>
    deps.freshClients.get('kubernetes', settings.kubernetesInstance);
  let wakeTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const watcher = storage
    ? new ScheduleWatcher({
        backups,
        instances: deps.instances,
        kubernetes,
        storage,
        settings,
        notifier: deps.notifier,
        logger: deps.logger,
        onChange: deps.onChange,
      })
    : undefined;
  const worker =
    storage && settings.storage
      ? new BackupWorker({
          backups,
          restores,
          instances: deps.instances,
          kubernetes,
          storage,
          storageConfig: settings.storage,
          settings,
          logger: deps.logger,
          onChange: deps.onChange,
          onScheduledOutcome: (instance, backup) =>
            watcher!.onScheduledOutcome(instance, backup),
        })
      : undefined;

  let followUp: NodeJS.Timeout | undefined;
  const turn = async () => {
    if (!worker || stopped) return;
    await worker.tick();
    await watcher?.tick();
    // While backups or restores are in flight the worker keeps turning on its own: the
    // scheduled task may run rarely, and a killed backend holds its lock until the timeout.
    if (!followUp && !stopped && (await worker.busy())) {
      followUp = setTimeout(() => {
        followUp = undefined;
        turn().catch(e => deps.logger.warn(`backup worker: ${e}`));
      }, settings.pollIntervalMs);
      followUp.unref?.();
    }
  };
  // An API call starts its Job at once instead of at the next scheduled turn.
  function wake() {
    if (wakeTimer || stopped) return;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      turn().catch(e => deps.logger.warn(`backup worker: ${e}`));
    }, 0);
  }
  const service = new BackupService({
    backups,
    restores,
    storage,
    storageConfig: settings.storage,
    settings,
    kubernetes,
    provisioner: deps.provisioner,
    onChange: deps.onChange,
    wake,
  });

  if (worker) {
    await deps.scheduler.scheduleTask({
      id: 'autonomous-database-backups',
      frequency: { milliseconds: settings.pollIntervalMs },
      timeout: { minutes: 2 },
      scope: 'global',
      fn: turn,
    });
    // Pick up what a previous run of this backend left in flight, at once.
    wake();
  } else {
    deps.logger.info(
      'Database backups are off: autonomous.databases.backups.storage is not configured',
    );
  }
  return {
    service,
    worker,
    watcher,
    stop() {
      stopped = true;
      if (wakeTimer) clearTimeout(wakeTimer);
      if (followUp) clearTimeout(followUp);
    },
  };
}
