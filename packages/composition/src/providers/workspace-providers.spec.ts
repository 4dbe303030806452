import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkspaceProviders } from './workspace-providers.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'llmops-providers-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('the connections per upstream origin of a workspace’s providers', () => {
  it('are LLMOPS_UPSTREAM_CONNECTIONS when set, 256 otherwise', async () => {
    const set = createWorkspaceProviders({ cwd, env: { LLMOPS_UPSTREAM_CONNECTIONS: '32' } });
    const unset = createWorkspaceProviders({ cwd, env: {} });
    expect(set.pools.connectionsPerOrigin).toBe(32);
    expect(unset.pools.connectionsPerOrigin).toBe(256);
    await Promise.all([set.close(), unset.close()]);
  });

  it('refuse a value that is not a whole number from 1 to 4096, naming the variable', () => {
    expect(() => createWorkspaceProviders({ cwd, env: { LLMOPS_UPSTREAM_CONNECTIONS: '10000' } })).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        message:
          'environment variable LLMOPS_UPSTREAM_CONNECTIONS is "10000"; expected a whole number of connections per upstream origin from 1 to 4096',
      }),
    );
  });
});
