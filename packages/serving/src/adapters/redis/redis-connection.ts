import { createRequire } from 'node:module';
import type * as Redis from 'redis';
import { LlmopsError } from '@llmops/kernel';

// `redis` (about 600 modules, 0.2 s of CPU) is loaded when a connection is made, not by every process that imports
// serving; `require`, because a connection is made in a constructor.
const requireFromHere = createRequire(import.meta.url);

/** How to reach Redis, for every serving adapter that keeps state there (response cache, limit counters). */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (`REDIS_URL`); never put in messages. */
  url: string;
  /** Longest wait for one command, in ms; 250 by default. */
  commandTimeoutMs?: number;
  /** Longest wait for the first connection (before the first commands), in ms; 1,000 by default. */
  connectTimeoutMs?: number;
}

/**
 * Where a Redis URL points, for messages and the start line: host, port and database (`127.0.0.1:6379 db 0`, ` over
 * TLS` for `rediss://`), never its user or password.
 */
export function redisLocation(url: string): string {
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, '') || '0';
    return `${parsed.hostname}:${parsed.port || '6379'} db ${database}${parsed.protocol === 'rediss:' ? ' over TLS' : ''}`;
  } catch {
    return 'an unreadable REDIS_URL';
  }
}

/** `work`, or a rejection saying `what` after `ms` (the timer is cleared either way). */
async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One Redis client as serving's adapters use it: it connects in the background and reconnects with backoff; with no
 * offline queue, commands fail at once while Redis is unreachable, except that the first commands wait for the first
 * connection attempt on its own budget (a slow connect on a loaded machine is not a slow command); each command is
 * bounded by `commandTimeoutMs`, so a request never waits long on state it can do without.
 */
export class RedisConnection {
  /** Where Redis is (host, port and database), for messages. */
  readonly location: string;
  readonly client: ReturnType<typeof Redis.createClient>;
  private readonly subject: string;
  private readonly commandTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly connecting: Promise<unknown>;
  private closed = false;

  /**
   * @param subject what uses it, in messages (`response cache`, `limit counters`).
   * @throws LlmopsError `invalid_input` for a URL that is not `redis://` or `rediss://`, or that the client cannot
   * parse (a database that is not a number); the URL is not repeated.
   */
  constructor(subject: string, options: RedisConnectionOptions) {
    this.subject = subject;
    this.location = redisLocation(options.url);
    if (!/^rediss?:\/\//.test(options.url))
      throw new LlmopsError('invalid_input', 'REDIS_URL: expected redis://host:port or rediss://host:port');
    this.commandTimeoutMs = options.commandTimeoutMs ?? 250;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 1_000;
    const { createClient } = requireFromHere('redis') as typeof Redis;
    try {
      this.client = createClient({
        url: options.url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: this.connectTimeoutMs,
          reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 5_000),
        },
      });
    } catch (cause) {
      // The client's own parser throws a bare TypeError ("Invalid pathname" for `/5x`), which the CLI took for a
      // crash (exit 1); the URL may hold a password, so neither it nor the parser's message is repeated.
      throw new LlmopsError(
        'invalid_input',
        'REDIS_URL: not a Redis URL the client can use; expected redis://[user:password@]host:port[/db] with a numeric db',
        { cause },
      );
    }
    // Without a listener an `error` event would crash the process; failures surface on the commands instead.
    this.client.on('error', () => undefined);
    this.connecting = this.client.connect().catch(() => undefined);
  }

  /**
   * Runs a command within the timeouts.
   * @throws LlmopsError `unavailable` saying what failed and where (never the URL's secrets).
   */
  async command<T>(action: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new LlmopsError('unavailable', `${this.subject}: Redis at ${this.location} is closed`);
    try {
      if (!this.client.isReady) await within(this.connecting, this.connectTimeoutMs, 'no connection');
      return await within(run(), this.commandTimeoutMs, 'no answer');
    } catch (cause) {
      throw new LlmopsError(
        'unavailable',
        `${this.subject}: cannot ${action} Redis at ${this.location}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  /** Waits for the first connection attempt; whether the client is connected now. */
  async ready(): Promise<boolean> {
    await this.connecting;
    return this.client.isReady;
  }

  /** Closes the client; one still trying to connect (Redis down) is dropped at once rather than waited for. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.client.isReady) await this.client.close();
      else if (this.client.isOpen) this.client.destroy();
    } catch {
      this.client.destroy();
    }
  }
}
