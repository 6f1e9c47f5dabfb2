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
import { DriftStore } from '../database/DriftStore';
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
    const message = `Drift: ${argocdApplication} is OutOfSync with no release in flight${
      resources.length ? `: ${describeDrift(resources)}` : ''
    }`;
    const since = await this.begin(input, message);
    return { ...base, drifted: true, since, resources };
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
    if (first && newest) onChange?.(newest);
    return since;
  }

  private async end(input: DriftCheck) {
    const { store, onChange } = this.deps;
    if (!store) return;
    const ended = await store.close(
      input.entityRef,
      input.environment,
      `Drift ended: ${input.argocdApplication} is in sync with Git again`,
    );
    if (ended && input.history[0]) onChange?.(input.history[0]);
  }
}
