import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryWiring } from './registry-wiring.js';
import { startApiServer } from '../http/start-api-server.js';
import { testAccess } from '../__fixtures__/test-keys.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'llmops-api-wiring-'));
}

describe('createRegistryWiring', () => {
  it('serves the registry of the store URI over real HTTP, with readiness and the shipped policy', async () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'confs'));
    writeFileSync(
      join(cwd, 'confs', 'promotion-policy.yaml'),
      'dataset: golden\ncriteria:\n  - faithfulness.mean >= 0.9\n',
    );
    const keys = await testAccess();
    const wiring = createRegistryWiring({ cwd, storeUri: 'sqlite:data/registry.db' });
    expect(wiring.policy?.datasets).toEqual(['golden']);
    const running = await startApiServer({
      port: 0,
      routes: [wiring.routes],
      access: keys.access,
      readinessChecks: [wiring.readinessCheck],
    });
    try {
      const ready = await fetch(`${running.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', checks: [{ name: 'registry', ok: true }] });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${keys.adminKey}` };
      const created = await fetch(`${running.url}/api/v1/prompts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'p', template: '{{q}}' }),
      });
      expect(created.status).toBe(201);
      await fetch(`${running.url}/api/v1/models`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          spec: { name: 'm', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'p' } },
        }),
      });
      const refused = await fetch(`${running.url}/api/v1/models/m/promote`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ version: 1 }),
      });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        'no evaluation of m/1 on dataset "golden" was found',
      );
    } finally {
      await running.close();
      await wiring.close();
    }
    // The data is in the file the URI named, relative to cwd.
    const reopened = createRegistryWiring({ cwd, storeUri: 'sqlite:data/registry.db' });
    expect((await reopened.registry.listPrompts()).map((prompt) => prompt.name)).toEqual(['p']);
    await reopened.close();
  });

  it('has no policy when there is no file, and names a bad policy file', () => {
    const cwd = folder();
    const wiring = createRegistryWiring({ cwd, storeUri: 'sqlite::memory:' });
    expect(wiring.policy).toBeUndefined();
    void wiring.close();
    writeFileSync(join(cwd, 'policy.yaml'), 'dataset: golden\ncriteria: []\n');
    expect(() => createRegistryWiring({ cwd, storeUri: 'sqlite::memory:', policyFile: 'policy.yaml' })).toThrow(
      'policy.yaml:2: criteria: a policy needs at least one criterion',
    );
    expect(() => createRegistryWiring({ cwd, storeUri: 'postgres://x' })).toThrow(
      /neither sqlite:<path> nor an http\(s\):\/\/ MLflow tracking URI/,
    );
  });
});
