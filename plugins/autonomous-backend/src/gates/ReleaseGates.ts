import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  PrometheusClient,
  UpstreamError,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { HealthGateStore } from '../database/HealthGateStore';
import { GateCheckStore, StepGateStore } from './StepGateStore';
import { renderGateQuery } from './template';
import { conditionOf, GateSample, ReleaseGateCheck, satisfies } from './types';

/** Where a release's gates stand after one evaluation. */
export type GateOutcome =
  /** The environment has no gates: the release is healthy once its rollout is. */
  | { kind: 'none' }
  | {
      kind: 'pending';
      /** Set on the evaluation that started the window: what the timeline says. */
      started?: string;
      nextCheckInMs: number;
      /** How many samples each gate has and its verdict: changes when a chart would. */
      observed: string;
    }
  | { kind: 'passed'; summary: string }
  | {
      kind: 'failed';
      gate: ReleaseGateCheck;
      /** The sentence for the timeline: the gate, its query, the value seen. */
      reason: string;
      autoRollback: boolean;
    };

export interface ReleaseGatesOptions {
  store: HealthGateStore;
  /** The gates judged at the pauses of an Argo Rollouts Rollout. */
  steps: StepGateStore;
  /** The Prometheus of the release's entity (`autonomous.dev/prometheus-instance`). */
  prometheus(entity: Entity): PrometheusClient;
  /** How long Prometheus may fail to answer before a gate fails closed. */
  retryWindowMs: number;
  now: () => Date;
}

const seconds = (ms: number) =>
  ms % 60_000 === 0 && ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`;

function describe(check: ReleaseGateCheck): string {
  return `${check.name} (${conditionOf(check)} for ${seconds(
    check.durationMs,
  )}, every ${seconds(check.intervalMs)})`;
}

function errorOf(e: unknown): { message: string; retryable: boolean } {
  if (e instanceof UpstreamError) {
    return { message: e.message, retryable: e.retryable };
  }
  return {
    message: e instanceof Error ? e.message : String(e),
    retryable: false,
  };
}

/**
 * A window's store whose writes first check the lease: a worker that lost the release (it
 * stalled past its lease and another took over) adds no sample and gives no verdict.
 */
function leaseGuarded(
  store: GateCheckStore,
  assertLease: () => Promise<void>,
): GateCheckStore {
  return {
    checksOf: releaseId => store.checksOf(releaseId),
    async startChecks(...args) {
      await assertLease();
      return store.startChecks(...args);
    },
    async addSample(...args) {
      await assertLease();
      return store.addSample(...args);
    },
    async decide(...args) {
      await assertLease();
      return store.decide(...args);
    },
  };
}

/**
 * Evaluates a release's health gates after its rollout. Each evaluation reads what the store
 * holds (the window's start, every sample), takes the samples that are due and writes them
 * before judging: a backend killed at any moment leaves a window that the next one resumes.
 */
export class ReleaseGates {
  constructor(private readonly options: ReleaseGatesOptions) {}

  /** Whether the release's window started (its rollout finished under gates). */
  async started(releaseId: string): Promise<boolean> {
    return (await this.options.store.checksOf(releaseId)).length > 0;
  }

  /** The pauses of releases' Rollouts and their gates. */
  get steps(): StepGateStore {
    return this.options.steps;
  }

  /** Whether the release's environment has health gates. */
  async configured(release: Release): Promise<boolean> {
    const env = await this.options.store.getEnvironment(
      release.entityRef,
      release.environment,
    );
    return env.gates.length > 0;
  }

  /**
   * Evaluates the release's gates after its rollout, or, with `step`, at that pause of its
   * Rollout (a window of its own, started when the pause is first judged).
   */
  async evaluate(
    release: Release,
    entity: Entity,
    vars: { namespace: string; application: string; canary?: string },
    step?: string,
    /** Throws when the caller no longer holds the release: checked before every write. */
    assertLease?: () => Promise<void>,
  ): Promise<GateOutcome> {
    const raw: GateCheckStore =
      step === undefined
        ? this.options.store
        : this.options.steps.forStep(step);
    const store = assertLease ? leaseGuarded(raw, assertLease) : raw;
    let checks = await store.checksOf(release.id);
    let started: string | undefined;
    if (!checks.length) {
      const env = await this.options.store.getEnvironment(
        release.entityRef,
        release.environment,
      );
      if (!env.gates.length) return { kind: 'none' };
      const rendered = env.gates.map(g => ({
        ...g,
        query: renderGateQuery(g.query, {
          namespace: vars.namespace,
          application: vars.application,
          canary: vars.canary ?? '',
          version: release.version ?? '',
        }),
      }));
      checks = await store.startChecks(release.id, rendered, env.autoRollback);
      started = `Health gates started: ${checks.map(describe).join('; ')}`;
    }
    const next: number[] = [];
    for (const check of checks) {
      if (check.verdict !== 'pending') continue;
      const judged = await this.step(store, release, entity, check);
      if (judged !== undefined) next.push(judged);
    }
    checks = await store.checksOf(release.id);
    const failed = checks.find(c => c.verdict === 'failed');
    if (failed) {
      return {
        kind: 'failed',
        gate: failed,
        reason: `Health gate ${failed.name} failed: ${failed.reason}`,
        autoRollback: failed.autoRollback,
      };
    }
    if (checks.every(c => c.verdict === 'passed')) {
      return {
        kind: 'passed',
        summary: checks.map(c => `${c.name}: ${c.reason}`).join('; '),
      };
    }
    return {
      kind: 'pending',
      started,
      nextCheckInMs: Math.max(50, Math.min(...next)),
      observed: checks
        .map(c => `${c.name}:${c.samples.length}:${c.verdict}`)
        .join(','),
    };
  }

  /**
   * One gate: samples it when due and decides it when it can. Returns in how many ms it wants
   * to be looked at again, or undefined once decided.
   */
  private async step(
    store: GateCheckStore,
    release: Release,
    entity: Entity,
    check: ReleaseGateCheck,
  ): Promise<number | undefined> {
    const { now } = this.options;
    const started = Date.parse(check.startedAt);
    const last = check.samples[check.samples.length - 1];
    const at = now().getTime();
    const sinceLast = last ? at - Date.parse(last.at) : Infinity;
    const windowEnd = started + check.durationMs;
    if (at >= windowEnd && last?.passed) {
      await this.pass(store, release, check);
      return undefined;
    }
    if (sinceLast < check.intervalMs) {
      const untilEnd = windowEnd - at;
      return untilEnd > 0
        ? Math.min(check.intervalMs - sinceLast, untilEnd)
        : check.intervalMs - sinceLast;
    }
    const sample = await this.sample(entity, check);
    await store.addSample(release.id, check.name, sample);
    const samples = [...check.samples, sample];
    if (sample.value !== undefined && !sample.passed) {
      await store.decide(
        release.id,
        check.name,
        'failed',
        `${check.query} was ${sample.value} at ${
          sample.at
        }, which is not ${conditionOf(check)} (${seconds(
          at - started,
        )} into its ${seconds(check.durationMs)} window)`,
      );
      return undefined;
    }
    if (sample.error) {
      const verdict = this.unanswered(check, samples, sample);
      if (verdict) {
        await store.decide(release.id, check.name, 'failed', verdict);
        return undefined;
      }
    } else if (at >= windowEnd) {
      await this.pass(store, release, { ...check, samples });
      return undefined;
    }
    return Math.min(
      check.intervalMs,
      Math.max(0, windowEnd - at) || check.intervalMs,
    );
  }

  private async pass(
    store: GateCheckStore,
    release: Release,
    check: ReleaseGateCheck,
  ) {
    const values = check.samples
      .map(s => s.value)
      .filter((v): v is number => v !== undefined);
    const worst = ['<', '<='].includes(check.comparison)
      ? Math.max(...values)
      : Math.min(...values);
    await store.decide(
      release.id,
      check.name,
      'passed',
      `held ${conditionOf(check)} for ${seconds(check.durationMs)} (${
        values.length
      } samples, worst ${worst})`,
    );
  }

  /**
   * A gate whose query gets no value fails closed: at once when Prometheus refused the query,
   * after the retry window when it could not be reached or the query found no series.
   */
  private unanswered(
    check: ReleaseGateCheck,
    samples: GateSample[],
    sample: GateSample & { retryable?: boolean },
  ): string | undefined {
    if (sample.retryable === false) {
      return `Prometheus could not run ${check.query}: ${sample.error}`;
    }
    let firstError = sample;
    for (let i = samples.length - 1; i >= 0 && samples[i].error; i--) {
      firstError = samples[i];
    }
    const failingMs = Date.parse(sample.at) - Date.parse(firstError.at);
    if (failingMs < this.options.retryWindowMs) return undefined;
    return `no value for ${seconds(failingMs)} (the retry window is ${seconds(
      this.options.retryWindowMs,
    )}), so the gate fails closed: ${sample.error}`;
  }

  private async sample(
    entity: Entity,
    check: ReleaseGateCheck,
  ): Promise<GateSample & { retryable?: boolean }> {
    const at = this.options.now().toISOString();
    try {
      const result = await this.options.prometheus(entity).query(check.query);
      if (result.samples.length !== 1) {
        return {
          at,
          passed: false,
          error: result.samples.length
            ? `the query returned ${result.samples.length} series; a gate needs one number (aggregate it, e.g. with sum or max)`
            : 'the query returned no series (no traffic yet, or labels that match nothing)',
          retryable: true,
        };
      }
      const value = result.samples[0].value;
      if (Number.isNaN(value)) {
        return {
          at,
          passed: false,
          error: 'the query returned NaN (a ratio over no requests)',
          retryable: true,
        };
      }
      return {
        at,
        value,
        passed: satisfies(value, check.comparison, check.threshold),
      };
    } catch (e) {
      const { message, retryable } = errorOf(e);
      return { at, passed: false, error: message, retryable };
    }
  }
}
