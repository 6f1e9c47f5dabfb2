import {
  EnvironmentRollout,
  Project,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { deployableEnvironment } from '../service/deployableEnvironment';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { rolloutOf } from '../upstreamObjects';
import { rollingView, rolloutView } from './rolloutView';

type Resolved = { project: Project; entity: Entity };

export { rolloutOf };

/**
 * An environment's progressive delivery: reads the Rollout its ArgoCD application renders and
 * promotes or aborts it as `kubectl argo rollouts` would. Actions read the Rollout fresh and
 * refuse (409) what would do nothing, with the reason the page also shows.
 */
export class RolloutService {
  constructor(
    private readonly deps: {
      /** Cached clients for reads. */
      clients: UpstreamClients;
      /** Uncached clients for actions: they decide on what the cluster says now. */
      freshClients: UpstreamClients;
      bindings?: UpstreamBindings;
      /**
       * The releases: a promote or abort is written in the history of the release being
       * rolled out, which the release drawer shows next to the orchestrator's own steps.
       */
      releases?: {
        findInFlight(
          entityRef: string,
          environment: string,
        ): Promise<Release[]>;
        recordNote(id: string, message: string): Promise<Release | undefined>;
      };
      /** Tells the entity's readers that a release's history changed. */
      onChange?: (release: Release) => void;
      logger?: LoggerService;
    },
  ) {}

  async get(resolved: Resolved, envName: string): Promise<EnvironmentRollout> {
    const located = await this.locate(this.deps.clients, resolved, envName);
    return located.view;
  }

  async promote(
    resolved: Resolved,
    envName: string,
    options: { full?: boolean } = {},
    actor?: string,
  ): Promise<{ message: string; rollout: EnvironmentRollout }> {
    const { view, target } = await this.locate(
      this.deps.freshClients,
      resolved,
      envName,
      true,
    );
    if (!target) throw new ConflictError(view.promote.reason);
    if (options.full ? !view.inProgress : !view.promote.possible) {
      throw new ConflictError(
        view.promote.reason ??
          `${describe(target)} is fully promoted: nothing to promote`,
      );
    }
    // Through the page's cached clients: the write drops their cached read of the Rollout, so
    // the next poll does not show the step before the promote.
    const after = await this.writer(resolved).rollouts.promote(
      target.namespace,
      target.name,
      options,
    );
    const next = rolloutView(envName, after);
    await this.recordOnRelease(
      resolved,
      envName,
      actor,
      options.full
        ? `promoted ${describe(target)} fully${atStep(
            view,
          )}, past its remaining steps`
        : `promoted ${describe(target)}${atStep(view)}`,
    );
    return {
      message: options.full
        ? `${describe(
            target,
          )} is being promoted fully, past its remaining steps`
        : `${describe(target)} promoted${
            view.steps.length && view.currentStepIndex !== undefined
              ? ` past step ${view.currentStepIndex + 1} of ${
                  view.steps.length
                }`
              : ''
          }`,
      rollout: next,
    };
  }

  async abort(
    resolved: Resolved,
    envName: string,
    actor?: string,
  ): Promise<{ message: string; rollout: EnvironmentRollout }> {
    const { view, target } = await this.locate(
      this.deps.freshClients,
      resolved,
      envName,
      true,
    );
    if (!target || !view.abort.possible) {
      throw new ConflictError(view.abort.reason);
    }
    const after = await this.writer(resolved).rollouts.abort(
      target.namespace,
      target.name,
    );
    const stable = `traffic goes back to the stable revision ${
      view.stableRevision ?? ''
    }`.trim();
    await this.recordOnRelease(
      resolved,
      envName,
      actor,
      `aborted ${describe(target)}${atStep(view)}: ${stable}`,
    );
    return {
      message: `${describe(target)} aborted: ${stable}`,
      rollout: rolloutView(envName, after),
    };
  }

  /**
   * Writes what a person did to the Rollout in the history of the release being rolled out
   * (the environment's release that is syncing or progressing) and tells the page. A Rollout
   * no release of the portal started has no such release: the audit log alone records it.
   * The action has happened by then, so a failure here is logged rather than answered: a
   * person who saw an error would promote a second time.
   */
  private async recordOnRelease(
    { project }: Resolved,
    envName: string,
    actor: string | undefined,
    what: string,
  ) {
    const { releases, onChange, logger } = this.deps;
    if (!releases || !actor) return;
    try {
      const inFlight = await releases.findInFlight(project.entityRef, envName);
      const rollingOut =
        inFlight.filter(r => r.status === 'progressing').pop() ??
        inFlight.filter(r => r.status === 'syncing').pop();
      if (!rollingOut) return;
      const written = await releases.recordNote(
        rollingOut.id,
        `${actor} ${what}`,
      );
      if (written) onChange?.(written);
    } catch (e) {
      logger?.warn(
        `${actor} ${what} in ${envName} of ${project.entityRef}, but it could not be written in the release history: ${e}`,
      );
    }
  }

  private writer({ entity }: Resolved) {
    return this.deps.clients.forEntity('kubernetes', entity);
  }

  private async locate(
    clients: UpstreamClients,
    { project, entity }: Resolved,
    envName: string,
    forWrite = false,
  ) {
    const env = deployableEnvironment(project, envName);
    const app = forWrite
      ? await (this.deps.bindings ?? new UpstreamBindings()).boundApplication(
          clients,
          entity,
          env.argocdApplication,
        )
      : await clients
          .forEntity('argocd', entity)
          .getApplication(env.argocdApplication);
    const kubernetes = clients.forEntity('kubernetes', entity);
    const target = rolloutOf(app);
    if (!target) return { view: rollingView(env.name), kubernetes, target };
    const ro = await kubernetes.rollouts.getRollout(
      target.namespace,
      target.name,
    );
    if (!ro) {
      throw new NotFoundError(
        `${describe(target)} is in ArgoCD's resources of ${
          env.argocdApplication
        } but not in the cluster: sync the environment to create it`,
      );
    }
    return { view: rolloutView(env.name, ro), kubernetes, target };
  }
}

function describe(target: { namespace: string; name: string }) {
  return `rollout ${target.name} in ${target.namespace}`;
}

/** Where the Rollout stood when a person acted, e.g. ` at step 2 of 4 (pause, canary at 20%)`. */
function atStep(view: EnvironmentRollout): string {
  const index = view.currentStepIndex;
  if (
    view.strategy === 'canary' &&
    index !== undefined &&
    index < view.steps.length
  ) {
    const weight = view.weights ? `, canary at ${view.weights.canary}%` : '';
    return ` at step ${index + 1} of ${view.steps.length} (${
      view.steps[index].label
    }${weight})`;
  }
  if (view.strategy === 'blueGreen' && view.blueGreen) {
    return ` at the blue/green preview (revision ${
      view.blueGreen.previewRevision ?? view.currentRevision ?? 'unknown'
    }, ${view.blueGreen.activeService} on ${
      view.blueGreen.activeRevision ?? 'the old revision'
    })`;
  }
  return '';
}
