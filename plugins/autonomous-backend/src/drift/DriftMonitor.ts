import {
  EnvironmentDrift,
  isReleaseInFlight,
  Release,
  releaseLabel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  ArgoCdApplication,
  ArgoCdClient,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { LoggerService } from '@backstage/backend-plugin-api';
import { DriftStore, SyncRequest } from '../database/DriftStore';
import type { ReleaseNotifier } from '../orchestrator/ReleaseOrchestrator';
import { correctedBy } from './correctedBy';
import { describeDrift, driftedResources } from './driftDiff';

/** What one drift check looks at. */
export interface DriftCheck {
  argocd: Pick<ArgoCdClient, 'getManagedResources'>;
  entityRef: string;
  environment: string;
  argocdApplication: string;
  app: ArgoCdApplication;
  /** The environment's releases, newest first. */
  history: Release[];
}

/**
 * Drift: the environment's ArgoCD application is OutOfSync while no release is in flight, so the
 * cluster no longer matches Git for a reason no release explains (a hand edit, an operator, a
 * change in Git with automated sync suspended). Each check reads ArgoCD's comparison; the first
 * check that sees an episode writes it in the release history and tells the page, and so does
 * the first one that sees the application in sync again.
 */
export class DriftMonitor {
  constructor(
    private readonly deps: {
      /** Without a store drift is reported but neither remembered nor written in the history. */
      store?: DriftStore;
      /** Tells the entity's readers that a release's history changed. */
      onChange?: (release: Release) => void;
      /**
       * Tells the project's owners when a drift is detected (`autonomous.drift.notify`); one
       * notification per environment, updated by the next episode rather than repeated.
       */
      notifier?: ReleaseNotifier;
      logger?: LoggerService;
    } = {},
  ) {}

  async check(input: DriftCheck): Promise<EnvironmentDrift> {
    const { app, history, environment, argocdApplication } = input;
    const base = { environment, argocdApplication, drifted: false };
    const inFlight = history.find(r => isReleaseInFlight(r.status));
    if (inFlight) {
      return {
        ...base,
        notChecked: `release ${releaseLabel(inFlight)} is ${
          inFlight.status
        }: a difference from Git is expected until it ends`,
        resources: [],
      };
    }
    if (app.status?.operationState?.phase === 'Running') {
      return {
        ...base,
        notChecked: `ArgoCD is syncing ${argocdApplication}`,
        resources: [],
      };
    }
    const sync = app.status?.sync?.status;
    if (sync === 'Synced') {
      await this.end(input);
      return { ...base, resources: [] };
    }
    if (sync !== 'OutOfSync') {
      return {
        ...base,
        notChecked: `ArgoCD reports the sync status of ${argocdApplication} as ${
          sync ?? 'unknown'
        }`,
        resources: [],
      };
    }
    const resources = driftedResources(
      await input.argocd.getManagedResources(argocdApplication),
    );
    const differs = resources.length ? `: ${describeDrift(resources)}` : '';
    const message = `Drift detected: ${argocdApplication} is OutOfSync with no release in flight${differs}`;
    const since = await this.begin(input, message);
    return { ...base, drifted: true, since, resources };
  }

  /**
   * Remembers that a person asked the portal for a sync of the environment, just before it
   * asked ArgoCD, so the drift it corrects names them rather than the portal's ArgoCD account.
   */
  async syncRequested(
    entityRef: string,
    environment: string,
    request: SyncRequest,
  ): Promise<void> {
    await this.deps.store?.recordSyncRequest(entityRef, environment, request);
  }

  private async begin(input: DriftCheck, message: string) {
    const { store, onChange } = this.deps;
    if (!store) return undefined;
    const newest = input.history[0];
    const { since, first } = await store.open(
      input.entityRef,
      input.environment,
      { releaseId: newest?.id, message },
    );
    if (first) {
      if (newest) onChange?.(newest);
      await this.notify(input, message);
    }
    return since;
  }

  private async end(input: DriftCheck) {
    const { store, onChange } = this.deps;
    if (!store) return;
    // Every read of an environment in sync lands here: one indexed read when nothing is open.
    const episode = await store.episode(input.entityRef, input.environment);
    if (!episode) return;
    const syncRequest = await store.lastSyncRequest(
      input.entityRef,
      input.environment,
    );
    const by = correctedBy(input.app, input.history, episode, syncRequest);
    const ended = await store.close(
      input.entityRef,
      input.environment,
      `Drift corrected ${by}: ${input.argocdApplication} is in sync with Git again`,
    );
    if (ended && input.history[0]) onChange?.(input.history[0]);
  }

  private async notify(input: DriftCheck, message: string) {
    const { notifier, logger } = this.deps;
    if (!notifier) return;
    const ref = parseEntityRef(input.entityRef);
    await notifier
      .send({
        recipients: { type: 'entity', entityRef: input.entityRef },
        payload: {
          title: `${input.environment} of ${ref.name} drifted from Git`,
          description: message,
          link: `/catalog/${ref.namespace}/${ref.kind.toLocaleLowerCase(
            'en-US',
          )}/${ref.name}/autonomous`,
          severity: 'normal',
          topic: `drift:${input.environment}`,
          // One per environment: the next episode updates it instead of adding another.
          scope: `autonomous:drift:${input.entityRef}:${input.environment}`,
        },
      })
      .catch(e =>
        logger?.warn(
          `Drift of ${input.entityRef} ${input.environment}: could not notify its owners: ${e}`,
        ),
      );
  }
}
