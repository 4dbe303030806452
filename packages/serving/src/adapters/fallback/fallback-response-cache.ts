import type { ResponseCacheStore } from '../../ports.js';
import { LruResponseCache } from '../memory/lru-response-cache.js';
import { BackendFallback } from './backend-fallback.js';
import type { BackendFallbackOptions } from './backend-fallback.js';

/**
 * A response cache on a shared backend (Redis) that falls back to an in-process LRU while the backend is unreachable:
 * answers cached during the outage are this replica's own, and lookups miss what only the backend holds. The cache
 * step never sees the outage; {@link FallbackResponseCache.fallback} counts and reports it.
 */
export class FallbackResponseCache implements ResponseCacheStore {
  readonly name: string;
  /** The outage state and the count of calls the local cache answered. */
  readonly fallback: BackendFallback;
  private readonly local: ResponseCacheStore;

  constructor(
    private readonly shared: ResponseCacheStore,
    options: Omit<BackendFallbackOptions, 'name'> & { local?: ResponseCacheStore } = {},
  ) {
    this.name = shared.name;
    this.local = options.local ?? new LruResponseCache();
    this.fallback = new BackendFallback({ ...options, name: 'response cache' });
  }

  get(key: string): Promise<string | undefined> {
    return this.fallback.run(
      () => this.shared.get(key),
      () => this.local.get(key),
    );
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.fallback.run(
      () => this.shared.set(key, value, ttlMs),
      () => this.local.set(key, value, ttlMs),
    );
  }

  async close(): Promise<void> {
    try {
      await this.shared.close();
    } finally {
      await this.local.close();
    }
  }
}
