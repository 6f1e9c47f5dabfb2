import { mockServices } from '@backstage/backend-test-utils';
import { ReadCache, readCacheKey } from './ReadCache';

describe('ReadCache', () => {
  it('shares one call between concurrent reads and reuses it until the TTL ends', async () => {
    let now = 0;
    const cache = new ReadCache({ ttlSeconds: 5, now: () => now });
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise(r => setTimeout(r, 5));
      return { n: calls };
    };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.read('k', load)),
    );
    expect(calls).toBe(1);
    expect(new Set(results).size).toBe(1);
    now += 4999;
    await cache.read('k', load);
    expect(calls).toBe(1);
    now += 2;
    await expect(cache.read('k', load)).resolves.toEqual({ n: 2 });
  });

  it('does not keep failures', async () => {
    const cache = new ReadCache();
    await expect(
      cache.read('k', async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    await expect(cache.read('k', async () => 1)).resolves.toBe(1);
  });

  it('invalidates by object prefix, also a read that was in flight during the write', async () => {
    const cache = new ReadCache();
    const key = readCacheKey('argocd', 'main', 'app/shop', 'get');
    let release!: () => void;
    const slow = cache.read(
      key,
      () => new Promise<string>(r => (release = () => r('old'))),
    );
    await cache.invalidate(readCacheKey('argocd', 'main', 'app/shop', ''));
    release();
    await expect(slow).resolves.toBe('old');
    await expect(cache.read(key, async () => 'new')).resolves.toBe('new');
    await expect(cache.read(key, async () => 'newer')).resolves.toBe('new');
    await cache.invalidate('argocd:main:app/other:');
    await expect(cache.read(key, async () => 'newest')).resolves.toBe('new');
  });

  it('shares values through the CacheService and deletes them on invalidation', async () => {
    const cacheService = mockServices.cache.mock();
    const store = new Map<string, unknown>();
    cacheService.get.mockImplementation(
      async (k: string) => store.get(k) as any,
    );
    cacheService.set.mockImplementation(async (k: string, v: any) => {
      store.set(k, v);
    });
    cacheService.delete.mockImplementation(async (k: string) => {
      store.delete(k);
    });
    const replicaA = new ReadCache({ cacheService });
    const replicaB = new ReadCache({ cacheService });
    await replicaA.read('argocd:main:app/shop:get', async () => ({ v: 1 }));
    expect(cacheService.set).toHaveBeenCalledWith(
      'argocd:main:app/shop:get',
      { v: 1 },
      { ttl: 5000 },
    );
    await expect(
      replicaB.read('argocd:main:app/shop:get', async () => ({ v: 2 })),
    ).resolves.toEqual({
      v: 1,
    });
    await replicaA.invalidate('argocd:main:app/shop:');
    expect(store.size).toBe(0);
  });

  it('only coalesces when the TTL is 0', async () => {
    const cache = new ReadCache({ ttlSeconds: 0 });
    let calls = 0;
    await cache.read('k', async () => ++calls);
    await cache.read('k', async () => ++calls);
    expect(calls).toBe(2);
  });

  it('keeps at most maxEntries values', async () => {
    const cache = new ReadCache({ maxEntries: 2 });
    const counter = { calls: 0 };
    const load = async () => ++counter.calls;
    await cache.read('a', load);
    await cache.read('b', load);
    await cache.read('c', load);
    await cache.read('c', load);
    expect(counter.calls).toBe(3);
    await cache.read('a', load);
    expect(counter.calls).toBe(4);
  });
});
