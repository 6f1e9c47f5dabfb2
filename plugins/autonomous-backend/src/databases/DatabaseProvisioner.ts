import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  UpstreamClients,
  UpstreamError,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ClaimedDatabase,
  DatabaseStepWrite,
  DatabaseWorkStore,
  WORK_STEPS,
  WorkStep,
} from '../database/DatabaseWorkStore';
import { runLimited } from '../orchestrator/runLimited';
import { TurnLoop } from '../orchestrator/TurnLoop';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { DatabaseBackupHooks } from './backupHooks';
import { DELETE_STEPS } from './deleteSteps';
import { instanceNames } from './names';
import { PROVISION_STEPS } from './provisionSteps';
import { DatabaseSettings } from './settings';
import { StepContext, StepDefinition, StepResult, StepTable } from './types';

const STEPS: StepTable = { ...PROVISION_STEPS, ...DELETE_STEPS };
const PROVISION_ORDER: WorkStep[] = [
  'namespace',
  'credentials',
  'secret',
  'application',
  'readiness',
  'users',
  'restore',
  'profile',
];

export interface DatabaseProvisionerOptions {
  work: DatabaseWorkStore;
  /** Clients without a read cache: each check must see the cluster as it is. */
  clients: UpstreamClients;
  settings: DatabaseSettings;
  logger: LoggerService;
  /** The instance's entity, read with the backend's own credentials. */
  entity(entityRef: string): Promise<Entity | undefined>;
  bindings?: UpstreamBindings;
  /** The backups module's side of final backups and restores; without it neither can run. */
  hooks?: DatabaseBackupHooks;
  /** After every write, to tell the pages. */
  onChange?(instance: DatabaseInstance): void;
  now?: () => Date;
}

const MAX_STEPS_PER_TURN = 12;
const BATCH = 20;
const CONCURRENCY = 4;

function isRetryable(e: unknown): boolean {
  if (e instanceof UpstreamError) return e.retryable;
  const name = (e as { name?: string })?.name;
  return !['NotFoundError', 'InputError', 'NotAllowedError'].includes(
    name ?? '',
  );
}

/**
 * Provisions and deletes databases step by step. Any backend may run a turn at any time:
 * instances are claimed with a lease and every write is guarded by it, so no step's outcome
 * is written twice, and each step's effect is idempotent (Vault written once by check-and-set,
 * the ArgoCD application upserted, the Job got or created by name), so a backend killed in the
 * middle of one leaves the next holder of the lease to finish it with one of everything.
 */
export class DatabaseProvisioner {
  private readonly now: () => Date;
  private readonly bindings: UpstreamBindings;
  private readonly loop: TurnLoop;

  constructor(private readonly options: DatabaseProvisionerOptions) {
    this.now = options.now ?? (() => new Date());
    this.bindings = options.bindings ?? new UpstreamBindings();
    this.loop = new TurnLoop({
      name: 'Database provisioning',
      logger: options.logger,
      turn: loop => this.turn(loop),
      nextDue: () => options.work.nextDue(),
      pollIntervalMs: options.settings.pollIntervalMs,
      now: this.now,
    });
  }

  tick(): Promise<number> {
    return this.loop.tick();
  }

  /** Something changed (an instance was accepted or asked to go): run a turn now. */
  wake(): void {
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
    let total = 0;
    for (;;) {
      const claimed = await work.claimDue(BATCH, settings.leaseMs);
      total += claimed.length;
      await runLimited(claimed, CONCURRENCY, c =>
        this.process(c).catch(e =>
          this.options.logger.error(
            `Database ${c.instance.name}: could not record a step: ${e}`,
          ),
        ),
      );
      if (claimed.length < BATCH || loop.stopped) break;
    }
    return total;
  }

  private async write(
    claimed: ClaimedDatabase,
    step: DatabaseStepWrite,
  ): Promise<ClaimedDatabase | undefined> {
    const written = await this.options.work.write(claimed, step);
    if (written) this.options.onChange?.(written.instance);
    return written;
  }

  private async context(claimed: ClaimedDatabase): Promise<StepContext> {
    const { instance, progress } = claimed;
    const entity = await this.options.entity(instance.entityRef);
    if (!entity) {
      throw Object.assign(
        new Error(`${instance.entityRef} is no longer in the catalog`),
        { name: 'NotFoundError' },
      );
    }
    const { clients, settings } = this.options;
    return {
      instance,
      progress,
      entity,
      names: instanceNames(instance),
      engine: settings.engines[instance.engine],
      settings,
      kubernetes: clients.forEntity('kubernetes', entity),
      argocd: clients.forEntity('argocd', entity),
      vault: settings.vaultInstance
        ? clients.get('vault', settings.vaultInstance)
        : clients.forEntity('vault', entity),
      bindings: this.bindings,
      hooks: this.options.hooks,
      now: this.now(),
    };
  }

  /** The step after `step` that applies to the instance; undefined after the last. */
  private nextStep(
    step: WorkStep,
    ctx: Pick<StepContext, 'instance' | 'progress'>,
  ): WorkStep | undefined {
    if (step === 'final-backup') return 'remove';
    if (step === 'remove') return undefined;
    for (const next of PROVISION_ORDER.slice(
      PROVISION_ORDER.indexOf(step) + 1,
    )) {
      if (STEPS[next].applies?.(ctx) ?? true) return next;
    }
    return undefined;
  }

  private async process(claimed: ClaimedDatabase): Promise<void> {
    let current: ClaimedDatabase | undefined = claimed;
    for (let n = 0; current && n < MAX_STEPS_PER_TURN; n++) {
      const step = current.progress.step;
      if (!step || !WORK_STEPS.includes(step)) {
        await this.write(current, { step: null });
        return;
      }
      const definition = STEPS[step];
      const held: ClaimedDatabase = current;
      let result: StepResult;
      try {
        const ctx = await this.context(held);
        if (!held.progress.stepStartedAt) {
          // The start is written before the step acts, so the timeline shows what is going on.
          current = await this.write(held, {
            to: definition.status,
            events: [
              {
                step: definition.event,
                status: 'started',
                message: definition.starting(ctx),
              },
            ],
            stepStarted: true,
            keepLease: true,
          });
          continue;
        }
        result = await definition.run(ctx);
      } catch (e) {
        await this.failedAttempt(held, definition, e);
        return;
      }
      current = await this.record(held, step, definition, result);
      if (current && !('done' in result)) return;
    }
    // Steps left for the next turn: give the lease back, due at once.
    if (current) await this.write(current, { nextCheckInMs: 0 });
  }

  private async record(
    current: ClaimedDatabase,
    step: WorkStep,
    definition: StepDefinition,
    result: StepResult,
  ): Promise<ClaimedDatabase | undefined> {
    const reset = {
      attempts: 0,
      failingSince: undefined,
      lastError: undefined,
    };
    if ('wait' in result) {
      return this.write(current, {
        nextCheckInMs: result.wait,
        progress: { ...reset, ...result.remember },
      });
    }
    if ('fail' in result) {
      this.options.logger.warn(
        `Database ${current.instance.name}: ${definition.event} failed: ${result.fail}`,
      );
      const deleting = current.instance.status === 'deleting';
      return this.write(current, {
        // A delete that cannot go on leaves the database as it was, nothing removed.
        to: deleting && current.instance.connection ? 'ready' : 'failed',
        statusMessage: `${definition.event} failed: ${result.fail}`,
        events: [
          { step: definition.event, status: 'failed', message: result.fail },
        ],
        step: null,
        progress: reset,
      });
    }
    this.options.logger.info(
      `Database ${current.instance.name}: ${definition.event} succeeded: ${result.done}`,
    );
    const next = this.nextStep(step, current);
    const events: DatabaseStepWrite['events'] = [
      { step: definition.event, status: 'succeeded', message: result.done },
    ];
    if (next) {
      return this.write(current, {
        events,
        step: next,
        connection: result.connection,
        progress: reset,
        keepLease: true,
      });
    }
    const deleting = current.instance.status === 'deleting';
    events.push(
      deleting
        ? {
            step: 'deleted',
            status: 'succeeded',
            message: `${current.instance.name} is deleted; its backups are kept`,
          }
        : {
            step: 'ready',
            status: 'succeeded',
            message: `${current.instance.name} is ready`,
          },
    );
    return this.write(current, {
      to: deleting ? 'deleted' : 'ready',
      events,
      step: null,
      connection: result.connection,
      progress: reset,
    });
  }

  /** An error thrown by a step: retried within the window when it may pass, else the step fails. */
  private async failedAttempt(
    current: ClaimedDatabase,
    definition: StepDefinition,
    e: unknown,
  ): Promise<ClaimedDatabase | undefined> {
    const message = e instanceof Error ? e.message : String(e);
    const now = this.now();
    const since = current.progress.failingSince ?? now.toISOString();
    const window = this.options.settings.retryWindowMs;
    if (isRetryable(e) && now.getTime() - Date.parse(since) < window) {
      const attempts = current.progress.attempts + 1;
      return this.write(current, {
        nextCheckInMs: Math.min(30_000, 500 * 2 ** Math.min(attempts, 6)),
        progress: { attempts, failingSince: since, lastError: message },
      });
    }
    return this.record(current, current.progress.step!, definition, {
      fail: isRetryable(e)
        ? `gave up after ${Math.round(window / 1000)} s of errors: ${message}`
        : message,
    });
  }
}
