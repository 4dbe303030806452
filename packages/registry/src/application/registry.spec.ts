import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@llmops/kernel';
import { SqliteRegistryStore } from '../adapters/sqlite/sqlite-registry-store.js';
import { parsePromotionPolicy } from '../domain/promotion-policy.js';
import type { RegistryStore } from '../ports.js';
import { assertRejectsWith, InMemoryEvaluationEvidence } from '../testing/index.js';
import { createRegistry } from './registry.js';

const directory = mkdtempSync(join(tmpdir(), 'llmops-registry-app-'));

/** The same SQLite store seen as a remote one: no change marker, so only the TTL bounds staleness. */
function asRemote(store: RegistryStore): RegistryStore {
  return new Proxy(store, {
    get: (target, key) =>
      key === 'locality' ? 'remote' : key === 'changeMarker' ? undefined : Reflect.get(target, key, target),
  });
}

describe('Registry', () => {
  it('serves a remote store from the cache for the TTL, then reads it again', async () => {
    const path = join(directory, 'remote.db');
    const clock = new ManualClock(0);
    const writer = createRegistry({ store: new SqliteRegistryStore({ path }), clock });
    const reader = createRegistry({
      store: asRemote(new SqliteRegistryStore({ path })),
      clock,
      remoteCacheTtlMs: 2_000,
    });
    await writer.registerPrompt({ name: 'remote', template: 'one', aliases: ['prod'] });
    await writer.registerPrompt({ name: 'remote', template: 'two' });
    expect((await reader.resolvePrompt('remote@prod')).version).toBe(1);
    await writer.setAlias({ kind: 'prompt', name: 'remote', alias: 'prod', version: 2 });
    clock.advance(1_999);
    expect((await reader.resolvePrompt('remote@prod')).version).toBe(1);
    clock.advance(1);
    expect((await reader.resolvePrompt('remote@prod')).version).toBe(2);
    await reader.close();
    await writer.close();
  });

  it('names the spec file and field of a bad model spec, and the prompt it cannot find', async () => {
    const registry = createRegistry({ store: new SqliteRegistryStore({ path: ':memory:' }) });
    await assertRejectsWith(
      registry.registerModel({
        spec: { name: 'm', provider: 'offline/extractive', pipeline: { kind: 'rag', prompt: 'p' } },
        source: { file: 'confs/models/m.yaml', text: '' },
      }),
      'invalid_input',
      /^model spec confs\/models\/m\.yaml: pipeline\.corpus: /,
    );
    await assertRejectsWith(
      registry.registerModel({
        spec: { name: 'm', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'nowhere@champion' } },
      }),
      'not_found',
      /^model "m": pipeline\.prompt: prompt "nowhere" not found/,
    );
    await assertRejectsWith(
      registry.registerModel({
        spec: { name: 'm', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'p' } },
        aliases: ['champion'],
      }),
      'invalid_input',
      /gated promotion/,
    );
    expect(await registry.listModels()).toEqual([]);
    await registry.close();
  });

  it('only counts evidence measured on the policy dataset', async () => {
    const evidence = new InMemoryEvaluationEvidence();
    const registry = createRegistry({ store: new SqliteRegistryStore({ path: ':memory:' }), evidence });
    await registry.registerPrompt({ name: 'p', template: '{{question}}' });
    await registry.registerModel({
      spec: { name: 'm', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'p' } },
    });
    evidence.record(
      { model: 'm', version: 1 },
      { runId: 'other', dataset: 'smoke', metrics: { 'faithfulness.mean': 1 }, completedAt: 1 },
    );
    const policy = parsePromotionPolicy({ dataset: 'golden', criteria: ['faithfulness.mean >= 0.9'] });
    await assertRejectsWith(
      registry.promote({ name: 'm', version: 1, policy }),
      'gate_failed',
      /no evaluation of m\/1 on dataset "golden"/,
    );
    evidence.record(
      { model: 'm', version: 1 },
      { runId: 'old', dataset: 'golden', metrics: { 'faithfulness.mean': 0.95 }, completedAt: 2 },
    );
    evidence.record(
      { model: 'm', version: 1 },
      { runId: 'new', dataset: 'golden', metrics: { 'faithfulness.mean': 0.5 }, completedAt: 3 },
    );
    await assertRejectsWith(
      registry.promote({ name: 'm', version: 1, policy }),
      'gate_failed',
      /0\.5 is below the threshold 0\.9/,
    );
    await registry.close();
  });

  it('shows a version with the aliases pointing to it, and lists versions of known names only', async () => {
    const registry = createRegistry({ store: new SqliteRegistryStore({ path: ':memory:' }), actor: 'dana' });
    await registry.registerPrompt({ name: 'p', template: 'a', aliases: ['prod', 'canary'] });
    await registry.registerPrompt({ name: 'p', template: 'b' });
    expect(await registry.showPrompt('p@prod')).toMatchObject({
      version: 1,
      aliases: ['canary', 'prod'],
      author: 'dana',
    });
    expect(await registry.showPrompt('p')).toMatchObject({ version: 2, aliases: [] });
    await assertRejectsWith(registry.listPromptVersions('q'), 'not_found', /prompt "q" not found in sqlite::memory:/);
    await assertRejectsWith(registry.audit('model', 'p'), 'not_found');
    await registry.close();
  });
});
