import {
  EnvironmentVariableSetting,
  ProjectSettingsEvent,
  ScalingSettings,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { toIso } from './timestamps';

/** An environment's variables and scaling as saved; never a secret value. */
export interface StoredEnvironmentSettings {
  variables: EnvironmentVariableSetting[];
  scaling?: ScalingSettings;
}

type SettingsRow = {
  entity_ref: string;
  environment: string;
  variables: string;
  replicas: number | null;
  min_replicas: number | null;
  max_replicas: number | null;
  target_cpu_percent: number | null;
};

type EventRow = {
  seq: number | string;
  environment: string | null;
  action: string;
  message: string;
  actor: string;
  created_at: unknown;
};

function fromRow(row: SettingsRow): StoredEnvironmentSettings {
  const variables = (
    JSON.parse(row.variables) as EnvironmentVariableSetting[]
  ).map(v => (v.secret ? { name: v.name, secret: true } : v));
  let scaling: ScalingSettings | undefined;
  if (row.replicas !== null) {
    scaling = { replicas: Number(row.replicas) };
    if (row.min_replicas !== null && row.max_replicas !== null) {
      scaling.autoscaling = {
        minReplicas: Number(row.min_replicas),
        maxReplicas: Number(row.max_replicas),
        targetCpuPercent: Number(row.target_cpu_percent ?? 80),
      };
    }
  }
  return { variables, scaling };
}

/**
 * `environment_settings` and `project_settings_events`. A change and its event are written in
 * one transaction, so the Overview never shows a change without saying who made it.
 */
export class DatabaseProjectSettingsStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(
    entityRef: string,
  ): Promise<Map<string, StoredEnvironmentSettings>> {
    const rows: SettingsRow[] = await this.db('environment_settings').where({
      entity_ref: entityRef,
    });
    return new Map(rows.map(r => [r.environment, fromRow(r)]));
  }

  /** Saves what changed of one environment and records the event. */
  async save(input: {
    entityRef: string;
    environment: string;
    variables?: EnvironmentVariableSetting[];
    scaling?: ScalingSettings;
    event: { action: string; message: string; actor: string };
  }): Promise<void> {
    const now = this.now();
    await this.db.transaction(async tx => {
      if (input.variables || input.scaling) {
        const changes: Partial<SettingsRow> & { updated_at: Date } = {
          updated_at: now,
        };
        if (input.variables) {
          // Secret values never reach this table, whatever the caller passed.
          changes.variables = JSON.stringify(
            input.variables.map(v =>
              v.secret
                ? { name: v.name, secret: true }
                : { name: v.name, secret: false, value: v.value ?? '' },
            ),
          );
        }
        if (input.scaling) {
          changes.replicas = input.scaling.replicas;
          changes.min_replicas = input.scaling.autoscaling?.minReplicas ?? null;
          changes.max_replicas = input.scaling.autoscaling?.maxReplicas ?? null;
          changes.target_cpu_percent =
            input.scaling.autoscaling?.targetCpuPercent ?? null;
        }
        await tx('environment_settings')
          .insert({
            entity_ref: input.entityRef,
            environment: input.environment,
            variables: '[]',
            ...changes,
          })
          .onConflict(['entity_ref', 'environment'])
          .merge(Object.keys(changes));
      }
      await tx('project_settings_events').insert({
        entity_ref: input.entityRef,
        environment: input.environment,
        action: input.event.action,
        message: input.event.message,
        actor: input.event.actor,
        created_at: now,
      });
    });
  }

  /** Records a change that lives elsewhere (auto-deploy and domains live in `environments`). */
  async recordEvent(input: {
    entityRef: string;
    environment?: string;
    action: string;
    message: string;
    actor: string;
  }): Promise<void> {
    await this.db('project_settings_events').insert({
      entity_ref: input.entityRef,
      environment: input.environment ?? null,
      action: input.action,
      message: input.message,
      actor: input.actor,
      created_at: this.now(),
    });
  }

  async events(entityRef: string, limit = 20): Promise<ProjectSettingsEvent[]> {
    const rows: EventRow[] = await this.db('project_settings_events')
      .where({ entity_ref: entityRef })
      .orderBy('seq', 'desc')
      .limit(limit);
    return rows.map(r => ({
      id: String(r.seq),
      environment: r.environment ?? undefined,
      action: r.action,
      message: r.message,
      actor: r.actor,
      createdAt: toIso(r.created_at),
    }));
  }
}
