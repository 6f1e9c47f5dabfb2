import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** @public */
export interface ReadCacheOptions {
  /** How long a value is reused. Default 5 s; 0 keeps only the coalescing. */
  ttlSeconds?: number;
  /** Shares values across replicas as well; the in-process map still coalesces. */
  cacheService?: CacheService;
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
  private readonly cacheService?: CacheService;
  private readonly now: () => number;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly values = new Map<
    string,
    { value: unknown; expires: number }
  >();
  /** Bumped on invalidation so a read that started before a write is not stored after it. */
  private readonly generations = new Map<string, number>();
  private readonly sharedKeys = new Set<string>();

  constructor(options: ReadCacheOptions = {}) {
    this.ttlMs = Math.max(0, (options.ttlSeconds ?? 5) * 1000);
    this.cacheService = options.cacheService;
    this.now = options.now ?? Date.now;
  }

  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.values.get(key);
    if (cached && cached.expires > this.now()) return cached.value as T;
    if (cached) this.values.delete(key);

    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;

    const generation = this.generations.get(key) ?? 0;
    const promise = (async () => {
      if (this.cacheService && this.ttlMs > 0) {
        const shared = await this.cacheService.get(key).catch(() => undefined);
        if (shared !== undefined) return shared as unknown as T;
      }
      const value = await load();
      if (this.ttlMs > 0 && (this.generations.get(key) ?? 0) === generation) {
        this.values.set(key, { value, expires: this.now() + this.ttlMs });
        if (this.cacheService && value !== undefined) {
          this.sharedKeys.add(key);
          await this.cacheService
            .set(key, value as unknown as JsonValue, { ttl: this.ttlMs })
            .catch(() => undefined);
        }
      }
      return value;
    })();
    this.inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    }
  }

  /** Drops every key that starts with one of the prefixes (a full key is its own prefix). */
  async invalidate(...prefixes: string[]): Promise<void> {
    const matches = (key: string) => prefixes.some(p => key.startsWith(p));
    const keys = new Set<string>([
      ...this.values.keys(),
      ...this.inFlight.keys(),
      ...this.sharedKeys,
      ...prefixes,
    ]);
    const deletions: Promise<void>[] = [];
    for (const key of keys) {
      if (!matches(key)) continue;
      this.values.delete(key);
      this.inFlight.delete(key);
      this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
      if (this.cacheService) {
        this.sharedKeys.delete(key);
        deletions.push(this.cacheService.delete(key).catch(() => undefined));
      }
    }
    await Promise.all(deletions);
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
