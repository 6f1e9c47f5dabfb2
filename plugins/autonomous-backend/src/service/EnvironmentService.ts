import {
  Environment,
  EnvironmentDrift,
  EnvironmentStatus,
  Project,
  ProjectStatus,
  Release,
  releaseLabel,
  RunningStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  ArgoCdApplication,
  ArgoCdClient,
  isUpstreamError,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { setTimeout as delay } from 'node:timers/promises';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { DriftMonitor } from '../drift/DriftMonitor';
import { splitImageRef, workloadOf } from '../upstreamObjects';
import { deployableEnvironment } from './deployableEnvironment';
import { UpstreamBindings } from './UpstreamBindings';

type Resolved = { project: Project; entity: Entity };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** How the last release stands, in the words a person would use. */
function outcome(status: Release['status']): string {
  switch (status) {
    case 'healthy':
      return 'is live';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'was cancelled';
    case 'rolled-back':
      return 'was rolled back';
    default:
      return `is ${status.replace('-', ' ')}`;
  }
}

const named = (release: Release) =>
  `${releaseLabel(release)} (${release.version})`;

/** The image that runs, by the short digest people compare with the registry. */
function shortImage(running: RunningStatus): string {
  const digest = running.digest?.replace(/^sha256:/, '');
  if (digest) return digest.slice(0, 8);
  return running.images[0] ?? 'an image';
}

/**
 * One line that says what the last release did and what actually serves, e.g.
 * "Release #13 (main-13) failed · running #12 (main-12) · 1/1 ready" or
 * "Running d17525d9 (not deployed from this portal) · 1/1 ready".
 */
export function summarize(status: Omit<EnvironmentStatus, 'summary'>): string {
  const { lastRelease, runningRelease, running } = status;
  const parts: string[] = [];
  if (lastRelease) {
    parts.push(`Release ${named(lastRelease)} ${outcome(lastRelease.status)}`);
  }
  if (!running) {
    parts.push(
      lastRelease
        ? 'the cluster could not be read'
        : 'No release yet · the cluster could not be read',
    );
    return parts.join(' · ');
  }
  if (!running.images.length && !running.digest && !running.desiredReplicas) {
    parts.push(
      lastRelease
        ? 'nothing is running'
        : 'No release yet · nothing is running',
    );
    return parts.join(' · ');
  }
  if (!lastRelease || lastRelease.id !== runningRelease?.id) {
    const what = runningRelease
      ? named(runningRelease)
      : `${shortImage(running)} (not deployed from this portal)`;
    parts.push(lastRelease ? `running ${what}` : `Running ${what}`);
  }
  parts.push(`${running.readyReplicas}/${running.desiredReplicas} ready`);
  return parts.join(' · ');
}

/** How a sync meets an operation ArgoCD is already running on the application. */
export interface SyncWhenFreeOptions {
  /**
   * How long to wait for the running operation to end before giving up (0: refuse at once).
   * ArgoCD queues nothing: a sync asked for during an operation is refused, not deferred.
   */
  waitMs: number;
  /** How often to ask again while waiting (500 ms). */
  pollMs?: number;
  /** The 409's text when the operation outlasts the wait; the default says to try again. */
  busyMessage?: string;
}

/**
 * Asks ArgoCD to sync the application (with prune). When another operation is running on it
 * ArgoCD refuses; this waits up to `waitMs` for that operation to end and asks again, then
 * answers a ConflictError that names the application and says what to do. The one place the
 * suite decides what a busy application means.
 */
export async function syncWhenFree(
  argocd: Pick<ArgoCdClient, 'sync'>,
  application: string,
  options: SyncWhenFreeOptions,
): Promise<ArgoCdApplication> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    try {
      return await argocd.sync(application, { prune: true });
    } catch (e) {
      if (!isUpstreamError(e) || !e.isOperationInProgress) throw e;
      if (Date.now() + (options.pollMs ?? 500) > deadline) {
        throw new ConflictError(
          options.busyMessage ??
            `ArgoCD is already running an operation on ${application}: try again when it ends (the environment shows it as syncing until then)`,
        );
      }
      await delay(options.pollMs ?? 500);
    }
  }
}

/** Deployment status and running status per environment, and the ArgoCD actions. */
export class EnvironmentService {
  constructor(
    private readonly clients: UpstreamClients,
    private readonly work: ReleaseWorkStore,
    private readonly bindings: UpstreamBindings = new UpstreamBindings(),
    private readonly drift: DriftMonitor = new DriftMonitor(),
  ) {}

  /** The environment, once its application is known to claim the entity: before any write. */
  private async bound({ project, entity }: Resolved, envName: string) {
    const env = deployableEnvironment(project, envName);
    await this.bindings.boundApplication(
      this.clients,
      entity,
      env.argocdApplication,
    );
    return env;
  }

  async status({ project, entity }: Resolved): Promise<ProjectStatus> {
    const environments = await Promise.all(
      project.environments.map(env =>
        this.environmentStatus(project, entity, env),
      ),
    );
    return { entityRef: project.entityRef, environments };
  }

  private async environmentStatus(
    project: Project,
    entity: Entity,
    env: Environment,
  ): Promise<EnvironmentStatus> {
    const history = await this.work.environmentHistory(
      project.entityRef,
      env.name,
      { limit: 50 },
    );
    const errors: string[] = [];
    let app: ArgoCdApplication | undefined;
    let running: RunningStatus | undefined;
    if (env.argocdApplication) {
      try {
        app = await this.clients
          .forEntity('argocd', entity)
          .getApplication(env.argocdApplication);
      } catch (e) {
        errors.push(message(e));
      }
    }
    if (app) {
      const { namespace, name } = workloadOf(app);
      try {
        const rollout = await this.clients
          .forEntity('kubernetes', entity)
          .getRolloutStatus(namespace, name);
        running = {
          images: rollout.images,
          digest: rollout.liveImageDigests[0],
          desiredReplicas: rollout.desiredReplicas,
          readyReplicas: rollout.readyReplicas,
          updatedReplicas: rollout.updatedReplicas,
          availableReplicas: rollout.availableReplicas,
          rolloutComplete: rollout.complete,
        };
      } catch (e) {
        errors.push(message(e));
      }
    }
    let drift: EnvironmentDrift | undefined;
    if (app && env.argocdApplication) {
      try {
        drift = await this.drift.check({
          argocd: this.clients.forEntity('argocd', entity),
          entityRef: project.entityRef,
          environment: env.name,
          argocdApplication: env.argocdApplication,
          app,
          history,
        });
      } catch (e) {
        errors.push(message(e));
      }
    }
    const runningRelease = running?.digest
      ? findRunning(history, running.digest)
      : undefined;
    const status: Omit<EnvironmentStatus, 'summary'> = {
      environment: env.name,
      namespace: app?.spec.destination?.namespace ?? env.namespace,
      argocdApplication: env.argocdApplication,
      lastRelease: history[0],
      runningRelease,
      running,
      sync: app
        ? {
            status: app.status?.sync?.status ?? 'Unknown',
            automated: Boolean(app.spec.syncPolicy?.automated),
            operationPhase: app.status?.operationState?.phase,
            operationMessage: app.status?.operationState?.message,
          }
        : undefined,
      health: app?.status?.health?.status
        ? {
            status: app.status.health.status,
            message: app.status.health.message,
          }
        : undefined,
      errors: errors.length ? errors : undefined,
      drift: drift?.drifted ? drift : undefined,
    };
    return { ...status, summary: summarize(status) };
  }

  /**
   * A sync asked for from the page. While ArgoCD runs another operation on the application it
   * is refused at once with a 409 that says so, rather than held open: the running operation
   * is usually the sync the person wants (automated, or a release's), the page already shows
   * it, and a request that waits for seconds reads as a hung button.
   */
  async sync(resolved: Resolved, envName: string, requestedBy?: string) {
    const { entity } = resolved;
    const env = await this.bound(resolved, envName);
    await this.syncAsked(resolved, env.name, requestedBy, () =>
      syncWhenFree(
        this.clients.forEntity('argocd', entity),
        env.argocdApplication,
        { waitMs: 0 },
      ),
    );
    return { message: `ArgoCD is syncing ${env.argocdApplication}` };
  }

  /**
   * A sync a person asked for: once ArgoCD accepted it, who asked and when (taken before
   * ArgoCD started it) is remembered for the drift it may correct.
   */
  private async syncAsked(
    { project }: Resolved,
    envName: string,
    requestedBy: string | undefined,
    sync: () => Promise<unknown>,
  ) {
    const requestedAt = new Date().toISOString();
    await sync();
    if (requestedBy) {
      await this.drift.syncRequested(project.entityRef, envName, {
        requestedBy,
        requestedAt,
      });
    }
  }

  async refresh(resolved: Resolved, envName: string) {
    const { entity } = resolved;
    const env = await this.bound(resolved, envName);
    await this.clients
      .forEntity('argocd', entity)
      .refreshApplication(env.argocdApplication, 'hard');
    return {
      message: `ArgoCD compared ${env.argocdApplication} with its source again (hard refresh)`,
    };
  }

  /** Whether the environment drifted from Git, and how; a read of ArgoCD's comparison. */
  async driftOf(
    resolved: Resolved,
    envName: string,
  ): Promise<EnvironmentDrift> {
    const { project, entity } = resolved;
    const env = deployableEnvironment(project, envName);
    const argocd = this.clients.forEntity('argocd', entity);
    const [app, history] = await Promise.all([
      argocd.getApplication(env.argocdApplication),
      this.work.environmentHistory(project.entityRef, env.name, { limit: 50 }),
    ]);
    return this.drift.check({
      argocd,
      entityRef: project.entityRef,
      environment: env.name,
      argocdApplication: env.argocdApplication,
      app,
      history,
    });
  }

  /**
   * A forced reconcile: ArgoCD drops its manifest cache, compares again, and syncs. Refused
   * like {@link EnvironmentService.sync} while an operation runs (the refresh has happened).
   */
  async reconcile(resolved: Resolved, envName: string, requestedBy?: string) {
    const { entity } = resolved;
    const env = await this.bound(resolved, envName);
    const argocd = this.clients.forEntity('argocd', entity);
    await argocd.refreshApplication(env.argocdApplication, 'hard');
    await this.syncAsked(resolved, env.name, requestedBy, () =>
      syncWhenFree(argocd, env.argocdApplication, { waitMs: 0 }),
    );
    return {
      message: `ArgoCD compared ${env.argocdApplication} with its source again (hard refresh) and is syncing it`,
    };
  }

  async setAutomatedSync(
    resolved: Resolved,
    envName: string,
    enabled: boolean,
  ) {
    const { entity } = resolved;
    const env = await this.bound(resolved, envName);
    await this.clients
      .forEntity('argocd', entity)
      .setAutomatedSync(env.argocdApplication, enabled);
    return {
      message: enabled
        ? `Automated sync of ${env.argocdApplication} resumed`
        : `Automated sync of ${env.argocdApplication} suspended: ArgoCD changes it only when asked`,
    };
  }
}

function findRunning(history: Release[], digest: string): Release | undefined {
  return (
    history.find(
      r =>
        r.imageRef &&
        splitImageRef(r.imageRef)?.digest === digest &&
        ['healthy', 'progressing', 'degraded', 'rolled-back'].includes(
          r.status,
        ),
    ) ??
    history.find(
      r => r.imageRef && splitImageRef(r.imageRef)?.digest === digest,
    )
  );
}
