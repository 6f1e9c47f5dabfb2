import { LoggerService } from '@backstage/backend-plugin-api';
import { ReadCache } from './cache/ReadCache';
import { DEFAULT_UPSTREAM_SETTINGS } from './config';
import { FetchFunction, RetryPolicy, UpstreamHttpOptions } from './http';

/** What every upstream client accepts besides its instance. @public */
export interface UpstreamClientOptions extends RetryPolicy {
  /** The shared read cache; without one, reads are neither coalesced nor cached. */
  cache?: ReadCache;
  logger?: LoggerService;
  fetch?: FetchFunction;
  sleep?: (ms: number) => Promise<void>;
}

export function httpOptions(
  options: UpstreamClientOptions,
): Pick<
  UpstreamHttpOptions,
  'baseDelayMs' | 'maxDelayMs' | 'fetch' | 'sleep' | 'logger'
> & { timeoutMs: number; retries: number } {
  return {
    timeoutMs: options.timeoutMs ?? DEFAULT_UPSTREAM_SETTINGS.timeoutMs,
    retries: options.retries ?? DEFAULT_UPSTREAM_SETTINGS.retries,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
    fetch: options.fetch,
    sleep: options.sleep,
    logger: options.logger,
  };
}

/** Reads through the cache when there is one. */
export function cachedRead<T>(
  cache: ReadCache | undefined,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  return cache ? cache.read(key, load) : load();
}
