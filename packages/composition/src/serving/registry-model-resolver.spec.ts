import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, createRegistryStore } from '@llmops/registry';
import type { Registry } from '@llmops/registry';
import { RegistryModelResolver } from './registry-model-resolver.js';

const spec = (name: string, prompt: string, temperature: number) => ({
  name,
  provider: 'offline/extractive',
  params: { temperature },
  pipeline: { kind: 'chat' as const, prompt },
});

describe('RegistryModelResolver', () => {
  let registry: Registry;

  beforeEach(() => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-model-resolver-'));
    registry = createRegistry({ store: createRegistryStore('sqlite:.llmops/llmops.db', { cwd }), actor: 'test' });
  });

  it('answers a remembered version with the model it made for it, and a moved alias with the new version', async () => {
    await registry.registerPrompt({ name: 'answer', template: 'Answer briefly.' });
    await registry.registerModel({ spec: spec('writer', 'answer/1', 0.1) });
    await registry.registerModel({ spec: spec('writer', 'answer/1', 0.7) });
    await registry.setAlias({ kind: 'model', name: 'writer', alias: 'prod', version: 1 });
    const resolver = new RegistryModelResolver(registry);

    const first = await resolver.resolve('writer@prod');
    expect(await resolver.resolve('writer@prod')).toBe(first);
    expect(first).toMatchObject({ name: 'writer', version: 1, params: { temperature: 0.1 } });

    await registry.setAlias({ kind: 'model', name: 'writer', alias: 'prod', version: 2 });
    expect(await resolver.resolve('writer@prod')).toMatchObject({ version: 2, params: { temperature: 0.7 } });
  });
});
