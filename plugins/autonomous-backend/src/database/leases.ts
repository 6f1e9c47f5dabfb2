import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { toIsoOrUndefined } from './timestamps';

/** Which rows of a worked table to lease, and for how long. */
export interface LeaseRequest {
  /** Only rows in one of these statuses (the ones a worker acts on). */
  statuses: readonly string[];
  leaseMs: number;
  now: Date;
  /** At most this many rows (default 1). */
  limit?: number;
  /** Only this row. */
  id?: string;
  /** Only rows whose `next_check_at` has come (default); false leases a row early. */
  dueOnly?: boolean;
  /** The column holding the lease's token (default `lease_token`). */
  tokenColumn?: string;
  /** Further conditions the table's rows must meet. */
  where?: (q: Knex.QueryBuilder) => void;
}

/**
 * Leases rows of a table worked by a lease-driven worker (releases, database instances,
 * backups, restores): every row needs `id`, `status`, `next_check_at`, `lease_expires_at` and
 * a token column. One UPDATE re-checks that the lease is free in its own WHERE clause, so two
 * replicas racing for a row never both get it (on PostgreSQL the candidate rows are locked
 * with SKIP LOCKED, so the second replica takes other rows instead of waiting; SQLite has one
 * writer). Returns the token written on the leased rows, or undefined when none was free.
 */
export async function claimLeased(
  db: Knex,
  table: string,
  request: LeaseRequest,
): Promise<string | undefined> {
  const { now, tokenColumn = 'lease_token' } = request;
  const token = randomUUID();
  const free = (q: Knex.QueryBuilder) =>
    q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now);
  const candidates = db(table)
    .select('id')
    .whereIn('status', request.statuses)
    .where(free)
    .orderBy('next_check_at', 'asc')
    .limit(request.limit ?? 1);
  if (request.dueOnly !== false) candidates.where('next_check_at', '<=', now);
  if (request.id) candidates.where({ id: request.id });
  if (request.where) candidates.where(request.where);
  if (db.client.config.client === 'pg') candidates.forUpdate().skipLocked();
  const claimed = await db(table)
    .whereIn('id', candidates)
    .whereIn('status', request.statuses)
    .where(free)
    .update({
      [tokenColumn]: token,
      lease_expires_at: new Date(now.getTime() + request.leaseMs),
    });
  return claimed ? token : undefined;
}

/**
 * When the next row of a worked table falls due: the earliest check time of a row nobody
 * holds, or the end of a held lease (its worker may have died). Undefined when none waits.
 */
export async function nextLeaseDue(
  db: Knex,
  table: string,
  statuses: readonly string[],
  now: Date,
): Promise<Date | undefined> {
  const free = await db(table)
    .whereIn('status', statuses)
    .whereNotNull('next_check_at')
    .where(q =>
      q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
    )
    .min({ due: 'next_check_at' })
    .first();
  const held = await db(table)
    .whereIn('status', statuses)
    .where('lease_expires_at', '>=', now)
    .min({ due: 'lease_expires_at' })
    .first();
  const times = [free?.due, held?.due]
    .filter(v => v !== null && v !== undefined)
    .map(v => Date.parse(toIsoOrUndefined(v)!));
  return times.length ? new Date(Math.min(...times)) : undefined;
}
