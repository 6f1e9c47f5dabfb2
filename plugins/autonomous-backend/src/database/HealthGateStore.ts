import { Knex } from 'knex';
import {
  EnvironmentGates,
  GateComparison,
  GateSample,
  GateVerdict,
  HealthGate,
  ReleaseGateCheck,
} from '../gates/types';
import { StepGateStore } from '../gates/StepGateStore';
import { orUndefined, toIso, toIsoOrUndefined } from './timestamps';

type GateRow = {
  name: string;
  position: number;
  query: string;
  comparison: string;
  threshold: number | string;
  duration_ms: number | string;
  interval_ms: number | string;
};

type CheckRow = GateRow & {
  release_id: string;
  auto_rollback: boolean | number;
  started_at: unknown;
  verdict: string;
  reason: string | null;
  decided_at: unknown;
};

type SampleRow = {
  gate_name: string;
  at: unknown;
  value: number | string | null;
  passed: boolean | number;
  error: string | null;
};

function toGate(row: GateRow): HealthGate {
  return {
    name: row.name,
    query: row.query,
    comparison: row.comparison as GateComparison,
    threshold: Number(row.threshold),
    durationMs: Number(row.duration_ms),
    intervalMs: Number(row.interval_ms),
  };
}

function gateColumns(gate: HealthGate, position: number) {
  return {
    name: gate.name,
    position,
    query: gate.query,
    comparison: gate.comparison,
    threshold: gate.threshold,
    duration_ms: gate.durationMs,
    interval_ms: gate.intervalMs,
  };
}

/**
 * Health gates: an environment's settings, and each release's evaluation of them. A release's
 * checks are written once, when its window starts, and read back whole on every evaluation, so
 * an evaluation that resumes after a crash sees the window's start and every sample taken.
 */
export class HealthGateStore {
  /** The windows judged at the pauses of releases' Rollouts, in the same database. */
  readonly steps: StepGateStore;

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.steps = new StepGateStore(db, now);
  }

  /** An environment's gates in their order; no gates and auto-rollback off when never set. */
  async getEnvironment(
    entityRef: string,
    environment: string,
  ): Promise<EnvironmentGates> {
    const where = { entity_ref: entityRef, environment };
    const [rows, settings] = await Promise.all([
      this.db('health_gates')
        .where(where)
        .orderBy('position', 'asc') as Promise<
        Array<GateRow & { updated_at: unknown; updated_by: string }>
      >,
      this.db('health_gate_environments').where(where).first(),
    ]);
    const newest = [
      ...rows.map(r => ({ at: toIso(r.updated_at), by: r.updated_by })),
      ...(settings
        ? [{ at: toIso(settings.updated_at), by: settings.updated_by }]
        : []),
    ].sort((a, b) => b.at.localeCompare(a.at))[0];
    return {
      entityRef,
      environment,
      gates: rows.map(toGate),
      autoRollback: Boolean(settings?.auto_rollback),
      updatedAt: newest?.at,
      updatedBy: newest?.by,
    };
  }

  /** Replaces an environment's gates and its auto-rollback switch, all or nothing. */
  async setEnvironment(
    entityRef: string,
    environment: string,
    value: { gates: HealthGate[]; autoRollback: boolean },
    actor: string,
  ): Promise<EnvironmentGates> {
    const now = this.now();
    const where = { entity_ref: entityRef, environment };
    await this.db.transaction(async tx => {
      await tx('health_gates').where(where).delete();
      if (value.gates.length) {
        await tx('health_gates').insert(
          value.gates.map((gate, i) => ({
            ...where,
            ...gateColumns(gate, i),
            updated_at: now,
            updated_by: actor,
          })),
        );
      }
      await tx('health_gate_environments')
        .insert({
          ...where,
          auto_rollback: value.autoRollback,
          updated_at: now,
          updated_by: actor,
        })
        .onConflict(['entity_ref', 'environment'])
        .merge(['auto_rollback', 'updated_at', 'updated_by']);
    });
    return this.getEnvironment(entityRef, environment);
  }

  /**
   * Starts a release's window with these gates (queries templated), unless it started before:
   * then the checks written then are kept, with their start, and returned.
   */
  async startChecks(
    releaseId: string,
    gates: HealthGate[],
    autoRollback: boolean,
  ): Promise<ReleaseGateCheck[]> {
    const existing = await this.checksOf(releaseId);
    if (existing.length) return existing;
    const now = this.now();
    if (gates.length) {
      // Two backends starting the same window at once write the same rows: one of each stays.
      await this.db('release_gate_checks')
        .insert(
          gates.map((gate, i) => ({
            release_id: releaseId,
            ...gateColumns(gate, i),
            auto_rollback: autoRollback,
            started_at: now,
            verdict: 'pending',
          })),
        )
        .onConflict(['release_id', 'name'])
        .ignore();
    }
    return this.checksOf(releaseId);
  }

  /** A release's checks with their samples, oldest first; empty when its window never started. */
  async checksOf(releaseId: string): Promise<ReleaseGateCheck[]> {
    const rows: CheckRow[] = await this.db('release_gate_checks')
      .where({ release_id: releaseId })
      .orderBy('position', 'asc');
    if (!rows.length) return [];
    const samples: SampleRow[] = await this.db('release_gate_samples')
      .where({ release_id: releaseId })
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
    return rows.map(row => ({
      ...toGate(row),
      autoRollback: Boolean(row.auto_rollback),
      startedAt: toIso(row.started_at),
      verdict: row.verdict as GateVerdict,
      reason: orUndefined(row.reason),
      decidedAt: toIsoOrUndefined(row.decided_at),
      samples: byGate.get(row.name) ?? [],
    }));
  }

  async addSample(
    releaseId: string,
    gateName: string,
    sample: GateSample,
  ): Promise<void> {
    await this.db('release_gate_samples').insert({
      release_id: releaseId,
      gate_name: gateName,
      at: new Date(sample.at),
      value: sample.value ?? null,
      passed: sample.passed,
      error: sample.error ?? null,
    });
  }

  /** Records a gate's verdict once: a verdict already given is kept. */
  async decide(
    releaseId: string,
    gateName: string,
    verdict: Exclude<GateVerdict, 'pending'>,
    reason: string,
  ): Promise<void> {
    await this.db('release_gate_checks')
      .where({ release_id: releaseId, name: gateName, verdict: 'pending' })
      .update({ verdict, reason, decided_at: this.now() });
  }
}
