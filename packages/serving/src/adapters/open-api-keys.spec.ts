import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { apiKeysDatabasePath, openApiKeys } from './open-api-keys.js';
import { redisLocation } from './redis/redis-connection.js';

describe('openApiKeys', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-open-keys-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('keeps keys in the embedded SQLite file, or in .llmops/keys.db beside an MLflow store', () => {
    expect(apiKeysDatabasePath('sqlite:.llmops/llmops.db', cwd)).toBe(join(cwd, '.llmops', 'llmops.db'));
    expect(apiKeysDatabasePath('http://127.0.0.1:5000', cwd)).toBe(join(cwd, '.llmops', 'keys.db'));
  });

  it('counts limits in process by default and in Redis when REDIS_URL is set; both read one key file', async () => {
    const local = openApiKeys('http://127.0.0.1:5000', { cwd, env: {} });
    const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
    const shared = openApiKeys('http://127.0.0.1:5000', { cwd, env: { REDIS_URL: redisUrl } });
    try {
      expect([local.location, local.counters.location]).toEqual([join(cwd, '.llmops', 'keys.db'), 'memory']);
      expect(shared.counters.location).toMatch(/^[^@/]+:\d+ db \d+ \(in-process counters while it is unreachable\)$/);
      // What `llmops serve` prints: where the counters are, host, port and database only.
      expect([local.limitsLocation, shared.limitsLocation]).toEqual([
        'in-process',
        `redis (${redisLocation(redisUrl)})`,
      ]);
      expect(shared.limitsLocation).toMatch(/^redis \([^@/]+:\d+ db \d+\)$/);
      const { key } = await local.keys.create({ role: 'admin' });
      expect((await shared.keys.list()).map((listed) => listed.id)).toEqual([key.id]);
    } finally {
      await local.close();
      await shared.close();
    }
  });

  it('keeps Redis counters under LLMOPS_LIMITS_PREFIX, so deployments sharing one Redis stay apart', async () => {
    const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
    const prefix = `llmops-test:limits-prefix:${randomBytes(4).toString('hex')}:`;
    const opened = openApiKeys('http://127.0.0.1:5000', {
      cwd,
      env: { REDIS_URL: redisUrl, LLMOPS_LIMITS_PREFIX: prefix },
    });
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const decision = await opened.counters.admit({ keyId: 'k0000000001', limits: { rpm: 5 } }, Date.now());
      expect(decision.admitted).toBe(true);
      expect(await client.keys(`${prefix}*`)).toEqual([`${prefix}k0000000001:rpm`]);
    } finally {
      const written = await client.keys(`${prefix}*`);
      if (written.length > 0) await client.del(written);
      await client.close();
      await opened.close();
    }
  });
});
