import { Project } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { ClaimedRelease, StepWrite } from '../database/ReleaseWorkStore';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { ReleaseGates } from '../gates/ReleaseGates';
import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';

/** How long the orchestrator waits and gives up; `autonomous.orchestrator.*` in config. */
export interface OrchestratorSettings {
  /** False on replicas that should serve the API only and never move releases. */
  enabled: boolean;
  /** How often the scheduled task looks for due releases, and how often a stage is polled. */
  pollIntervalMs: number;
  /** How long a backend holds a release it works on before another may take it over. */
  leaseMs: number;
  /** Releases claimed per round and worked on at once. */
  batchSize: number;
  concurrency: number;
  /** How long upstream failures are retried (with backoff) before the release fails. */
  retryWindowMs: number;
  maxBackoffMs: number;
  buildTimeoutMs: number;
  syncTimeoutMs: number;
  rolloutTimeoutMs: number;
}

export const DEFAULT_ORCHESTRATOR_SETTINGS: OrchestratorSettings = {
  enabled: true,
  pollIntervalMs: 5_000,
  leaseMs: 120_000,
  batchSize: 100,
  concurrency: 16,
  retryWindowMs: 180_000,
  maxBackoffMs: 30_000,
  buildTimeoutMs: 60 * 60_000,
  syncTimeoutMs: 10 * 60_000,
  rolloutTimeoutMs: 15 * 60_000,
};

/** What a stage needs to act on one release. */
export interface StageContext {
  claimed: ClaimedRelease;
  project: Project;
  entity: Entity;
  /** Clients without a read cache: every read is fresh. */
  clients: UpstreamClients;
  /** Which upstream objects the entity may act on: checked before every write. */
  bindings: UpstreamBindings;
  settings: OrchestratorSettings;
  /** The environment's health gates; without it a release is healthy once its rollout is. */
  gates?: ReleaseGates;
  now(): Date;
  /** Throws (LeaseLostError) unless this worker still holds the release's lease. */
  assertLease(): Promise<void>;
  blockers(): Promise<Release[]>;
  findReleases(filter: {
    environment: string;
    after?: string;
  }): Promise<Release[]>;
}

/** A stage's decision; `continue` runs the next stage at once under the same lease. */
export type StageResult = StepWrite & {
  continue?: boolean;
  /**
   * With a move to degraded: whether to roll back at once, whatever the entity's
   * `autonomous.dev/auto-rollback` says (a failed health gate follows its environment's switch).
   */
  autoRollback?: boolean;
  /** Why the rollback release exists, as its reason shows; default: the release turned Degraded. */
  rollbackReason?: string;
  /** What the project's owners are told about this step (a failed health gate). */
  notify?: { title: string; description: string };
  /**
   * What a page shows of the release besides its status (its Rollout's step, weight, pause and
   * phase; its gates' samples and verdicts), as one comparable string: the page is told when it
   * differs from the last one, not on every poll.
   */
  observed?: string;
};
