import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** @public */
export interface ReadCacheOptions {
  /** How long a value is reused. Default 5 s; 0 keeps only the coalescing. */
  ttlSeconds?: number;
  /** Shares values across replicas as well; the in-process map still coalesces. */
  cacheService?: CacheService;
  /** Entries kept in process before the oldest are dropped. Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * One read cache in front of every upstream: reads of the same key share one call in flight
 * and reuse its answer for a short while; writes invalidate the keys they affect.
 *
 * Keys look like `<system>:<instance>:<object>:<operation>`; invalidating
 * `<system>:<instance>:<object>:` drops every read of that object.
 *
 * @public
 */
export class ReadCache {
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly cacheService?: CacheService;
  private readonly now: () => number;
  /** A read a write overlapped is marked stale so its answer is not kept. */
  private readonly inFlight = new Map<
    string,
    { promise: Promise<unknown>; stale: boolean }
  >();
  private readonly values = new Map<
    string,
    { value: unknown; expires: number }
  >();
  private readonly sharedKeys = new Set<string>();

  constructor(options: ReadCacheOptions = {}) {
    this.ttlMs = Math.max(0, (options.ttlSeconds ?? 5) * 1000);
    this.maxEntries = options.maxEntries ?? 10_000;
    this.cacheService = options.cacheService;
    this.now = options.now ?? Date.now;
  }

  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.values.get(key);
    if (cached && cached.expires > this.now()) return cached.value as T;
    if (cached) this.values.delete(key);

    const pending = this.inFlight.get(key);
    if (pending) return pending.promise as Promise<T>;

    const entry = { promise: undefined as unknown as Promise<T>, stale: false };
    entry.promise = (async () => {
      if (this.cacheService && this.ttlMs > 0) {
        const shared = await this.cacheService.get(key).catch(() => undefined);
        if (shared !== undefined) return shared as unknown as T;
      }
      const value = await load();
      if (this.ttlMs > 0 && !entry.stale) {
        this.remember(key, value);
        if (this.cacheService && value !== undefined) {
          this.sharedKeys.add(key);
          await this.cacheService
            .set(key, value as unknown as JsonValue, { ttl: this.ttlMs })
            .catch(() => undefined);
        }
      }
      return value;
    })();
    this.inFlight.set(key, entry);
    try {
      return await entry.promise;
    } finally {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    }
  }

  private remember(key: string, value: unknown) {
    if (this.values.size >= this.maxEntries) {
      const now = this.now();
      for (const [k, v] of this.values) {
        if (v.expires <= now) this.values.delete(k);
      }
      // Still full: drop the oldest entries (a Map keeps insertion order).
      for (const k of this.values.keys()) {
        if (this.values.size < this.maxEntries) break;
        this.values.delete(k);
      }
    }
    this.values.set(key, { value, expires: this.now() + this.ttlMs });
  }

  /** Drops every key that starts with one of the prefixes (a full key is its own prefix). */
  async invalidate(...prefixes: string[]): Promise<void> {
    const matches = (key: string) => prefixes.some(p => key.startsWith(p));
    for (const key of [...this.values.keys()]) {
      if (matches(key)) this.values.delete(key);
    }
    for (const [key, entry] of [...this.inFlight]) {
      if (matches(key)) {
        entry.stale = true;
        this.inFlight.delete(key);
      }
    }
    if (!this.cacheService) return;
    const shared = new Set([...this.sharedKeys, ...prefixes].filter(matches));
    await Promise.all(
      [...shared].map(key => {
        this.sharedKeys.delete(key);
        return this.cacheService!.delete(key).catch(() => undefined);
      }),
    );
  }
}

/** The key of a read: `<system>:<instance>:<object>:<operation>`. @public */
export function readCacheKey(
  system: string,
  instance: string,
  object: string,
  operation: string,
): string {
  return `${system}:${instance}:${object}:${operation}`;
}
