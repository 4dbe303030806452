import { isAbsolute, join, resolve } from 'node:path';
import { parseStoreUri } from '@llmops/kernel';
import { ApiKeys } from '../application/keys/api-keys.js';
import type { LimitCounters } from '../ports.js';
import { LocalLimitCounters } from './memory/local-limit-counters.js';
import { RedisLimitCounters } from './redis/redis-limit-counters.js';
import { SqliteApiKeyStore } from './sqlite/sqlite-api-key-store.js';
import { FallbackLimitCounters } from './fallback/fallback-limit-counters.js';
import type { BackendFallback, BackendFallbackOptions } from './fallback/backend-fallback.js';

/** Options of {@link openApiKeys}. */
export interface OpenApiKeysOptions {
  /** The folder a relative `sqlite:` path (and `.llmops/keys.db`) is resolved against. */
  cwd: string;
  /** `REDIS_URL`: the limit counters go to Redis when it is set, under `LLMOPS_LIMITS_PREFIX` (`llmops:limits:`). */
  env?: Record<string, string | undefined>;
  /** With Redis: called once when Redis fails and in-process counters take over, and once when it is back. */
  onFallback?: BackendFallbackOptions['onChange'];
}

/** The keys of a store, their limit counters, and where both are. */
export interface OpenedApiKeys {
  keys: ApiKeys;
  counters: LimitCounters;
  /** The SQLite file the keys are in. */
  location: string;
  /** Where the limit counters are: `redis (127.0.0.1:6379 db 0)` or `in-process`, for the start line (never a password). */
  limitsLocation: string;
  /** With Redis: the fallback's state and the count of calls the in-process counters answered. */
  fallback?: BackendFallback;
  close: () => Promise<void>;
}

/**
 * The SQLite file API keys are kept in for a store URI: the embedded file itself for `sqlite:<path>`, the local
 * `.llmops/keys.db` beside an MLflow store (keys never go to MLflow).
 * @throws LlmopsError `invalid_input` for a malformed URI.
 */
export function apiKeysDatabasePath(uri: string, cwd: string): string {
  const location = parseStoreUri(uri);
  if (location.kind === 'mlflow') return join(resolve(cwd), '.llmops', 'keys.db');
  return location.path === ':memory:' || isAbsolute(location.path) ? location.path : resolve(cwd, location.path);
}

/**
 * Opens the API keys of a store URI (see {@link apiKeysDatabasePath}) with their limit counters: in Redis when
 * `REDIS_URL` is set (shared by replicas; keys under `LLMOPS_LIMITS_PREFIX`, default `llmops:limits:`, so deployments
 * or test runs sharing one Redis stay apart), otherwise in process with spend kept in the key file.
 * @throws LlmopsError `invalid_input` for a malformed URI or `REDIS_URL`, `unavailable` when the file cannot be opened.
 */
export function openApiKeys(uri: string, options: OpenApiKeysOptions): OpenedApiKeys {
  const store = new SqliteApiKeyStore({ path: apiKeysDatabasePath(uri, options.cwd) });
  const redisUrl = options.env?.['REDIS_URL'];
  const keyPrefix = options.env?.['LLMOPS_LIMITS_PREFIX']?.trim();
  let counters: LimitCounters;
  let fallback: BackendFallback | undefined;
  let limitsLocation = 'in-process';
  try {
    if (redisUrl) {
      const redis = new RedisLimitCounters({ url: redisUrl, ...(keyPrefix ? { keyPrefix } : {}) });
      const shared = new FallbackLimitCounters(redis, options.onFallback ? { onChange: options.onFallback } : {});
      fallback = shared.fallback;
      counters = shared;
      limitsLocation = `redis (${redis.location})`;
    } else counters = new LocalLimitCounters({ ledger: store });
  } catch (error) {
    store.close();
    throw error;
  }
  return {
    keys: new ApiKeys({ store, counters }),
    counters,
    location: store.location,
    limitsLocation,
    ...(fallback ? { fallback } : {}),
    close: async () => {
      try {
        await counters.close();
      } finally {
        store.close();
      }
    },
  };
}
