import type { ResponseCacheStore } from '../../ports.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisConnectionOptions } from './redis-connection.js';

/** Settings of {@link RedisResponseCache}. */
export interface RedisResponseCacheOptions extends RedisConnectionOptions {
  /** Put before every key, so one Redis serves other things too; `llmops:cache:` by default. */
  keyPrefix?: string;
}

/**
 * The response cache in Redis (`REDIS_URL`), shared by every replica: one string per answer under `keyPrefix` + key,
 * expiring with `PX`. The client connects in the background and reconnects with backoff; while Redis is unreachable
 * commands fail at once (no offline queue) and each call fails within `commandTimeoutMs`, so the cache step skips the
 * cache instead of making a request wait.
 */
export class RedisResponseCache implements ResponseCacheStore {
  readonly name = 'redis';
  /** Where the cache is (scheme, host and port), for messages. */
  readonly location: string;
  private readonly redis: RedisConnection;
  private readonly keyPrefix: string;

  /** @throws LlmopsError `invalid_input` for a URL that is not `redis://` or `rediss://` (the URL is not repeated). */
  constructor(options: RedisResponseCacheOptions) {
    this.redis = new RedisConnection('response cache', options);
    this.location = this.redis.location;
    this.keyPrefix = options.keyPrefix ?? 'llmops:cache:';
  }

  /** Waits for the first connection attempt (tests and benchmarks call it). */
  ready(): Promise<boolean> {
    return this.redis.ready();
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.redis.command('read from', () => this.redis.client.get(this.keyPrefix + key));
    return value ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.command('write to', () =>
      this.redis.client.set(this.keyPrefix + key, value, {
        expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
      }),
    );
  }

  async close(): Promise<void> {
    await this.redis.close();
  }
}
