import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import {
  ConsoleMode,
  ConsoleOutcome,
  ConsoleStore,
} from '../database/ConsoleStore';
import { instanceNames } from '../databases/names';
import { CONSOLE_ENGINES } from './engines';
import { ConsoleSettings } from './settings';
import {
  ConsoleColumn,
  ConsoleEngine,
  ConsoleSession,
  errorCode,
} from './types';

export interface RunRequest {
  instance: DatabaseInstance;
  actor: string;
  mode: ConsoleMode;
  statement: string;
  maxRows?: number;
  runId?: string;
}

/** How a run ended, as the stream's last line and the audit trail say it. */
export interface RunSummary {
  statementId: string;
  outcome: Exclude<ConsoleOutcome, 'running'>;
  rowCount: number;
  truncated: boolean;
  durationMs: number;
  message?: string;
  code?: string;
}

/** A statement whose columns are known; its rows go to `stream`'s sink as they are read. */
export interface StartedRun {
  runId: string;
  statementId: string;
  columns: ConsoleColumn[];
  /** Hands each row to `row` (which waits while the reader is slow); never throws. */
  stream(row: (values: unknown[]) => Promise<void>): Promise<RunSummary>;
  /** The reader went away: stop the statement, record it cancelled. */
  abandon(): void;
}

interface ActiveRun {
  actor: string;
  databaseId: string;
  cancel(): void;
}

/** Backstop after the server's own timeout, in case a driver never hears of it. */
const TIMEOUT_GRACE_MS = 5_000;

/**
 * Runs one console statement on an instance with the engine's driver, as the read-only user
 * (read mode) or the owner (write mode), credentials read from Vault for this run only. Each
 * statement is recorded when it starts and given its outcome exactly once.
 */
export class ConsoleService {
  private readonly runs = new Map<string, ActiveRun>();

  constructor(
    private readonly deps: {
      store: ConsoleStore;
      credentials(
        instance: DatabaseInstance,
        user: 'owner' | 'readonly',
      ): Promise<{ username: string; password: string }>;
      settings: ConsoleSettings;
      logger: LoggerService;
      engines?: Partial<Record<string, ConsoleEngine>>;
    },
  ) {}

  get settings(): ConsoleSettings {
    return this.deps.settings;
  }

  async start(request: RunRequest): Promise<StartedRun> {
    const { instance, settings } = { ...request, ...this.deps };
    const engine = (this.deps.engines ?? CONSOLE_ENGINES)[instance.engine];
    if (!engine) {
      throw new ConflictError(
        `the console does not run statements on ${instance.engine} databases yet`,
      );
    }
    if (instance.status !== 'ready' || !instance.connection) {
      throw new ConflictError(
        `database ${instance.name} is ${instance.status}: the console opens once it is ready`,
      );
    }
    const maxRows = request.maxRows ?? settings.maxRows;
    if (maxRows > settings.maxRowsLimit) {
      throw new InputError(
        `maxRows ${maxRows} is over the limit of ${settings.maxRowsLimit} rows (autonomous.databases.console.maxRowsLimit)`,
      );
    }
    const runId = request.runId ?? randomUUID();
    if (this.runs.has(runId)) {
      throw new ConflictError(`a statement with run id ${runId} is running`);
    }
    const record = await this.deps.store.startStatement({
      databaseId: instance.id,
      entityRef: instance.entityRef,
      user: request.actor,
      mode: request.mode,
      statement: request.statement,
    });
    const startedAt = Date.now();
    const state = { cancelled: false, timedOut: false, finished: false };
    let session: ConsoleSession | undefined;
    const stop = () => {
      session
        ?.cancel()
        .catch(e =>
          this.deps.logger.warn(`console cancel of ${runId} failed: ${e}`),
        );
    };
    this.runs.set(runId, {
      actor: request.actor,
      databaseId: instance.id,
      cancel: () => {
        state.cancelled = true;
        stop();
      },
    });
    const timer = setTimeout(() => {
      state.timedOut = true;
      stop();
    }, settings.timeoutMs + TIMEOUT_GRACE_MS);
    timer.unref?.();

    const finish = async (
      result: Omit<RunSummary, 'statementId' | 'durationMs'>,
    ): Promise<RunSummary> => {
      clearTimeout(timer);
      this.runs.delete(runId);
      await session?.close().catch(() => {});
      const summary = {
        ...result,
        statementId: record.id,
        durationMs: Date.now() - startedAt,
      };
      if (!state.finished) {
        state.finished = true;
        await this.deps.store.finishStatement(record.id, summary);
      }
      return summary;
    };
    const failure = (error: unknown, rowCount: number) => {
      const message = String((error as Error)?.message ?? error);
      let outcome: RunSummary['outcome'] = 'failed';
      if (state.cancelled) outcome = 'cancelled';
      else if (state.timedOut || engine.isTimeout(error)) outcome = 'timed-out';
      return finish({
        outcome,
        rowCount,
        truncated: false,
        message,
        code: errorCode(error),
      });
    };

    const target = instance.connection;
    let result;
    try {
      const user = request.mode === 'write' ? 'owner' : 'readonly';
      const credentials = await this.deps.credentials(instance, user);
      session = await engine.open({
        host: target.host,
        port: target.port,
        database: target.database,
        schema: instanceNames(instance).owner,
        ...credentials,
      });
      if (state.cancelled) throw new Error('cancelled before it started');
      result = await session.run(request.statement, {
        mode: request.mode,
        maxRows,
        timeoutMs: settings.timeoutMs,
      });
    } catch (error) {
      const summary = await failure(error, 0);
      // The database's own message, before any byte of the answer was sent.
      const e = new InputError(summary.message ?? 'the statement failed');
      (e as { code?: string }).code = summary.code;
      throw Object.assign(e, { summary });
    }

    const rows = result.rows[Symbol.asyncIterator]();
    return {
      runId,
      statementId: record.id,
      columns: result.columns,
      abandon: () => {
        if (!state.finished) {
          state.cancelled = true;
          stop();
        }
      },
      stream: async row => {
        let rowCount = 0;
        try {
          for (;;) {
            const next = await rows.next();
            if (next.done) break;
            if (rowCount === maxRows) {
              // One row past the cap: there are more. Stop reading; close ends the statement.
              await rows.return?.(undefined);
              return await finish({
                outcome: state.cancelled ? 'cancelled' : 'succeeded',
                rowCount,
                truncated: true,
              });
            }
            rowCount++;
            await row(next.value);
            if (state.cancelled) throw new Error('cancelled');
          }
          return await finish({
            outcome: state.cancelled ? 'cancelled' : 'succeeded',
            rowCount,
            truncated: false,
          });
        } catch (error) {
          await rows.return?.(undefined).catch(() => undefined);
          return failure(error, rowCount);
        }
      },
    };
  }

  /** Stops a running statement; only the user who started it may. */
  cancel(databaseId: string, runId: string, actor: string): void {
    const run = this.runs.get(runId);
    // Someone else's run is answered like a missing one: run ids are not to be probed.
    if (!run || run.databaseId !== databaseId || run.actor !== actor) {
      throw new NotFoundError(
        `no statement with run id ${runId} is running on this database for you`,
      );
    }
    run.cancel();
  }
}
