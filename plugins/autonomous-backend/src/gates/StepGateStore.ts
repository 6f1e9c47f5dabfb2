import { Knex } from 'knex';
import { orUndefined, toIso, toIsoOrUndefined } from '../database/timestamps';
import {
  GateComparison,
  GateSample,
  GateVerdict,
  HealthGate,
  ReleaseGateCheck,
} from './types';

/** Where one window's checks and samples are kept: a release's, or one pause of its Rollout. */
export interface GateCheckStore {
  startChecks(
    releaseId: string,
    gates: HealthGate[],
    autoRollback: boolean,
  ): Promise<ReleaseGateCheck[]>;
  checksOf(releaseId: string): Promise<ReleaseGateCheck[]>;
  addSample(
    releaseId: string,
    gateName: string,
    sample: GateSample,
  ): Promise<void>;
  decide(
    releaseId: string,
    gateName: string,
    verdict: Exclude<GateVerdict, 'pending'>,
    reason: string,
  ): Promise<void>;
}

/** Where a pause stands in its Rollout: a canary step with its weight, or a preview. */
export interface RolloutPause {
  kind: 'canary' | 'preview' | 'paused';
  /** Zero-based index of the canary step (or of the step a hand-set pause is at). */
  index?: number;
  /** How many steps the canary strategy has. */
  count?: number;
  /** The canary weight in force at the pause, in percent. */
  weight?: number;
  /** The previewed revision (its pod template hash). */
  revision?: string;
}

/** A pause of a release's Rollout and what the release did there. */
export interface RolloutStepRecord {
  step: string;
  label: string;
  reachedAt: string;
  action?: 'promoted' | 'aborted';
  pause: RolloutPause;
}

/** A pause with the gates judged there. */
export interface RolloutStepWindow extends RolloutStepRecord {
  checks: ReleaseGateCheck[];
}

/** Pauses recorded before their position had columns: the key says the kind and index. */
function pauseFromKey(step: string): RolloutPause {
  const dash = step.indexOf('-');
  const kind = step.slice(0, dash);
  const rest = step.slice(dash + 1);
  if (kind === 'canary' || kind === 'paused') {
    const index = Number(rest);
    return { kind, index: Number.isInteger(index) ? index : undefined };
  }
  return { kind: 'preview', revision: rest || undefined };
}

function toStepRecord(row: any): RolloutStepRecord {
  const pause: RolloutPause = row.kind
    ? {
        kind: row.kind,
        index: orUndefined(row.step_index),
        count: orUndefined(row.step_count),
        weight: orUndefined(row.weight),
        revision: orUndefined(row.revision),
      }
    : pauseFromKey(row.step);
  for (const key of ['index', 'count', 'weight'] as const) {
    if (pause[key] !== undefined) pause[key] = Number(pause[key]);
  }
  return {
    step: row.step,
    label: row.label,
    reachedAt: toIso(row.reached_at),
    action: orUndefined(row.action),
    pause,
  };
}

/**
 * The pauses of a release's Argo Rollouts Rollout (a canary step, a blue/green preview) and
 * the health gates judged at each: the same rows as a release's own window, keyed by the step
 * too, so a backend killed mid-pause resumes that pause's window with what it already saw.
 */
export class StepGateStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records that the release's Rollout reached a pause; true the first time only. */
  async reach(
    releaseId: string,
    step: string,
    label: string,
    pause: RolloutPause = pauseFromKey(step),
  ) {
    if (await this.stepOf(releaseId, step)) return false;
    await this.db('release_rollout_steps')
      .insert({
        release_id: releaseId,
        step,
        label,
        reached_at: this.now(),
        kind: pause.kind,
        step_index: pause.index ?? null,
        step_count: pause.count ?? null,
        weight: pause.weight ?? null,
        revision: pause.revision ?? null,
      })
      .onConflict(['release_id', 'step'])
      .ignore();
    return true;
  }

  async stepOf(
    releaseId: string,
    step: string,
  ): Promise<RolloutStepRecord | undefined> {
    const row = await this.db('release_rollout_steps')
      .where({ release_id: releaseId, step })
      .first();
    return row ? toStepRecord(row) : undefined;
  }

  /** Every pause the release's Rollout reached, in order, with the gates judged there. */
  async windowsOf(releaseId: string): Promise<RolloutStepWindow[]> {
    const rows = await this.db('release_rollout_steps')
      .where({ release_id: releaseId })
      .orderBy([
        { column: 'reached_at', order: 'asc' },
        { column: 'step', order: 'asc' },
      ]);
    return Promise.all(
      rows.map(async (row: any) => ({
        ...toStepRecord(row),
        checks: await this.forStep(row.step).checksOf(releaseId),
      })),
    );
  }

  /** Records what the release did at a pause (before it does it: the action is idempotent). */
  async act(
    releaseId: string,
    step: string,
    action: 'promoted' | 'aborted',
  ): Promise<void> {
    await this.db('release_rollout_steps')
      .where({ release_id: releaseId, step })
      .update({ action, acted_at: this.now() });
  }

  /** The first gate that failed at any pause of the release, with its pause. */
  async failedAtAnyStep(
    releaseId: string,
  ): Promise<{ step: RolloutStepRecord; check: ReleaseGateCheck } | undefined> {
    const row = await this.db('release_step_gate_checks')
      .where({ release_id: releaseId, verdict: 'failed' })
      .orderBy('decided_at', 'asc')
      .first();
    if (!row) return undefined;
    const step = (await this.stepOf(releaseId, row.step))!;
    const check = (await this.forStep(row.step).checksOf(releaseId)).find(
      c => c.name === row.name,
    )!;
    return { step, check };
  }

  /** The checks of one pause, as a window's store. */
  forStep(step: string): GateCheckStore {
    const db = this.db;
    const now = this.now;
    const checksOf = async (releaseId: string) => {
      const rows = await db('release_step_gate_checks')
        .where({ release_id: releaseId, step })
        .orderBy('position', 'asc');
      if (!rows.length) return [];
      const samples = await db('release_step_gate_samples')
        .where({ release_id: releaseId, step })
        .orderBy([
          { column: 'at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .select(['gate_name', 'at', 'value', 'passed', 'error']);
      const byGate = new Map<string, GateSample[]>();
      for (const s of samples) {
        const list = byGate.get(s.gate_name) ?? [];
        list.push({
          at: toIso(s.at),
          value: s.value === null ? undefined : Number(s.value),
          passed: Boolean(s.passed),
          error: orUndefined(s.error),
        });
        byGate.set(s.gate_name, list);
      }
      return rows.map(
        (row: any): ReleaseGateCheck => ({
          name: row.name,
          query: row.query,
          comparison: row.comparison as GateComparison,
          threshold: Number(row.threshold),
          durationMs: Number(row.duration_ms),
          intervalMs: Number(row.interval_ms),
          autoRollback: Boolean(row.auto_rollback),
          startedAt: toIso(row.started_at),
          verdict: row.verdict as GateVerdict,
          reason: orUndefined(row.reason),
          decidedAt: toIsoOrUndefined(row.decided_at),
          samples: byGate.get(row.name) ?? [],
        }),
      );
    };
    return {
      checksOf,
      async startChecks(releaseId, gates, autoRollback) {
        const existing = await checksOf(releaseId);
        if (existing.length) return existing;
        if (gates.length) {
          const at = now();
          await db('release_step_gate_checks')
            .insert(
              gates.map((gate, i) => ({
                release_id: releaseId,
                step,
                name: gate.name,
                position: i,
                query: gate.query,
                comparison: gate.comparison,
                threshold: gate.threshold,
                duration_ms: gate.durationMs,
                interval_ms: gate.intervalMs,
                auto_rollback: autoRollback,
                started_at: at,
                verdict: 'pending',
              })),
            )
            .onConflict(['release_id', 'step', 'name'])
            .ignore();
        }
        return checksOf(releaseId);
      },
      async addSample(releaseId, gateName, sample) {
        await db('release_step_gate_samples').insert({
          release_id: releaseId,
          step,
          gate_name: gateName,
          at: new Date(sample.at),
          value: sample.value ?? null,
          passed: sample.passed,
          error: sample.error ?? null,
        });
      },
      async decide(releaseId, gateName, verdict, reason) {
        await db('release_step_gate_checks')
          .where({
            release_id: releaseId,
            step,
            name: gateName,
            verdict: 'pending',
          })
          .update({ verdict, reason, decided_at: now() });
      },
    };
  }
}
