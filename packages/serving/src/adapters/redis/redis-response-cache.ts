import { createClient } from 'redis';
import { LlmopsError } from '@llmops/kernel';
import type { ResponseCacheStore } from '../../ports.js';

/** Settings of {@link RedisResponseCache}. */
export interface RedisResponseCacheOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (`REDIS_URL`); never put in messages. */
  url: string;
  /** Put before every key, so one Redis serves other things too; `llmops:cache:` by default. */
  keyPrefix?: string;
  /** Longest wait for one command, in ms; 250 by default (then the request goes on without the cache). */
  commandTimeoutMs?: number;
  /** Longest wait for a connection, in ms; 1,000 by default. */
  connectTimeoutMs?: number;
}

/** The host and port of a Redis URL, for messages: never its user or password. */
export function redisLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'redis (an unreadable REDIS_URL)';
  }
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
  private readonly client: ReturnType<typeof createClient>;
  private readonly keyPrefix: string;
  private readonly commandTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly connecting: Promise<unknown>;
  private closed = false;

  /** @throws LlmopsError `invalid_input` for a URL that is not `redis://` or `rediss://` (the URL is not repeated). */
  constructor(options: RedisResponseCacheOptions) {
    this.location = redisLocation(options.url);
    if (!/^rediss?:\/\//.test(options.url))
      throw new LlmopsError('invalid_input', `REDIS_URL: expected redis://host:port or rediss://host:port`);
    this.keyPrefix = options.keyPrefix ?? 'llmops:cache:';
    this.commandTimeoutMs = options.commandTimeoutMs ?? 250;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 1_000;
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.connectTimeoutMs,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 5_000),
      },
    });
    // Without a listener an `error` event would crash the process; failures surface on the commands instead.
    this.client.on('error', () => undefined);
    this.connecting = this.client.connect().catch(() => undefined);
  }

  /** Runs a command within the timeout; any failure becomes `unavailable` naming the host, never the URL's secrets. */
  private async command<T>(action: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new LlmopsError('unavailable', `the Redis response cache at ${this.location} is closed`);
    // The first commands wait for the first connection on its own budget: a slow connect (a loaded machine, a
    // server just started) is not a slow command, and without the wait the first answers would never be stored.
    if (!this.client.isReady) await this.firstConnection();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.commandTimeoutMs} ms`)),
        this.commandTimeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (cause) {
      throw new LlmopsError(
        'unavailable',
        `response cache: cannot ${action} Redis at ${this.location}: ${(cause as Error).message}`,
        { cause },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the first connection attempt, at most `connectTimeoutMs` (once it has settled, at once). */
  private async firstConnection(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.connectTimeoutMs);
      timer.unref();
    });
    await Promise.race([this.connecting, waited]);
    clearTimeout(timer);
  }

  /** Waits for the first connection attempt (tests and benchmarks call it). */
  async ready(): Promise<boolean> {
    await this.connecting;
    return this.client.isReady;
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.command('read from', () => this.client.get(this.keyPrefix + key));
    return value ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.command('write to', () =>
      this.client.set(this.keyPrefix + key, value, {
        expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.client.isOpen) await this.client.close();
      else this.client.destroy();
    } catch {
      this.client.destroy();
    }
  }
}
