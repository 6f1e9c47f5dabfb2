import { ConsoleMode } from '../database/ConsoleStore';

/** Where and as whom a statement runs: the instance's profile and one of its two users. */
export interface ConsoleTarget {
  host: string;
  port: number;
  database?: string;
  username: string;
  password: string;
  /** The schema unqualified names resolve to where the engine has one per user (Oracle: the owner's). */
  schema?: string;
}

export interface ConsoleColumn {
  name: string;
  /** The engine's own type name (`int4`, `VARCHAR`, `string`…). */
  type: string;
}

export interface RunOptions {
  mode: ConsoleMode;
  /** Rows the caller wants; the adapter may read one more to tell that it truncated. */
  maxRows: number;
  /** Enforced by the server where the engine can (statement_timeout, max_execution_time). */
  timeoutMs: number;
}

/** A statement that has started: its columns are known, its rows come as they are read. */
export interface ConsoleResult {
  columns: ConsoleColumn[];
  /** Rows as arrays of JSON values, read from the server a batch at a time. */
  rows: AsyncIterable<unknown[]>;
}

/**
 * One statement on one connection. `run` resolves once the server described the result (or
 * rejects with the database's own error); `cancel` stops it on the server; `close` ends the
 * connection (after the rows were read, or to give up) and is safe to call twice.
 */
export interface ConsoleSession {
  run(statement: string, options: RunOptions): Promise<ConsoleResult>;
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export interface ConsoleEngine {
  /** Opens a connection as the target's user. */
  open(target: ConsoleTarget): Promise<ConsoleSession>;
  /** Whether an error the statement ended with is the server's timeout. */
  isTimeout(error: unknown): boolean;
}

/** A database's error, with its code when the driver gives one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' || typeof code === 'number'
    ? String(code)
    : undefined;
}

/** Values as JSON carries them: dates as ISO strings, bytes as hex, big numbers as strings. */
export function jsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  }
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}
