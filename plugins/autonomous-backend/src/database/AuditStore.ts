import {
  AuditEvent,
  AuditOutcome,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { KeysetOptions, readKeysetPage } from './keyset';
import { orUndefined, toIso } from './timestamps';

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'>;

export interface AuditStore {
  record(event: NewAuditEvent): Promise<AuditEvent>;
  /** Newest first. */
  listForEntity(
    entityRef: string,
    options: KeysetOptions,
  ): Promise<{ items: AuditEvent[]; lastSeq?: number }>;
}

type AuditRow = {
  seq: number | string;
  id: string;
  at: unknown;
  actor: string;
  action: string;
  entity_ref: string | null;
  target: string | null;
  outcome: string;
  details: string | null;
};

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    at: toIso(row.at),
    actor: row.actor,
    action: row.action,
    entityRef: orUndefined(row.entity_ref),
    target: orUndefined(row.target),
    outcome: row.outcome as AuditOutcome,
    details: row.details ? JSON.parse(row.details) : undefined,
  };
}

/**
 * The suite's own audit trail, shown on the project's pages. Callers pass details that
 * describe an action, never a secret value.
 */
export class DatabaseAuditStore implements AuditStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(event: NewAuditEvent): Promise<AuditEvent> {
    const id = randomUUID();
    await this.db('audit_events').insert({
      id,
      at: this.now(),
      actor: event.actor,
      action: event.action,
      entity_ref: event.entityRef ?? null,
      target: event.target ?? null,
      outcome: event.outcome,
      details: event.details ? JSON.stringify(event.details) : null,
    });
    const row: AuditRow | undefined = await this.db('audit_events')
      .where({ id })
      .first();
    return toAuditEvent(row!);
  }

  async listForEntity(
    entityRef: string,
    options: KeysetOptions,
  ): Promise<{ items: AuditEvent[]; lastSeq?: number }> {
    const { rows, lastSeq } = await readKeysetPage<AuditRow>(
      this.db('audit_events').where('entity_ref', entityRef),
      options,
    );
    return { items: rows.map(toAuditEvent), lastSeq };
  }
}
