import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { LlmopsError } from '@llmops/kernel';
import { limitCountersConformanceSuite } from '../../testing/index.js';
import { RedisLimitCounters } from './redis-limit-counters.js';

// The real Redis of the development machine and CI (REDIS_URL, 127.0.0.1:6379 by default), under a prefix of its own.
const url = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const keyPrefix = `llmops-test:limits:${randomBytes(4).toString('hex')}:`;

describe('RedisLimitCounters (against the real Redis)', () => {
  afterAll(async () => {
    const client = createClient({ url });
    await client.connect();
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  });

  describe('conformance', () => {
    for (const conformanceCase of limitCountersConformanceSuite(() => new RedisLimitCounters({ url, keyPrefix }))) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });

  it('two replicas share one bucket: the request one admits, the other is refused', async () => {
    const first = new RedisLimitCounters({ url, keyPrefix });
    const second = new RedisLimitCounters({ url, keyPrefix });
    const caller = { keyId: randomBytes(6).toString('hex'), limits: { rpm: 2 } };
    const now = Date.UTC(2025, 5, 30, 12);
    try {
      const decisions = await Promise.all([
        first.admit(caller, now),
        second.admit(caller, now),
        first.admit(caller, now),
        second.admit(caller, now),
      ]);
      expect(decisions.filter((decision) => decision.admitted)).toHaveLength(2);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('fails with unavailable naming the host, never the password, when Redis cannot be reached', async () => {
    const counters = new RedisLimitCounters({ url: 'redis://user:hunter2@127.0.0.1:1', keyPrefix });
    try {
      const error = await counters.admit({ keyId: 'aaaaaaaaaaaa', limits: { rpm: 1 } }, Date.now()).catch((e) => e);
      expect(LlmopsError.isInstance(error) && error.code).toBe('unavailable');
      expect(String(error.message)).toContain('127.0.0.1:1 db 0');
      expect(String(error.message)).not.toContain('hunter2');
    } finally {
      await counters.close();
    }
  });

  it('refuses a URL that is not redis:// without repeating it', () => {
    expect(() => new RedisLimitCounters({ url: 'http://secret@host' })).toThrow(
      'REDIS_URL: expected redis://host:port or rediss://host:port',
    );
  });
});
