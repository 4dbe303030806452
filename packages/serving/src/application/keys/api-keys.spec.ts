import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LlmopsError } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import { SqliteApiKeyStore } from '../../adapters/sqlite/sqlite-api-key-store.js';
import { LocalLimitCounters } from '../../adapters/memory/local-limit-counters.js';
import { ApiKeys } from './api-keys.js';

async function failure(promise: Promise<unknown>): Promise<LlmopsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!LlmopsError.isInstance(error)) throw new Error(`expected an LlmopsError, got ${String(error)}`);
  return error;
}

describe('ApiKeys on a SQLite file', () => {
  let folder: string;
  let store: SqliteApiKeyStore;
  let now: number;
  const clock: Clock = { now: () => now, monotonic: () => now };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'llmops-keys-'));
    store = new SqliteApiKeyStore({ path: join(folder, 'llmops.db') });
    now = Date.UTC(2025, 5, 30, 12);
  });
  afterEach(() => {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('creates reader keys, which may call reader routes only (admin keys may call them too)', async () => {
    const keys = new ApiKeys({ store, clock });
    const issued = await keys.create({ name: 'console', role: 'reader', limits: {} });
    expect((await keys.authenticate(issued.apiKey)).role).toBe('reader');
    expect([ApiKeys.allows('reader', 'reader'), ApiKeys.allows('admin', 'reader')]).toEqual([true, true]);
    expect([ApiKeys.allows('reader', 'admin'), ApiKeys.allows('reader', 'inference')]).toEqual([false, false]);
    expect(ApiKeys.allows('inference', 'reader')).toBe(false);
  });

  it('opens a key file written before the reader role, keeping its keys and accepting reader keys', async () => {
    store.close();
    const path = join(folder, 'old.db');
    const old = new DatabaseSync(path);
    old.exec(`
      CREATE TABLE keys_schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT;
      INSERT INTO keys_schema_version VALUES (1, 0);
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('inference', 'admin')),
        limits TEXT NOT NULL, secret_hash TEXT NOT NULL, created_at REAL NOT NULL, last_used_at REAL,
        revoked_at REAL, rotated_at REAL
      ) STRICT;
      CREATE TABLE api_key_spend (key_id TEXT NOT NULL, window TEXT NOT NULL, usd REAL NOT NULL, PRIMARY KEY (key_id, window)) STRICT;
      INSERT INTO api_keys VALUES ('a0000000000a', 'ops', 'admin', '{}', '${'0'.repeat(64)}', 1, NULL, NULL, NULL);
    `);
    old.close();
    store = new SqliteApiKeyStore({ path });
    expect((await store.get('a0000000000a'))?.role).toBe('admin');
    const issued = await new ApiKeys({ store, clock }).create({ name: 'console', role: 'reader', limits: {} });
    expect((await store.get(issued.key.id))?.role).toBe('reader');
  });

  it('creates a key whose secret is shown once and stored only as its hash', async () => {
    const keys = new ApiKeys({ store, clock });
    const issued = await keys.create({ name: 'ci bot', role: 'inference', limits: { rpm: 10 } });
    expect(issued.apiKey).toMatch(new RegExp(`^llmops-${issued.key.id}-`));
    const stored = await store.get(issued.key.id);
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(issued.apiKey.slice(20));
    expect(issued.key).toEqual({
      id: issued.key.id,
      name: 'ci bot',
      role: 'inference',
      limits: { rpm: 10 },
      createdAt: now,
    });
    expect(await keys.authenticate(issued.apiKey)).toMatchObject({ id: issued.key.id, role: 'inference' });
  });

  it('refuses bad input naming the field', async () => {
    const keys = new ApiKeys({ store, clock });
    expect((await failure(keys.create({ role: 'root' as 'admin' }))).message).toMatch(/^new API key: role:/);
    expect((await failure(keys.create({ role: 'admin', limits: { rpm: 0 } }))).message).toMatch(/limits\.rpm/);
    expect((await failure(keys.revoke('nope'))).code).toBe('invalid_input');
    expect((await failure(keys.revoke('0123456789ab'))).code).toBe('not_found');
  });

  it('refuses a wrong secret, a malformed token and a revoked key with unauthorized, never echoing the token', async () => {
    const keys = new ApiKeys({ store, clock });
    const { key, apiKey } = await keys.create({ role: 'admin' });
    const wrong = `${apiKey.slice(0, -4)}AAAA`;
    const refused = await failure(keys.authenticate(wrong));
    expect(refused.code).toBe('unauthorized');
    expect(refused.message).not.toContain(wrong.slice(20));
    expect((await failure(keys.authenticate('admin-secret'))).code).toBe('unauthorized');
    await keys.revoke(key.id);
    expect((await failure(keys.authenticate(apiKey))).message).toBe(`API key ${key.id} is revoked`);
    expect((await failure(keys.rotate(key.id))).code).toBe('conflict');
  });

  it('rotates: same id, role and limits, a new secret, the old one refused at once', async () => {
    const keys = new ApiKeys({ store, clock });
    const first = await keys.create({ name: 'svc', role: 'inference', limits: { tpm: 1000, budgetUsdDay: 2 } });
    now += 1000;
    const rotated = await keys.rotate(first.key.id);
    expect(rotated.apiKey).not.toBe(first.apiKey);
    expect(rotated.key).toMatchObject({
      id: first.key.id,
      role: 'inference',
      limits: first.key.limits,
      rotatedAt: now,
    });
    expect((await failure(keys.authenticate(first.apiKey))).code).toBe('unauthorized');
    expect((await keys.authenticate(rotated.apiKey)).id).toBe(first.key.id);
  });

  it('lists keys with last use and spend, without secrets; a second process sees a revocation at once', async () => {
    const counters = new LocalLimitCounters({ ledger: store });
    const keys = new ApiKeys({ store, clock, counters });
    const { key, apiKey } = await keys.create({ role: 'inference', limits: { budgetUsdDay: 1 } });
    now += 5_000;
    await keys.authenticate(apiKey);
    await counters.record({ keyId: key.id, limits: key.limits }, { nowMs: now, tokens: 10, costUsd: 0.25 });
    const [listed] = await keys.list();
    expect(listed).toMatchObject({ id: key.id, lastUsedAt: now, spend: { dayUsd: 0.25, monthUsd: 0.25 } });
    expect(JSON.stringify(listed)).not.toMatch(/secret/i);

    const otherProcess = new SqliteApiKeyStore({ path: store.location });
    try {
      await new ApiKeys({ store: otherProcess, clock }).revoke(key.id);
    } finally {
      otherProcess.close();
    }
    expect((await failure(keys.authenticate(apiKey))).code).toBe('unauthorized');
  });
});
