import {
  EnvironmentRollout,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
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
    return {
      message: `${describe(
        target,
      )} aborted: traffic goes back to the stable revision ${
        view.stableRevision ?? ''
      }`.trim(),
      rollout: rolloutView(envName, after),
    };
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
