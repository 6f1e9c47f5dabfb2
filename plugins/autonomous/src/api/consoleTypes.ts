import type { DownloadedFile } from './AutonomousApi';

/*
 * The console routes' requests and answers as the page uses them (the API document,
 * plugins/autonomous-backend/src/schema/openapi.yaml, is their definition).
 */

/** Read-only (the database's read-only user) or write (the owner user). @public */
export type ConsoleMode = 'read' | 'write';

/** One statement to run. @public */
export interface ConsoleStatementRequest {
  statement: string;
  mode?: ConsoleMode;
  /** The row cap; the backend's default (1,000) when absent. */
  maxRows?: number;
  /** Chosen by the page, so that it can cancel the run. */
  runId?: string;
}

/** A result column: its name and the database's name for its type. @public */
export interface ConsoleColumn {
  name: string;
  type: string;
}

/** One line of a run's NDJSON answer. @public */
export type ConsoleStreamEvent =
  | { type: 'columns'; columns: ConsoleColumn[]; runId?: string }
  | { type: 'row'; values: unknown[] }
  | {
      type: 'end';
      rowCount: number;
      truncated: boolean;
      durationMs: number;
      statementId?: string;
    }
  | {
      type: 'error';
      message: string;
      code?: string;
      durationMs?: number;
      statementId?: string;
    };

/** How a recorded statement ended, or that it still runs. @public */
export type ConsoleOutcome =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'timed-out';

/** A statement as the history and the audit trail record it. @public */
export interface ConsoleHistoryItem {
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

/** One page of the history. @public */
export interface ConsoleHistoryPage {
  items: ConsoleHistoryItem[];
  nextCursor?: string;
}

/** Which statements: the caller's own (default) or everyone's (the audit trail). @public */
export interface ConsoleHistoryOptions {
  mine?: boolean;
  cursor?: string;
  limit?: number;
}

/** A saved statement of an instance. @public */
export interface SavedQuery {
  id: string;
  name: string;
  statement: string;
  /** Shared with the instance's owners; otherwise only its author sees it. */
  shared: boolean;
  createdBy: string;
  updatedAt: string;
}

/** What to save. @public */
export interface SavedQueryRequest {
  name: string;
  statement: string;
  shared: boolean;
}

/** A result's export format. @public */
export type ConsoleExportFormat = 'csv' | 'json';

/** The database console of an instance. @public */
export interface AutonomousConsoleApi {
  /**
   * Runs one statement and yields the answer's lines as they arrive. A database error
   * before the first line throws (a `ResponseError` with the database's message); one after
   * it comes as an `error` line. Aborting the signal stops reading.
   */
  runConsoleStatement(
    databaseId: string,
    request: ConsoleStatementRequest,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<ConsoleStreamEvent>;

  /** Stops a run on the database server; only its author may. */
  cancelConsoleStatement(databaseId: string, runId: string): Promise<void>;

  /** Runs the statement again and downloads its result as a file. */
  exportConsoleResult(
    databaseId: string,
    request: ConsoleStatementRequest & { format: ConsoleExportFormat },
  ): Promise<DownloadedFile>;

  /** The caller's recent statements, or (mine: false) the instance's audit trail. */
  listConsoleHistory(
    databaseId: string,
    options?: ConsoleHistoryOptions,
  ): Promise<ConsoleHistoryPage>;

  listSavedQueries(databaseId: string): Promise<SavedQuery[]>;

  createSavedQuery(
    databaseId: string,
    request: SavedQueryRequest,
  ): Promise<SavedQuery>;

  updateSavedQuery(
    databaseId: string,
    queryId: string,
    request: SavedQueryRequest,
  ): Promise<SavedQuery>;

  deleteSavedQuery(databaseId: string, queryId: string): Promise<void>;
}
