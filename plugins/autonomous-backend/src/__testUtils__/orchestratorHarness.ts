import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseReleaseStore, NewRelease } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { ReleaseOrchestrator } from '../orchestrator/ReleaseOrchestrator';
import {
  DEFAULT_ORCHESTRATOR_SETTINGS,
  OrchestratorSettings,
} from '../orchestrator/types';
import { SandboxProjects } from './sandboxProject';

/** Short waits so a test sees retries and give-ups in seconds. */
export const FAST_SETTINGS: OrchestratorSettings = {
  ...DEFAULT_ORCHESTRATOR_SETTINGS,
  pollIntervalMs: 100,
  retryWindowMs: 3_000,
  maxBackoffMs: 400,
};

export function newRelease(
  name: string,
  over: Partial<NewRelease> = {},
): NewRelease {
  const n = Math.floor(Math.random() * 1e9);
  return {
    entityRef: `component:default/${name}`,
    environment: 'production',
    version: `v${n}`,
    ref: 'main',
    trigger: 'api',
    requestedBy: 'user:default/owner',
    buildJob: `shop/${name}`,
    argocdApplication: name,
    ...over,
  };
}

/** An in-process orchestrator on a test database and the sandbox, turned by hand. */
export function orchestratorHarness(
  knex: Knex,
  upstream: SandboxProjects,
  settings: Partial<OrchestratorSettings> = {},
) {
  const releases = new DatabaseReleaseStore(knex);
  const orchestrator = new ReleaseOrchestrator({
    work: new ReleaseWorkStore(knex),
    releases,
    clients: upstream.clients,
    resolveProject: ref => upstream.resolve(ref),
    settings: { ...FAST_SETTINGS, ...settings },
    logger: mockServices.logger.mock(),
  });

  /** Runs turns until the release is finished (or settles in `until`). */
  async function drive(id: string, until: string[] = []): Promise<Release> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await orchestrator.tick();
      const release = (await releases.getRelease(id))!;
      if (
        ['healthy', 'failed', 'cancelled', 'rolled-back'].includes(
          release.status,
        ) ||
        until.includes(release.status)
      ) {
        return release;
      }
      if (Date.now() > deadline) throw new Error(`stuck in ${release.status}`);
      await new Promise(r => setTimeout(r, 50));
    }
  }

  async function messages(id: string): Promise<string> {
    const { events } = (await releases.getReleaseWithEvents(id))!;
    return events.map(e => e.message).join('\n');
  }

  return { releases, orchestrator, drive, messages };
}
