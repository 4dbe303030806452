import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { responseCacheConformanceSuite } from '../../testing/index.js';
import { RedisResponseCache } from './redis-response-cache.js';
import { redisLocation } from './redis-connection.js';

/** The real Redis of the development machine and CI (`.ci/run` starts it). */
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('RedisResponseCache (real Redis)', () => {
  const prefix = `llmops:test:${randomUUID()}:`;
  const opened: RedisResponseCache[] = [];
  const open = async (options: { keyPrefix?: string; url?: string } = {}) => {
    const cache = new RedisResponseCache({ url: redisUrl, keyPrefix: prefix, ...options });
    opened.push(cache);
    return cache;
  };

  afterAll(async () => {
    for (const cache of opened.splice(0)) await cache.close();
    // Cleanup: every key this run wrote is under its unique prefix.
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
      if (keys.length > 0) await client.del(keys);
    } finally {
      await client.close();
    }
  });

  describe('conformance', () => {
    for (const conformanceCase of responseCacheConformanceSuite(async () => {
      const store = await open();
      expect(await store.ready()).toBe(true);
      return { store, elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
    })) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });

  it('keeps keys under its prefix with a PX expiry, shared by two clients (two replicas)', async () => {
    const first = await open();
    const second = await open();
    await first.ready();
    await second.ready();
    await first.set('default:bot/1:abc', 'answer', 60_000);
    expect(await second.get('default:bot/1:abc')).toBe('answer');
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const ttl = await client.pTTL(`${prefix}default:bot/1:abc`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await client.close();
    }
  });

  it('fails fast as unavailable when Redis cannot be reached, naming the host but never the password', async () => {
    const cache = await open({ url: 'redis://user:s3cret@127.0.0.1:1' });
    const failure = await cache.get('a').then(
      () => undefined,
      (error: unknown) => error as Error & { code: string },
    );
    expect(failure?.code).toBe('unavailable');
    expect(failure?.message).toContain('Redis at 127.0.0.1:1 db 0');
    expect(failure?.message).not.toContain('s3cret');
    await expect(cache.set('a', 'b', 1000)).rejects.toThrow(/cannot write to Redis/);
  });

  it('refuses a URL that is not redis:// or rediss://, without repeating it', () => {
    expect(() => new RedisResponseCache({ url: 'http://user:s3cret@host' })).toThrow(
      'REDIS_URL: expected redis://host:port or rediss://host:port',
    );
    expect(redisLocation('rediss://u:p@cache.internal:6380/2')).toBe('cache.internal:6380 db 2 over TLS');
    expect(redisLocation('redis://:secret@127.0.0.1:6379/1')).toBe('127.0.0.1:6379 db 1');
    expect(redisLocation('redis://localhost')).toBe('localhost:6379 db 0');
  });

  it('refuses a Redis URL whose database is not a number as invalid input, without repeating the password', () => {
    // The walkthrough's REDIS_URL=redis://user:password@host:6379/5x stopped `llmops serve` with "Invalid pathname"
    // and exit 1, as if it had crashed.
    let failure: (Error & { code?: string }) | undefined;
    try {
      new RedisResponseCache({ url: 'redis://user:s3cret@127.0.0.1:6379/5x' });
    } catch (error) {
      failure = error as Error & { code?: string };
    }
    expect(failure?.code).toBe('invalid_input');
    expect(failure?.message).toMatch(/^REDIS_URL: .*redis:\/\/\[user:password@\]host:port\[\/db\]/);
    expect(failure?.message).not.toContain('s3cret');
  });
});
