import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmopsError, ManualClock } from '@llmops/kernel';
import type { ProviderCatalog } from '@llmops/kernel';
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

  it('refuses a retrieval setting serving cannot serve, naming the field', async () => {
    const registry = createRegistry({ store: new SqliteRegistryStore({ path: ':memory:' }) });
    await registry.registerPrompt({ name: 'p', template: 'Answer from {{context}}' });
    const rag = (settings: Record<string, unknown>) => ({
      spec: {
        name: 'm',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'p', corpus: 'kb', ...settings },
      },
      source: { file: 'confs/models/m.yaml', text: '' },
    });
    await assertRejectsWith(
      registry.registerModel(rag({ retrieval: { k: 0 } })),
      'invalid_input',
      /^model spec confs\/models\/m\.yaml: pipeline\.retrieval\.k: Too small: expected number to be >=1/,
    );
    await assertRejectsWith(
      registry.registerModel(rag({ tokenBudget: 1 })),
      'invalid_input',
      /^model spec confs\/models\/m\.yaml: pipeline\.tokenBudget: expected at least 16 tokens/,
    );
    await assertRejectsWith(
      registry.registerModel(rag({ retrieval: { chunking: { maxTokens: 30 } } })),
      'invalid_input',
      /pipeline\.retrieval\.chunking\.overlapTokens: /,
    );
    expect(await registry.listModels()).toEqual([]);
    expect((await registry.registerModel(rag({ tokenBudget: 16 }))).version.spec.pipeline).toMatchObject({
      tokenBudget: 16,
    });
    await registry.close();
  });

  it('makes the same RAG spec over other corpus content a new version, and records the corpus in its lineage', async () => {
    const registry = createRegistry({ store: new SqliteRegistryStore({ path: join(directory, 'corpus.db') }) });
    await registry.registerPrompt({ name: 'p', template: 'Answer from {{context}}' });
    const spec = { name: 'rag', provider: 'offline/extractive', pipeline: { kind: 'rag', prompt: 'p', corpus: 'kb' } };
    const before = { location: 'kb', contentHash: `sha256:${'a'.repeat(64)}` };
    const after = { location: 'kb', contentHash: `sha256:${'b'.repeat(64)}` };
    const first = await registry.registerModel({ spec, corpus: before });
    expect(first.version.lineage.corpus).toEqual(before);
    expect((await registry.registerModel({ spec, corpus: before })).created).toBe(false);
    const changed = await registry.registerModel({ spec, corpus: after });
    expect(changed).toMatchObject({ created: true, version: { version: 2, lineage: { corpus: after } } });
    await assertRejectsWith(
      registry.registerModel({ spec, corpus: { ...after, location: 'other' } }),
      'invalid_input',
      /reads "kb"/,
    );
    await registry.close();
  });

  it('checks the provider against the catalog it was given, and only then', async () => {
    const providers: ProviderCatalog = {
      has: (name) => name === 'offline' || name === 'acme',
      names: () => ['acme', 'offline'],
      validate: (model, purpose) => {
        if (model.provider === 'offline' && purpose === 'chat' && model.model !== 'extractive')
          throw new LlmopsError('invalid_input', `${model.provider}/${model.model} is an embedder`);
      },
    };
    const store = new SqliteRegistryStore({ path: ':memory:' });
    const registry = createRegistry({ store, providers });
    await registry.registerPrompt({ name: 'p', template: 'Be brief.' });
    const chat = (provider: unknown) => ({ spec: { name: 'm', provider, pipeline: { kind: 'chat', prompt: 'p' } } });
    await assertRejectsWith(
      registry.registerModel(chat('anthropic/claude')),
      'invalid_input',
      /^model spec: provider: unknown provider "anthropic"; known providers: acme, offline$/,
    );
    await assertRejectsWith(
      registry.registerModel(chat('offline/lexical')),
      'invalid_input',
      /^model spec: provider: offline\/lexical is an embedder/,
    );
    const registered = await registry.registerModel(chat({ provider: 'acme', model: 'rocket-1', region: 'eu' }));
    expect(registered.version.spec.provider).toEqual({ provider: 'acme', model: 'rocket-1', region: 'eu' });
    const unchecked = createRegistry({ store });
    expect((await unchecked.registerModel(chat('anthropic/claude'))).created).toBe(true);
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
