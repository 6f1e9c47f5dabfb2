import {
  isTerminalReleaseStatus,
  Project,
  Release,
  ReleaseStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  UpstreamClients,
  UpstreamError,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { ReleaseGates } from '../gates/ReleaseGates';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import {
  ClaimedRelease,
  LeaseLostError,
  ReleaseWorkStore,
} from '../database/ReleaseWorkStore';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { buildingStage, queuedStage } from './buildStages';
import { builtStage, progressingStage, syncingStage } from './deployStages';
import { planAutomaticRollback, rollingBackStage } from './rollbackStages';
import { runLimited } from './runLimited';
import { TurnLoop } from './TurnLoop';
import { OrchestratorSettings, StageContext, StageResult } from './types';

export interface OrchestratorOptions {
  work: ReleaseWorkStore;
  releases: DatabaseReleaseStore;
  /** Clients without a read cache. */
  clients: UpstreamClients;
  /** The project and entity of a release, read with the backend's own credentials. */
  resolveProject(
    entityRef: string,
  ): Promise<{ project: Project; entity: Entity }>;
  settings: OrchestratorSettings;
  logger: LoggerService;
  /** Which upstream objects an entity may act on; default: only those that claim it. */
  bindings?: UpstreamBindings;
  /** Environments' health gates, evaluated after each rollout; without it none are. */
  gates?: ReleaseGates;
  /** Tells a project's owners of a failed health gate: the notifications plugin's service. */
  notifier?: ReleaseNotifier;
  /**
   * Called after every move of a release, with its project when it could be read: to drop
   * the shared reads the move made stale, then to tell the pages.
   */
  onChange?(
    release: Release,
    resolved?: { project: Project; entity: Entity },
  ): void | Promise<void>;
  now?: () => Date;
}

/** `@backstage/plugin-notifications-node`'s NotificationService, as far as it is used here. */
export interface ReleaseNotifier {
  send(options: {
    recipients: { type: 'entity'; entityRef: string | string[] };
    payload: {
      title: string;
      description?: string;
      link?: string;
      severity?: 'critical' | 'high' | 'normal' | 'low';
      topic?: string;
      scope?: string;
    };
  }): Promise<void>;
}

const STAGES: Partial<
  Record<ReleaseStatus, (ctx: StageContext) => Promise<StageResult>>
> = {
  queued: queuedStage,
  building: buildingStage,
  built: builtStage,
  syncing: syncingStage,
  progressing: progressingStage,
  'rolling-back': rollingBackStage,
};

/** Most stages a release goes through in one turn before others get theirs. */
const MAX_STEPS_PER_TURN = 8;

function isRetryable(e: unknown): boolean {
  if (e instanceof UpstreamError) return e.retryable;
  const name = (e as { name?: string })?.name;
  return !['NotFoundError', 'InputError', 'NotAllowedError'].includes(
    name ?? '',
  );
}

/**
 * Moves releases stage by stage. Any backend may run a turn at any time: releases are claimed
 * with a lease and every write is guarded by it, so a release is never moved twice, and one
 * whose backend died is taken over once its lease expires.
 */
export class ReleaseOrchestrator {
  private readonly now: () => Date;
  private readonly loop: TurnLoop;
  private readonly bindings: UpstreamBindings;
  /**
   * What each release in flight last looked like to its page besides its status (`observed`).
   * Kept in memory: a release another backend takes over is announced once more there.
   */
  private readonly observed = new Map<string, string>();

  constructor(private readonly options: OrchestratorOptions) {
    this.bindings = options.bindings ?? new UpstreamBindings();
    this.now = options.now ?? (() => new Date());
    this.loop = new TurnLoop({
      name: 'Release orchestrator',
      logger: options.logger,
      turn: loop => this.turn(loop),
      nextDue: () => options.work.nextDue(),
      pollIntervalMs: options.settings.pollIntervalMs,
      now: this.now,
    });
  }

  /** One turn: claim due releases in batches and move each as far as it can go now. */
  tick(): Promise<number> {
    return this.loop.tick();
  }

  /** Makes matching releases due and runs a turn at once (an upstream or API said something changed). */
  async wake(
    filter: Parameters<ReleaseWorkStore['wake']>[0] = {},
  ): Promise<void> {
    if (Object.keys(filter).length) await this.options.work.wake(filter);
    this.soon(0);
  }

  stop(): void {
    this.loop.stop();
  }

  private soon(ms: number) {
    this.loop.soon(ms);
  }

  private async turn(loop: TurnLoop): Promise<number> {
    const { work, settings } = this.options;
    const projects = new Map<
      string,
      Promise<{ project: Project; entity: Entity }>
    >();
    let total = 0;
    const started = Date.now();
    for (;;) {
      const claimed = await work.claimDue(settings.batchSize, settings.leaseMs);
      total += claimed.length;
      await runLimited(claimed, settings.concurrency, c =>
        this.process(c, projects).catch(e =>
          this.options.logger.error(
            `Release ${c.release.id}: could not record a step: ${e}`,
          ),
        ),
      );
      // Bounded turns: what is still due is taken by the follow-up turn, and wakes that came
      // meanwhile get their turn instead of waiting behind a long backlog.
      if (
        claimed.length < settings.batchSize ||
        loop.stopped ||
        Date.now() - started > settings.pollIntervalMs
      ) {
        break;
      }
    }
    return total;
  }

  private async process(
    claimed: ClaimedRelease,
    projects: Map<string, Promise<{ project: Project; entity: Entity }>>,
  ): Promise<void> {
    const { work } = this.options;
    let current: ClaimedRelease | undefined = claimed;
    for (let step = 0; current && step < MAX_STEPS_PER_TURN; step++) {
      const ctx = this.context(current);
      let result: StageResult;
      let resolved: { project: Project; entity: Entity } | undefined;
      try {
        resolved = await this.project(current.release.entityRef, projects);
        const stage = STAGES[current.release.status];
        if (!stage) {
          await work.write(current, {});
          return;
        }
        result = await stage({ ...ctx, ...resolved });
        if (current.progress.attempts > 0 || current.progress.lastError) {
          result.progress = {
            ...result.progress,
            attempts: 0,
            failingSince: undefined,
            lastError: undefined,
          };
        }
      } catch (e) {
        // Another worker took the release over: it carries on, this one writes nothing.
        if (e instanceof LeaseLostError) return;
        result = this.onError(current, e);
      }
      let notify = result.notify;
      if (
        result.to === 'degraded' &&
        resolved &&
        (result.autoRollback ?? resolved.project.autoRollback)
      ) {
        const plan = await planAutomaticRollback(
          { ...ctx, ...resolved },
          result.rollbackReason,
        ).catch(e => ({
          note: `Could not plan the automatic rollback: ${e}`,
          then: undefined,
          target: undefined,
        }));
        result = plan.then
          ? { ...result, then: plan.then, nextCheckInMs: 0 }
          : {
              ...result,
              // A failed gate with nothing to go back to ends the release; a Degraded one
              // stays for ArgoCD to heal or a person to act on.
              to: result.autoRollback ? 'failed' : result.to,
              message: `${result.message ?? ''}. ${plan.note}`,
            };
        if (notify) {
          notify = {
            ...notify,
            description: `${notify.description}. ${
              plan.then
                ? `Rolling back automatically to #${plan.target?.number} (${plan.target?.version}).`
                : plan.note
            }`,
          };
        }
      }
      // Before the write: a backend killed between the two tells the owners again on the next
      // turn, and the notification's scope makes that an update of the same notification.
      if (notify) await this.notify(current.release, notify);
      const last = step === MAX_STEPS_PER_TURN - 1;
      const goOn = result.continue && !last;
      const written: ClaimedRelease | undefined = await work.write(current, {
        ...result,
        keepLease: goOn,
      });
      if (!written) return; // cancelled or taken over meanwhile
      this.changed(current.release, written.release, resolved, result.observed);
      if (result.then) {
        this.soon(0);
        return;
      }
      if (!goOn) {
        if (result.nextCheckInMs !== undefined) this.soon(result.nextCheckInMs);
        return;
      }
      current = written;
    }
  }

  private changed(
    before: Release,
    after: Release,
    resolved?: { project: Project; entity: Entity },
    observed?: string,
  ) {
    const moved = before.status !== after.status;
    const seen = this.observed.get(after.id);
    if (moved || isTerminalReleaseStatus(after.status)) {
      this.observed.delete(after.id);
    }
    if (observed !== undefined && !isTerminalReleaseStatus(after.status)) {
      this.observed.set(after.id, observed);
    }
    // A Rollout that advanced, a gate sample or verdict: the page reads the release again.
    const looksDifferent = observed !== undefined && observed !== seen;
    if (!moved && !looksDifferent) return;
    Promise.resolve(this.options.onChange?.(after, resolved)).catch(e =>
      this.options.logger.warn(`Release ${after.id}: announcing failed: ${e}`),
    );
    if (!moved) return;
    if (
      isTerminalReleaseStatus(after.status) ||
      after.status === 'degraded' ||
      after.status === 'rolling-back'
    ) {
      // The next queued release of the environment may go now.
      this.wake({
        entityRef: after.entityRef,
        environment: after.environment,
      }).catch(e => this.options.logger.warn(`wake failed: ${e}`));
    }
  }

  private async notify(
    release: Release,
    message: { title: string; description: string },
  ) {
    const { notifier, logger } = this.options;
    if (!notifier) return;
    const ref = parseEntityRef(release.entityRef);
    await notifier
      .send({
        recipients: { type: 'entity', entityRef: release.entityRef },
        payload: {
          ...message,
          link: `/catalog/${ref.namespace}/${ref.kind.toLocaleLowerCase(
            'en-US',
          )}/${ref.name}`,
          severity: 'high',
          topic: `releases:${release.environment}`,
          scope: `autonomous:release-gate:${release.id}`,
        },
      })
      .catch(e =>
        logger.warn(
          `Release ${release.id}: could not notify the owners of ${release.entityRef}: ${e}`,
        ),
      );
  }

  private onError(current: ClaimedRelease, e: unknown): StageResult {
    const message = e instanceof Error ? e.message : String(e);
    if (!isRetryable(e)) return { to: 'failed', message };
    const now = this.now();
    const failingSince = current.progress.failingSince ?? now.toISOString();
    const attempts = current.progress.attempts + 1;
    const failingMs = now.getTime() - Date.parse(failingSince);
    if (failingMs > this.options.settings.retryWindowMs) {
      return {
        to: 'failed',
        message: `Gave up after ${attempts} attempts over ${Math.round(
          failingMs / 1000,
        )} s: ${message}`,
      };
    }
    this.options.logger.warn(
      `Release ${current.release.id} (${current.release.status}): attempt ${attempts} failed: ${message}`,
    );
    return {
      progress: { attempts, failingSince, lastError: message },
      note: attempts === 1 ? `Retrying with backoff: ${message}` : undefined,
      nextCheckInMs: Math.min(
        this.options.settings.maxBackoffMs,
        1_000 * 2 ** (attempts - 1),
      ),
    };
  }

  private project(
    entityRef: string,
    projects: Map<string, Promise<{ project: Project; entity: Entity }>>,
  ) {
    let found = projects.get(entityRef);
    if (!found) {
      found = this.options.resolveProject(entityRef);
      projects.set(entityRef, found);
      found.catch(() => projects.delete(entityRef));
    }
    return found;
  }

  private context(
    claimed: ClaimedRelease,
  ): Omit<StageContext, 'project' | 'entity'> {
    const { work, clients, settings } = this.options;
    const { release } = claimed;
    return {
      claimed,
      clients,
      bindings: this.bindings,
      settings,
      gates: this.options.gates,
      now: this.now,
      assertLease: () => work.assertLease(claimed),
      blockers: () => work.blockersOf(release),
      findReleases: ({ environment, after }) =>
        work.environmentHistory(release.entityRef, environment, {
          afterId: after,
        }),
    };
  }
}
