import {
  Environment,
  EnvironmentStatus,
  Project,
  ProjectStatus,
  Release,
  RunningStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  ArgoCdApplication,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { splitImageRef, workloadOf } from '../upstreamObjects';
import { deployableEnvironment } from './deployableEnvironment';
import { UpstreamBindings } from './UpstreamBindings';

type Resolved = { project: Project; entity: Entity };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One sentence that says what the last release did and what is actually serving. */
export function summarize(status: Omit<EnvironmentStatus, 'summary'>): string {
  const { lastRelease, runningRelease, running } = status;
  const ready = running
    ? ` (${running.readyReplicas}/${running.desiredReplicas} ready)`
    : '';
  let serving = 'nothing could be read from the cluster';
  if (runningRelease) serving = `${runningRelease.version} is serving${ready}`;
  else if (running) {
    serving = `an image no release of this portal deployed is serving${ready}`;
  }
  if (!lastRelease) return `No release yet; ${serving}`;
  if (lastRelease.id === runningRelease?.id) {
    return lastRelease.status === 'healthy'
      ? `${lastRelease.version} is live${ready}`
      : `${lastRelease.version} is ${lastRelease.status}${ready}`;
  }
  return `Release ${lastRelease.version} is ${lastRelease.status}; ${serving}`;
}

/** Deployment status and running status per environment, and the ArgoCD actions. */
export class EnvironmentService {
  constructor(
    private readonly clients: UpstreamClients,
    private readonly work: ReleaseWorkStore,
    private readonly bindings: UpstreamBindings = new UpstreamBindings(),
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
    };
    return { ...status, summary: summarize(status) };
  }

  async sync(resolved: Resolved, envName: string) {
    const { entity } = resolved;
    const env = await this.bound(resolved, envName);
    await this.clients
      .forEntity('argocd', entity)
      .sync(env.argocdApplication, { prune: true });
    return { message: `ArgoCD is syncing ${env.argocdApplication}` };
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
