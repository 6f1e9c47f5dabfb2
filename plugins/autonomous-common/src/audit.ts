/** @public */
export type AuditOutcome = 'succeeded' | 'failed' | 'denied';

/** Who did what to which entity, and how it ended. Never holds a secret value. @public */
export interface AuditEvent {
  id: string;
  at: string;
  /** User or service entity ref. */
  actor: string;
  /** A permission name or an API action, e.g. `autonomous.release.rollback`. */
  action: string;
  entityRef?: string;
  /** The object acted on: a release id, a database id… */
  target?: string;
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
}
