import {
  isReleaseInFlight,
  Project,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { DriftStore } from '../database/DriftStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import type { ReleaseNotifier } from '../orchestrator/ReleaseOrchestrator';
import { readDurationMs } from '../orchestrator/settings';
import { DriftMonitor } from './DriftMonitor';

/** `autonomous.drift`: how often environments are checked, and whether owners hear of it. */
export interface DriftSettings {
  checkIntervalMs: number;
  notify: boolean;
}

export const DEFAULT_DRIFT_SETTINGS: DriftSettings = {
  checkIntervalMs: 5 * 60_000,
  notify: false,
};

export function readDriftSettings(config: Config): DriftSettings {
  const drift = config.getOptionalConfig('autonomous.drift');
  if (!drift) return DEFAULT_DRIFT_SETTINGS;
  const checkIntervalMs = drift.has('checkInterval')
    ? readDurationMs(drift, 'checkInterval')
    : DEFAULT_DRIFT_SETTINGS.checkIntervalMs;
  if (checkIntervalMs < 1_000) {
    throw new Error(
      `autonomous.drift.checkInterval must be at least 1 second (got ${checkIntervalMs} ms): every check reads each application from ArgoCD`,
    );
  }
  return {
    checkIntervalMs,
    notify: drift.getOptionalBoolean('notify') ?? DEFAULT_DRIFT_SETTINGS.notify,
  };
}

/**
 * The one DriftMonitor of the backend, shared by the status routes and the background check:
 * owners are notified only when `autonomous.drift.notify` says so.
 */
export function createDriftMonitor(options: {
  store: DriftStore;
  settings: DriftSettings;
  onChange?: (release: Release) => void;
  notifier?: ReleaseNotifier;
  logger?: LoggerService;
}): DriftMonitor {
  const { settings, notifier, ...rest } = options;
  return new DriftMonitor({
    ...rest,
    notifier: settings.notify ? notifier : undefined,
  });
}

/** What one environment's check found, for the log and the tests. */
export type DriftSweepOutcome =
  | 'drifted'
  | 'in-sync'
  | 'in-flight'
  | 'not-checked'
  | 'failed';

/**
 * The background drift check: every environment with an ArgoCD application of every project
 * the portal knows, whether or not a page reads it. Environments with a release in flight are
 * skipped before ArgoCD is asked; the rest go through the same DriftMonitor as the status
 * route, so an episode is written once whichever of them sees it first.
 */
export class DriftSweep {
  constructor(
    private readonly deps: {
      store: DriftStore;
      work: ReleaseWorkStore;
      monitor: DriftMonitor;
      /** Uncached clients: a check must see ArgoCD's comparison as it is now. */
      clients: UpstreamClients;
      resolveProject(
        entityRef: string,
      ): Promise<{ project: Project; entity: Entity }>;
      logger: LoggerService;
    },
  ) {}

  /** One pass over every watched environment; one failure never stops the others. */
  async run(): Promise<Map<string, DriftSweepOutcome>> {
    const { store, resolveProject, logger } = this.deps;
    const outcomes = new Map<string, DriftSweepOutcome>();
    for (const entityRef of await store.watchedProjects()) {
      let resolved: { project: Project; entity: Entity };
      try {
        resolved = await resolveProject(entityRef);
      } catch (e) {
        // Not in the catalog (any more), or no longer a project: nothing to compare.
        logger.debug(`Drift check skips ${entityRef}: ${e}`);
        continue;
      }
      for (const env of resolved.project.environments) {
        if (!env.argocdApplication) continue;
        const key = `${entityRef} ${env.name}`;
        try {
          outcomes.set(key, await this.check(resolved, env.name));
        } catch (e) {
          outcomes.set(key, 'failed');
          logger.warn(`Drift check of ${key} failed: ${e}`);
        }
      }
    }
    return outcomes;
  }

  private async check(
    { project, entity }: { project: Project; entity: Entity },
    environment: string,
  ): Promise<DriftSweepOutcome> {
    const { work, clients, monitor } = this.deps;
    const env = project.environments.find(e => e.name === environment)!;
    const history = await work.environmentHistory(
      project.entityRef,
      environment,
      { limit: 50 },
    );
    if (history.some(r => isReleaseInFlight(r.status))) return 'in-flight';
    const argocd = clients.forEntity('argocd', entity);
    const drift = await monitor.check({
      argocd,
      entityRef: project.entityRef,
      environment,
      argocdApplication: env.argocdApplication!,
      app: await argocd.getApplication(env.argocdApplication!),
      history,
    });
    if (drift.drifted) return 'drifted';
    return drift.notChecked ? 'not-checked' : 'in-sync';
  }
}

/** Schedules the check on one replica at a time (the scheduler's lock lives in the database). */
export async function scheduleDriftSweep(
  scheduler: SchedulerService,
  sweep: DriftSweep,
  settings: DriftSettings,
) {
  await scheduler.scheduleTask({
    id: 'autonomous-drift-check',
    frequency: { milliseconds: settings.checkIntervalMs },
    // A pass reads each application once; a hung ArgoCD must not hold the lock for long.
    timeout: { milliseconds: Math.max(settings.checkIntervalMs, 60_000) },
    initialDelay: { seconds: 30 },
    scope: 'global',
    fn: async () => {
      await sweep.run();
    },
  });
}
