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

/** A pause of a release's Rollout and what the release did there. */
export interface RolloutStepRecord {
  step: string;
  label: string;
  reachedAt: string;
  action?: 'promoted' | 'aborted';
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
  async reach(releaseId: string, step: string, label: string) {
    if (await this.stepOf(releaseId, step)) return false;
    await this.db('release_rollout_steps')
      .insert({
        release_id: releaseId,
        step,
        label,
        reached_at: this.now(),
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
    if (!row) return undefined;
    return {
      step: row.step,
      label: row.label,
      reachedAt: toIso(row.reached_at),
      action: orUndefined(row.action),
    };
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
