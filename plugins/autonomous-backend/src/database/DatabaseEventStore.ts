import {
  DatabaseEvent,
  DatabaseEventStep,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { toIso } from './timestamps';

/** A line of a database's timeline, before it is written. */
export type NewDatabaseEvent = Pick<
  DatabaseEvent,
  'databaseId' | 'step' | 'status' | 'message'
>;

type EventRow = {
  seq: number | string;
  database_id: string;
  step: string;
  status: string;
  message: string;
  created_at: unknown;
};

/**
 * The timeline of each database instance. The worker writes its events together with the step
 * they describe (DatabaseWorkStore.write); this store reads them and records the odd event that
 * belongs to no step write.
 */
export class DatabaseEventStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(event: NewDatabaseEvent): Promise<void> {
    await this.db('database_events').insert({
      database_id: event.databaseId,
      step: event.step,
      status: event.status,
      message: event.message,
      created_at: this.now(),
    });
  }

  /** Oldest first, in the order they were written. */
  async list(databaseId: string): Promise<DatabaseEvent[]> {
    const rows: EventRow[] = await this.db('database_events')
      .where({ database_id: databaseId })
      .orderBy('seq', 'asc');
    return rows.map(row => ({
      id: String(row.seq),
      databaseId: row.database_id,
      step: row.step as DatabaseEventStep,
      status: row.status as DatabaseEvent['status'],
      message: row.message,
      createdAt: toIso(row.created_at),
    }));
  }
}
