import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor } from './cursor';
import { orUndefined, toIso } from './timestamps';

export type ConsoleMode = 'read' | 'write';
export type ConsoleOutcome =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'timed-out';

/** One statement run in the console: the audit trail's and the history's item. */
export interface ConsoleStatementRecord {
  id: string;
  databaseId: string;
  user: string;
  mode: ConsoleMode;
  statement: string;
  startedAt: string;
  durationMs?: number;
  rowCount: number;
  truncated: boolean;
  outcome: ConsoleOutcome;
  message?: string;
}

export interface SavedQuery {
  id: string;
  name: string;
  statement: string;
  shared: boolean;
  createdBy: string;
  updatedAt: string;
}

export interface ConsoleStore {
  /** Written when the statement starts, outcome `running`. */
  startStatement(statement: {
    databaseId: string;
    entityRef: string;
    user: string;
    mode: ConsoleMode;
    statement: string;
  }): Promise<ConsoleStatementRecord>;
  /** Sets the outcome once: a statement already finished is left as it is. */
  finishStatement(
    id: string,
    result: {
      outcome: Exclude<ConsoleOutcome, 'running'>;
      durationMs: number;
      rowCount: number;
      truncated: boolean;
      message?: string;
    },
  ): Promise<void>;
  /** Newest first; `user` narrows to one user's statements. */
  listStatements(options: {
    databaseId: string;
    user?: string;
    cursor?: string;
    limit: number;
  }): Promise<{ items: ConsoleStatementRecord[]; nextCursor?: string }>;
  listSavedQueries(databaseId: string, user: string): Promise<SavedQuery[]>;
  createSavedQuery(
    databaseId: string,
    user: string,
    query: { name: string; statement: string; shared: boolean },
  ): Promise<SavedQuery>;
  updateSavedQuery(
    databaseId: string,
    id: string,
    user: string,
    query: { name: string; statement: string; shared: boolean },
  ): Promise<SavedQuery>;
  deleteSavedQuery(databaseId: string, id: string, user: string): Promise<void>;
}

type StatementRow = {
  seq: number | string;
  id: string;
  database_id: string;
  actor: string;
  mode: string;
  statement: string;
  started_at: unknown;
  duration_ms: number | null;
  row_count: number | string;
  truncated: boolean | number;
  outcome: string;
  message: string | null;
};

type SavedQueryRow = {
  id: string;
  database_id: string;
  name: string;
  statement: string;
  shared: boolean | number;
  created_by: string;
  updated_at: unknown;
};

function toRecord(row: StatementRow): ConsoleStatementRecord {
  return {
    id: row.id,
    databaseId: row.database_id,
    user: row.actor,
    mode: row.mode as ConsoleMode,
    statement: row.statement,
    startedAt: toIso(row.started_at),
    durationMs: orUndefined(row.duration_ms),
    rowCount: Number(row.row_count),
    truncated: Boolean(row.truncated),
    outcome: row.outcome as ConsoleOutcome,
    message: orUndefined(row.message),
  };
}

function toSavedQuery(row: SavedQueryRow): SavedQuery {
  return {
    id: row.id,
    name: row.name,
    statement: row.statement,
    shared: Boolean(row.shared),
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at),
  };
}

/** The console's statements and saved queries, on SQLite and PostgreSQL. */
export class DatabaseConsoleStore implements ConsoleStore {
  constructor(private readonly db: Knex) {}

  async startStatement(statement: {
    databaseId: string;
    entityRef: string;
    user: string;
    mode: ConsoleMode;
    statement: string;
  }): Promise<ConsoleStatementRecord> {
    const id = randomUUID();
    await this.db('console_statements').insert({
      id,
      database_id: statement.databaseId,
      entity_ref: statement.entityRef,
      actor: statement.user,
      mode: statement.mode,
      statement: statement.statement,
      started_at: new Date(),
      row_count: 0,
      truncated: false,
      outcome: 'running',
    });
    const row = await this.db<StatementRow>('console_statements')
      .where({ id })
      .first();
    return toRecord(row!);
  }

  async finishStatement(
    id: string,
    result: {
      outcome: Exclude<ConsoleOutcome, 'running'>;
      durationMs: number;
      rowCount: number;
      truncated: boolean;
      message?: string;
    },
  ): Promise<void> {
    // `outcome = running` in the WHERE: a statement gets its outcome once, whichever of the
    // stream's end, a cancel or a disconnect comes first.
    await this.db('console_statements')
      .where({ id, outcome: 'running' })
      .update({
        outcome: result.outcome,
        duration_ms: Math.round(result.durationMs),
        row_count: result.rowCount,
        truncated: result.truncated,
        message: result.message?.slice(0, 4000) ?? null,
      });
  }

  async listStatements(options: {
    databaseId: string;
    user?: string;
    cursor?: string;
    limit: number;
  }): Promise<{ items: ConsoleStatementRecord[]; nextCursor?: string }> {
    const query = this.db<StatementRow>('console_statements')
      .where({ database_id: options.databaseId })
      .orderBy('seq', 'desc')
      .limit(options.limit + 1);
    if (options.user) query.andWhere({ actor: options.user });
    if (options.cursor)
      query.andWhere('seq', '<', decodeCursor(options.cursor));
    const rows = await query;
    const page = rows.slice(0, options.limit);
    return {
      items: page.map(toRecord),
      nextCursor:
        rows.length > options.limit
          ? encodeCursor(Number(page[page.length - 1].seq))
          : undefined,
    };
  }

  async listSavedQueries(
    databaseId: string,
    user: string,
  ): Promise<SavedQuery[]> {
    const rows = await this.db<SavedQueryRow>('saved_queries')
      .where({ database_id: databaseId })
      .andWhere(q => q.where({ created_by: user }).orWhere({ shared: true }))
      .orderBy([{ column: 'name' }, { column: 'id' }]);
    return rows.map(toSavedQuery);
  }

  async createSavedQuery(
    databaseId: string,
    user: string,
    query: { name: string; statement: string; shared: boolean },
  ): Promise<SavedQuery> {
    const now = new Date();
    const id = randomUUID();
    await this.db('saved_queries').insert({
      id,
      database_id: databaseId,
      name: query.name,
      statement: query.statement,
      shared: query.shared,
      created_by: user,
      created_at: now,
      updated_at: now,
    });
    return this.authored(databaseId, id, user);
  }

  async updateSavedQuery(
    databaseId: string,
    id: string,
    user: string,
    query: { name: string; statement: string; shared: boolean },
  ): Promise<SavedQuery> {
    await this.authored(databaseId, id, user);
    await this.db('saved_queries').where({ id }).update({
      name: query.name,
      statement: query.statement,
      shared: query.shared,
      updated_at: new Date(),
    });
    return this.authored(databaseId, id, user);
  }

  async deleteSavedQuery(
    databaseId: string,
    id: string,
    user: string,
  ): Promise<void> {
    await this.authored(databaseId, id, user);
    await this.db('saved_queries').where({ id }).delete();
  }

  /** The query if the user may see it and wrote it; 404 if unseen, 403 if someone else's. */
  private async authored(
    databaseId: string,
    id: string,
    user: string,
  ): Promise<SavedQuery> {
    const row = await this.db<SavedQueryRow>('saved_queries')
      .where({ id, database_id: databaseId })
      .first();
    if (!row || (!row.shared && row.created_by !== user)) {
      throw new NotFoundError(`no saved query ${id} on this database`);
    }
    if (row.created_by !== user) {
      throw new NotAllowedError(
        `saved query "${row.name}" is ${row.created_by}'s: only its author may change or delete it`,
      );
    }
    return toSavedQuery(row);
  }
}
