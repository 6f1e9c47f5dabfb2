import { Config } from '@backstage/config';
import { CustomErrorBase } from '@backstage/errors';
import { readDurationMs } from '../../orchestrator/settings';

/** How much of the portal's and the upstreams' capacity log readers may take. */
export interface LogLimits {
  /** Follows (build or pod log streams) one caller may hold open at once. */
  maxFollowsPerCaller: number;
  /** Follows held open at once by everyone, on this replica. */
  maxFollows: number;
  /** A follow ends after this long; the caller may open a new one. */
  maxFollowDurationMs: number;
  /** A download (or a followed build log) stops after this many bytes. */
  maxLogBytes: number;
  /** Log reads (pieces, follows, downloads) one caller may start per window. */
  requestsPerWindow: number;
  windowMs: number;
  /** How often a followed build log asks Jenkins for more. */
  pollIntervalMs: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = {
  maxFollowsPerCaller: 5,
  maxFollows: 100,
  maxFollowDurationMs: 30 * 60_000,
  maxLogBytes: 20 * 1024 * 1024,
  requestsPerWindow: 120,
  windowMs: 60_000,
  pollIntervalMs: 1_000,
};

/** `autonomous.logs.*`, each optional, with the defaults in DEFAULT_LOG_LIMITS. */
export function readLogLimits(config: Config): LogLimits {
  const c = config.getOptionalConfig('autonomous.logs');
  const limits = { ...DEFAULT_LOG_LIMITS };
  if (!c) return limits;
  const count = (key: string, fallback: number) => {
    const value = c.getOptionalNumber(key);
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `autonomous.logs.${key} must be a whole number of at least 1, got ${value}`,
      );
    }
    return value;
  };
  const duration = (key: string, fallback: number) => {
    if (!c.has(key)) return fallback;
    const ms = readDurationMs(c, key);
    if (!(ms > 0)) {
      throw new Error(`autonomous.logs.${key} must be a positive duration`);
    }
    return ms;
  };
  limits.maxFollowsPerCaller = count(
    'maxFollowsPerCaller',
    limits.maxFollowsPerCaller,
  );
  limits.maxFollows = count('maxFollows', limits.maxFollows);
  limits.maxFollowDurationMs = duration(
    'maxFollowDuration',
    limits.maxFollowDurationMs,
  );
  limits.maxLogBytes = count('maxLogBytes', limits.maxLogBytes);
  limits.requestsPerWindow = count(
    'rateLimit.requests',
    limits.requestsPerWindow,
  );
  limits.windowMs = duration('rateLimit.window', limits.windowMs);
  limits.pollIntervalMs = duration('pollInterval', limits.pollIntervalMs);
  return limits;
}

/** A 429: the caller reached a limit; `retryAfterSeconds` says when asking again may work. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  /** Backstage's error handler answers with an error's `statusCode`. */
  readonly statusCode = 429;

  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** `20 MiB`, `512 KiB`, `300 bytes`: sizes in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) {
    return `${bytes / (1024 * 1024)} MiB`;
  }
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
