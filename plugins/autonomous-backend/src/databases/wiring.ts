import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { SignalsService } from '@backstage/plugin-signals-node';
import { Knex } from 'knex';
import { DatabaseEventStore } from '../database/DatabaseEventStore';
import { DatabaseDatabaseInstanceStore } from '../database/DatabaseInstanceStore';
import { DatabaseWorkStore } from '../database/DatabaseWorkStore';
import { ReleaseWatcherStore } from '../database/ReleaseWatcherStore';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { DatabaseBackupHooks } from './backupHooks';
import { DatabaseProvisioner } from './DatabaseProvisioner';
import { DatabaseService } from './DatabaseService';
import { readDatabaseSettings } from './settings';
import { DatabaseSignals } from './signals';

/** What plugin.ts hands over; `hooks` is the backups module's, when it runs. */
export interface DatabaseLifecycleDeps {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  signals: SignalsService;
  db: Knex;
  /** Uncached clients: the worker must see the cluster as it is. */
  freshClients: UpstreamClients;
  bindings?: UpstreamBindings;
  /** The entity, read with the plugin's own credentials. */
  entity(entityRef: string): Promise<Entity | undefined>;
  hooks?: DatabaseBackupHooks;
}

/** The databases' service, worker and signals, with the worker scheduled on every replica. */
export async function startDatabaseLifecycle(deps: DatabaseLifecycleDeps) {
  const { db, logger } = deps;
  const settings = readDatabaseSettings(deps.config);
  const signals = new DatabaseSignals({
    signals: deps.signals,
    watchers: new ReleaseWatcherStore(db, { ttlMs: 10 * 60_000 }),
    logger,
  });
  const onChange = (instance: DatabaseInstance) =>
    signals.onDatabaseChange(instance);
  const work = new DatabaseWorkStore(db);
  const provisioner = new DatabaseProvisioner({
    work,
    clients: deps.freshClients,
    settings,
    logger,
    entity: deps.entity,
    bindings: deps.bindings,
    hooks: deps.hooks,
    onChange,
  });
  const service = new DatabaseService({
    instances: new DatabaseDatabaseInstanceStore(db),
    events: new DatabaseEventStore(db),
    work,
    settings,
    clients: deps.freshClients,
    entity: deps.entity,
    wake: () => provisioner.wake(),
    onChange,
  });
  if (settings.enabled) {
    await deps.scheduler.scheduleTask({
      id: 'autonomous-database-provisioner',
      frequency: { milliseconds: settings.pollIntervalMs },
      // A killed backend keeps this lock until the timeout; the worker's own follow-up turns,
      // guarded by the instances' leases, bridge that gap.
      timeout: { minutes: 1 },
      scope: 'global',
      fn: async () => {
        await provisioner.tick();
      },
    });
    // Pick up what a previous run of this backend left in flight, at once.
    provisioner.wake();
  } else {
    provisioner.stop();
  }
  deps.lifecycle.addShutdownHook(() => provisioner.stop());
  return { service, provisioner, signals, settings };
}
