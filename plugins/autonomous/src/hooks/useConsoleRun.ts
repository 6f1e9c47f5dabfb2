import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { autonomousApiRef, ConsoleColumn, ConsoleMode } from '../api';
import { errorMessage } from '../errorMessage';

/** Where a console run stands. */
export type ConsoleRunStatus =
  | 'idle'
  | 'running'
  | 'cancelling'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

export interface ConsoleRunState {
  status: ConsoleRunStatus;
  /** The statement and mode of the last run, e.g. to export its result. */
  statement?: string;
  mode?: ConsoleMode;
  columns: ConsoleColumn[];
  /** The rows so far; the array grows in place as rows arrive (see `rowCount`). */
  rows: unknown[][];
  /** How many rows have been shown; changes with every batch, so the page renders again. */
  rowCount: number;
  truncated: boolean;
  durationMs?: number;
  /** The database's own message, or why the portal could not run the statement. */
  error?: string;
}

export interface ConsoleRun extends ConsoleRunState {
  run(statement: string, mode: ConsoleMode): void;
  /** Asks the server to stop the statement; the answer ends as the server stops it. */
  cancel(): void;
}

/** Rows arrive far faster than a screen can show them: render at most this often. */
const FLUSH_MS = 100;
/** When the server does not end the answer after a cancel, stop reading after this long. */
const CANCEL_GRACE_MS = 10_000;

const IDLE: ConsoleRunState = {
  status: 'idle',
  columns: [],
  rows: [],
  rowCount: 0,
  truncated: false,
};

function newRunId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) {
    return crypto.randomUUID();
  }
  // Pages served over plain HTTP on a non-local host have no randomUUID.
  const hex = Array.from({ length: 32 }, () =>
    Math.floor(Math.random() * 16).toString(16),
  ).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * Runs console statements against one instance: reads the NDJSON answer as it streams,
 * appending rows in batches, and cancels on the server with the run id the page chose.
 * A new run stops reading the previous one.
 */
export function useConsoleRun(
  databaseId: string,
  options: { maxRows?: number; onFinished?: () => void } = {},
): ConsoleRun {
  const api = useApi(autonomousApiRef);
  const [state, setState] = useState<ConsoleRunState>(IDLE);
  const current = useRef<{ runId: string; abort: AbortController }>();
  const { maxRows } = options;
  const onFinished = useRef(options.onFinished);
  onFinished.current = options.onFinished;

  useEffect(() => () => current.current?.abort.abort(), []);

  const run = useCallback(
    (statement: string, mode: ConsoleMode) => {
      current.current?.abort.abort();
      const runId = newRunId();
      const abort = new AbortController();
      current.current = { runId, abort };
      const rows: unknown[][] = [];
      const mine = () => current.current?.runId === runId;
      setState({ ...IDLE, status: 'running', statement, mode, rows });

      let flushTimer: ReturnType<typeof setTimeout> | undefined;
      const flush = () => {
        flushTimer = undefined;
        if (mine()) {
          setState(previous => ({ ...previous, rowCount: rows.length }));
        }
      };

      const read = async () => {
        try {
          for await (const event of api.runConsoleStatement(
            databaseId,
            { statement, mode, maxRows, runId },
            { signal: abort.signal },
          )) {
            if (!mine()) {
              return;
            }
            if (event.type === 'columns') {
              setState(previous => ({ ...previous, columns: event.columns }));
            } else if (event.type === 'row') {
              rows.push(event.values);
              flushTimer ??= setTimeout(flush, FLUSH_MS);
            } else if (event.type === 'end') {
              setState(previous => ({
                ...previous,
                status: 'succeeded',
                rowCount: rows.length,
                truncated: event.truncated,
                durationMs: event.durationMs,
              }));
              return;
            } else if (event.type === 'error') {
              setState(previous => ({
                ...previous,
                status:
                  previous.status === 'cancelling' ? 'cancelled' : 'failed',
                rowCount: rows.length,
                durationMs: event.durationMs,
                error: event.message,
              }));
              return;
            }
          }
          if (mine()) {
            // Ended without its last line: stopped by the reader, or cut off.
            setState(previous => ({
              ...previous,
              rowCount: rows.length,
              status: abort.signal.aborted ? 'cancelled' : 'failed',
              error: abort.signal.aborted
                ? previous.error
                : 'The answer ended before the database finished. Run the statement again.',
            }));
          }
        } catch (error) {
          if (mine()) {
            setState(previous => ({
              ...previous,
              rowCount: rows.length,
              status: 'failed',
              error: errorMessage(error as Error),
            }));
          }
        } finally {
          if (flushTimer) {
            clearTimeout(flushTimer);
          }
          if (mine()) {
            onFinished.current?.();
          }
        }
      };
      read();
    },
    [api, databaseId, maxRows],
  );

  const cancel = useCallback(() => {
    const running = current.current;
    if (!running) {
      return;
    }
    setState(previous =>
      previous.status === 'running'
        ? { ...previous, status: 'cancelling' }
        : previous,
    );
    const stopReading = () => running.abort.abort();
    api.cancelConsoleStatement(databaseId, running.runId).then(
      () => setTimeout(stopReading, CANCEL_GRACE_MS),
      error => {
        stopReading();
        setState(previous => ({
          ...previous,
          error: `Could not stop the statement on the server: ${errorMessage(
            error,
          )}`,
        }));
      },
    );
  }, [api, databaseId]);

  return { ...state, run, cancel };
}
