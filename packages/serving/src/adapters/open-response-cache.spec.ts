import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openResponseCache } from './open-response-cache.js';

describe('openResponseCache', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'llmops-open-cache-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const open = (env: Record<string, string>, storeUri = 'sqlite:.llmops/llmops.db') =>
    openResponseCache({ env, storeUri, cwd });

  it('keeps answers in process by default, in Redis when REDIS_URL is set, in the store file when asked', async () => {
    const memory = open({});
    expect([memory.store.name, memory.location]).toEqual(['memory', 'in-process']);
    await memory.store.close();

    const redis = open({ REDIS_URL: 'redis://user:s3cret@127.0.0.1:6379' });
    expect([redis.store.name, redis.location]).toEqual(['redis', 'redis (127.0.0.1:6379 db 0)']);
    await redis.store.close();

    const sqlite = open({ LLMOPS_CACHE: 'sqlite', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect([sqlite.store.name, sqlite.location]).toEqual(['sqlite', 'sqlite (.llmops/llmops.db)']);
    expect(existsSync(join(cwd, '.llmops', 'llmops.db'))).toBe(true);
    await sqlite.store.close();

    const besideMlflow = open({ LLMOPS_CACHE: 'sqlite' }, 'http://127.0.0.1:5000');
    expect(besideMlflow.location).toBe(`sqlite (${join('.llmops', 'cache.db')})`);
    await besideMlflow.store.close();
  });

  it('refuses a bad configuration, naming the variable and what it expects', () => {
    expect(() => open({ LLMOPS_CACHE: 'disk' })).toThrow(
      'LLMOPS_CACHE is "disk"; expected one of memory, sqlite, redis',
    );
    expect(() => open({ LLMOPS_CACHE: 'redis' })).toThrow(
      'LLMOPS_CACHE is redis but REDIS_URL is not set; expected redis://host:port',
    );
    expect(() => open({ LLMOPS_CACHE_MAX_MB: '0' })).toThrow('LLMOPS_CACHE_MAX_MB is "0"; expected a whole number ≥ 1');
    expect(() => open({ REDIS_URL: 'http://user:s3cret@host' })).toThrow(
      /^REDIS_URL: expected redis:\/\/host:port or rediss:\/\/host:port$/,
    );
  });
});
