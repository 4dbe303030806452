import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeysDatabasePath, openApiKeys } from './open-api-keys.js';

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
      expect(shared.counters.location).toMatch(/^redis:\/\/[^@]+$/);
      const { key } = await local.keys.create({ role: 'admin' });
      expect((await shared.keys.list()).map((listed) => listed.id)).toEqual([key.id]);
    } finally {
      await local.close();
      await shared.close();
    }
  });
});
