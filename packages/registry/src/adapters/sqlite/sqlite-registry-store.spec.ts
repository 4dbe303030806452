import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ManualClock } from '@llmops/kernel';
import { createRegistry } from '../../application/registry.js';
import { parsePromotionPolicy } from '../../domain/promotion-policy.js';
import { assertRejectsWith, InMemoryEvaluationEvidence, registryStoreConformanceSuite } from '../../testing/index.js';
import { registryMigrations } from './sqlite-migrations.js';
import { SqliteRegistryStore } from './sqlite-registry-store.js';

const directory = mkdtempSync(join(tmpdir(), 'llmops-registry-sqlite-'));
const sharedFile = join(directory, 'nested', 'folder', 'llmops.db');

describe('SqliteRegistryStore conformance (one file shared by all cases)', () => {
  for (const conformanceCase of registryStoreConformanceSuite(() => new SqliteRegistryStore({ path: sharedFile }))) {
    it(conformanceCase.name, conformanceCase.run);
  }
});

describe('SqliteRegistryStore conformance (in memory)', () => {
  for (const conformanceCase of registryStoreConformanceSuite(() => new SqliteRegistryStore({ path: ':memory:' }))) {
    it(conformanceCase.name, conformanceCase.run);
  }
});

const promptInput = (name: string, template: string) => ({
  name,
  template,
  variables: [],
  message: '',
  tags: {},
  author: 'test',
  createdAt: 1,
  contentHash: `sha256:${template}`,
});

describe('SqliteRegistryStore', () => {
  it('creates the file in WAL mode with a schema version table', async () => {
    const path = join(directory, 'wal.db');
    const store = new SqliteRegistryStore({ path });
    await store.close();
    const database = new DatabaseSync(path);
    expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(database.prepare('SELECT version, description FROM registry_schema_version').all()).toEqual([
      { version: 1, description: registryMigrations[0]?.description },
    ]);
    database.close();
    // Opening again applies nothing twice.
    const reopened = new SqliteRegistryStore({ path });
    await reopened.close();
  });

  it('refuses a file whose registry schema is newer than it knows', async () => {
    const path = join(directory, 'future.db');
    await new SqliteRegistryStore({ path }).close();
    const database = new DatabaseSync(path);
    database
      .prepare("INSERT INTO registry_schema_version (version, description, applied_at) VALUES (99, 'future', 0)")
      .run();
    database.close();
    expect(() => new SqliteRegistryStore({ path })).toThrow(
      /schema version 99, newer than this llmops knows \(1\); upgrade llmops/,
    );
  });

  it('says which file cannot be opened', () => {
    const blocker = join(directory, 'a-file');
    writeFileSync(blocker, 'x');
    expect(() => new SqliteRegistryStore({ path: join(blocker, 'x.db') })).toThrow(
      expect.objectContaining({
        code: 'unavailable',
        message: expect.stringContaining(`cannot be opened at ${join(blocker, 'x.db')}`),
      }),
    );
  });

  it('refuses to edit or delete an immutable version or audit entry, even in plain SQL', async () => {
    const path = join(directory, 'immutable.db');
    const store = new SqliteRegistryStore({ path });
    await store.createPromptVersion(promptInput('frozen', 'v1'));
    await store.moveAliases({
      kind: 'prompt',
      name: 'frozen',
      changes: [{ alias: 'prod', expected: null, to: 1 }],
      audit: [
        {
          kind: 'prompt',
          name: 'frozen',
          alias: 'prod',
          fromVersion: null,
          toVersion: 1,
          action: 'set',
          actor: 't',
          reason: '',
          evidence: [],
          at: 1,
        },
      ],
    });
    await store.close();
    const database = new DatabaseSync(path);
    expect(() => database.exec('UPDATE registry_prompt_versions SET template = \'"changed"\'')).toThrow(
      'prompt versions are immutable',
    );
    expect(() => database.exec('DELETE FROM registry_prompt_versions')).toThrow('prompt versions are immutable');
    expect(() => database.exec("UPDATE registry_audit SET actor = 'someone else'")).toThrow(
      'the audit trail is append-only',
    );
    expect(() => database.exec('DELETE FROM registry_audit')).toThrow('the audit trail is append-only');
    expect(database.prepare('SELECT actor FROM registry_audit').all()).toEqual([{ actor: 't' }]);
    database.close();
  });

  it('writes nothing of an alias move when one of its changes fails', async () => {
    const store = new SqliteRegistryStore({ path: ':memory:' });
    await store.createPromptVersion(promptInput('atomic', 'v1'));
    await store.createPromptVersion(promptInput('atomic', 'v2'));
    const audit = {
      kind: 'prompt' as const,
      name: 'atomic',
      alias: 'a',
      fromVersion: null,
      toVersion: 1,
      action: 'set' as const,
      actor: 't',
      reason: '',
      evidence: [],
      at: 1,
    };
    await assertRejectsWith(
      store.moveAliases({
        kind: 'prompt',
        name: 'atomic',
        changes: [
          { alias: 'a', expected: null, to: 1 },
          { alias: 'b', expected: 2, to: 2 },
        ],
        audit: [audit],
      }),
      'conflict',
    );
    expect((await store.getPrompt('atomic'))?.aliases).toEqual({});
    expect(await store.listAudit('prompt', 'atomic')).toEqual([]);
    await store.close();
  });

  it('lets exactly one of two concurrent promotions win, across two connections to one file', async () => {
    const path = join(directory, 'race.db');
    const first = new SqliteRegistryStore({ path });
    const second = new SqliteRegistryStore({ path });
    const evidence = new InMemoryEvaluationEvidence();
    const clock = new ManualClock(1_000);
    const policy = parsePromotionPolicy({ dataset: 'golden', criteria: ['faithfulness.mean >= 0.5'] });
    const left = createRegistry({ store: first, evidence, clock, actor: 'left' });
    const right = createRegistry({ store: second, evidence, clock, actor: 'right' });
    await left.registerPrompt({ name: 'race-prompt', template: 'Q: {{q}}' });
    for (const seed of [1, 2, 3]) {
      await left.registerModel({
        spec: {
          name: 'race',
          provider: 'offline/extractive',
          params: { seed },
          pipeline: { kind: 'chat', prompt: 'race-prompt' },
        },
      });
    }
    for (const version of [1, 2, 3])
      evidence.record(
        { model: 'race', version },
        { runId: `r${version}`, dataset: 'golden', metrics: { 'faithfulness.mean': 0.9 }, completedAt: 1 },
      );
    await left.promote({ name: 'race', version: 1, policy });
    const outcomes = await Promise.allSettled([
      left.promote({ name: 'race', version: 2, policy }),
      right.promote({ name: 'race', version: 3, policy }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'conflict' });
    const winner = outcomes.findIndex((outcome) => outcome.status === 'fulfilled') === 0 ? 2 : 3;
    expect((await right.getModel('race')).aliases).toEqual({ champion: winner, 'previous-champion': 1 });
    expect((await left.audit('model', 'race')).map((entry) => [entry.alias, entry.toVersion])).toEqual([
      ['champion', 1],
      ['champion', winner],
      ['previous-champion', 1],
    ]);
    await first.close();
    await second.close();
  });

  it("shows another connection's alias move to a warm cache through data_version, within the 1 s check window", async () => {
    const path = join(directory, 'marker.db');
    const clock = new ManualClock(0);
    const reader = createRegistry({ store: new SqliteRegistryStore({ path }), clock });
    const writer = createRegistry({ store: new SqliteRegistryStore({ path }) });
    await writer.registerPrompt({ name: 'watched', template: 'one', aliases: ['prod'] });
    await writer.registerPrompt({ name: 'watched', template: 'two' });
    expect((await reader.resolvePrompt('watched@prod')).version).toBe(1);
    const markerBefore = reader.store.changeMarker?.();
    expect(reader.store.changeMarker?.()).toBe(markerBefore);
    await writer.setAlias({ kind: 'prompt', name: 'watched', alias: 'prod', version: 2 });
    expect(reader.store.changeMarker?.()).not.toBe(markerBefore);
    // The marker is read at most once a second: until then the warm cache answers what it holds.
    clock.advance(999);
    expect((await reader.resolvePrompt('watched@prod')).version).toBe(1);
    clock.advance(1);
    expect((await reader.resolvePrompt('watched@prod')).version).toBe(2);
    await reader.close();
    await writer.close();
  });

  it('fails calls after close with unavailable', async () => {
    const store = new SqliteRegistryStore({ path: ':memory:' });
    await store.close();
    await store.close();
    await assertRejectsWith(store.listPrompts(), 'unavailable', /is closed/);
  });
});
