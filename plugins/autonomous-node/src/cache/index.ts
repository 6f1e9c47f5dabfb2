export { ReadCache, readCacheKey, type ReadCacheOptions } from './ReadCache';
