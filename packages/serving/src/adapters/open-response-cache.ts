import { isAbsolute, join, resolve } from 'node:path';
import { LlmopsError, parseStoreUri } from '@llmops/kernel';
import type { ResponseCacheStore } from '../ports.js';
import { LruResponseCache } from './memory/lru-response-cache.js';
import { RedisResponseCache } from './redis/redis-response-cache.js';
import { FallbackResponseCache } from './fallback/fallback-response-cache.js';
import type { BackendFallback, BackendFallbackOptions } from './fallback/backend-fallback.js';
import { SqliteResponseCache } from './sqlite/sqlite-response-cache.js';

/** The response cache backends by name (`LLMOPS_CACHE`). */
export const responseCacheBackends = ['memory', 'sqlite', 'redis'] as const;

/** Options of {@link openResponseCache}. */
export interface OpenResponseCacheOptions {
  /** `LLMOPS_CACHE`, `REDIS_URL`, `LLMOPS_CACHE_PREFIX`, `LLMOPS_CACHE_MAX_ENTRIES`, `LLMOPS_CACHE_MAX_MB` are read here. */
  env: Record<string, string | undefined>;
  /** The store URI: the `sqlite` backend uses its file (`.llmops/cache.db` beside an MLflow store). */
  storeUri: string;
  /** The folder relative paths are resolved against. */
  cwd: string;
  /** With Redis: called once when Redis fails and the in-process fallback takes over, and once when it is back. */
  onFallback?: BackendFallbackOptions['onChange'];
}

/** An opened response cache and where it is, for the startup log (never a password). */
export interface OpenedResponseCache {
  store: ResponseCacheStore;
  /** `redis (127.0.0.1:6379 db 0)`, `sqlite (.llmops/llmops.db)` or `in-process`: what `llmops serve` prints. */
  location: string;
  /** With Redis: the fallback's state and the count of calls it answered. */
  fallback?: BackendFallback;
}

function positiveInteger(env: Record<string, string | undefined>, name: string): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new LlmopsError('invalid_input', `${name} is "${text}"; expected a whole number ≥ 1`);
  return value;
}

/**
 * The response cache of a deployment, chosen by configuration (a deployment concern: the spec says whether and how
 * long a version's answers are cached, not where): `LLMOPS_CACHE=memory|sqlite|redis`, by default `redis` when
 * `REDIS_URL` is set and `memory` otherwise. `memory` is bounded by `LLMOPS_CACHE_MAX_ENTRIES` (10,000) and
 * `LLMOPS_CACHE_MAX_MB` (64); `sqlite` is the `response_cache` table of the embedded store's file; `redis` prefixes
 * keys with `LLMOPS_CACHE_PREFIX` (`llmops:cache:`), and answers from an in-process LRU while Redis is unreachable
 * (`FallbackResponseCache`).
 * @throws LlmopsError `invalid_input` for an unknown backend, `redis` without `REDIS_URL`, or a bad bound (the
 * variable named, never the URL); `unavailable` when the SQLite file cannot be opened.
 */
export function openResponseCache(options: OpenResponseCacheOptions): OpenedResponseCache {
  const { env } = options;
  const redisUrl = env['REDIS_URL']?.trim();
  const chosen = env['LLMOPS_CACHE']?.trim() || (redisUrl ? 'redis' : 'memory');
  if (!(responseCacheBackends as readonly string[]).includes(chosen)) {
    throw new LlmopsError(
      'invalid_input',
      `LLMOPS_CACHE is "${chosen}"; expected one of ${responseCacheBackends.join(', ')}`,
    );
  }
  if (chosen === 'redis') {
    if (!redisUrl)
      throw new LlmopsError(
        'invalid_input',
        'LLMOPS_CACHE is redis but REDIS_URL is not set; expected redis://host:port',
      );
    const prefix = env['LLMOPS_CACHE_PREFIX']?.trim();
    const redis = new RedisResponseCache({ url: redisUrl, ...(prefix ? { keyPrefix: prefix } : {}) });
    const store = new FallbackResponseCache(redis, options.onFallback ? { onChange: options.onFallback } : {});
    return {
      store,
      location: `redis (${redis.location})`,
      fallback: store.fallback,
    };
  }
  if (chosen === 'sqlite') {
    const location = parseStoreUri(options.storeUri);
    const file = location.kind === 'sqlite' ? location.path : join('.llmops', 'cache.db');
    const path = file === ':memory:' || isAbsolute(file) ? file : resolve(options.cwd, file);
    return { store: new SqliteResponseCache({ path }), location: `sqlite (${file})` };
  }
  const maxEntries = positiveInteger(env, 'LLMOPS_CACHE_MAX_ENTRIES');
  const maxMegabytes = positiveInteger(env, 'LLMOPS_CACHE_MAX_MB');
  return {
    store: new LruResponseCache({
      ...(maxEntries === undefined ? {} : { maxEntries }),
      ...(maxMegabytes === undefined ? {} : { maxBytes: maxMegabytes * 1024 * 1024 }),
    }),
    location: 'in-process',
  };
}
