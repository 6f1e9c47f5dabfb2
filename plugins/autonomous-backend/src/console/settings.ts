import { Config } from '@backstage/config';
import { readDurationMs } from '../orchestrator/settings';

/** `autonomous.databases.console.*`. */
export interface ConsoleSettings {
  /** The server-side statement timeout. */
  timeoutMs: number;
  /** Rows answered when a request names no maxRows. */
  maxRows: number;
  /** The most rows a request may ask for. */
  maxRowsLimit: number;
}

export const DEFAULT_CONSOLE_SETTINGS: ConsoleSettings = {
  timeoutMs: 30_000,
  maxRows: 1_000,
  maxRowsLimit: 100_000,
};

export function readConsoleSettings(config: Config): ConsoleSettings {
  const key = 'autonomous.databases.console';
  const maxRowsLimit =
    config.getOptionalNumber(`${key}.maxRowsLimit`) ??
    DEFAULT_CONSOLE_SETTINGS.maxRowsLimit;
  return {
    timeoutMs: config.has(`${key}.timeout`)
      ? readDurationMs(config, `${key}.timeout`)
      : DEFAULT_CONSOLE_SETTINGS.timeoutMs,
    maxRows: Math.min(
      config.getOptionalNumber(`${key}.maxRows`) ??
        DEFAULT_CONSOLE_SETTINGS.maxRows,
      maxRowsLimit,
    ),
    maxRowsLimit,
  };
}
