import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlflowRegistryStore } from './adapters/mlflow/mlflow-registry-store.js';
import { SqliteRegistryStore } from './adapters/sqlite/sqlite-registry-store.js';
import { createRegistryStore } from './create-registry-store.js';
import { assertRejectsWith } from './testing/index.js';

describe('createRegistryStore', () => {
  it('opens a SQLite store at a path relative to cwd', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-store-uri-'));
    const store = createRegistryStore('sqlite:.llmops/llmops.db', { cwd });
    expect(store).toBeInstanceOf(SqliteRegistryStore);
    expect([store.uri, store.locality]).toEqual(['sqlite:.llmops/llmops.db', 'local']);
    await store.createPromptVersion({
      name: 'p',
      template: 'x',
      variables: [],
      message: '',
      tags: {},
      author: 'a',
      createdAt: 1,
      contentHash: 'h',
    });
    await store.close();
    const reopened = new SqliteRegistryStore({ path: join(cwd, '.llmops', 'llmops.db') });
    expect((await reopened.listPrompts()).map((prompt) => prompt.name)).toEqual(['p']);
    await reopened.close();
    const memory = createRegistryStore('sqlite::memory:');
    expect(await memory.listModels()).toEqual([]);
    await memory.close();
  });

  it('opens an MLflow store for an http(s) URI, without credentials in its URI', async () => {
    const store = createRegistryStore('http://alice:s3cret@127.0.0.1:9/mlflow', {
      env: {},
      mlflow: { retry: { maxAttempts: 1 }, timeoutMs: 2_000 },
    });
    expect(store).toBeInstanceOf(MlflowRegistryStore);
    expect(store.locality).toBe('remote');
    expect(store.uri).not.toContain('s3cret');
    const error = await assertRejectsWith(store.listPrompts(), 'unavailable');
    expect(error.message).not.toContain('s3cret');
  });

  it('refuses what is neither', () => {
    expect(() => createRegistryStore('postgres://db/registry')).toThrow(
      'neither sqlite:<path> nor an http(s):// MLflow tracking URI',
    );
    expect(() => createRegistryStore('sqlite:')).toThrow('has no file path');
    expect(() =>
      createRegistryStore('http://127.0.0.1:5000', {
        env: { MLFLOW_TRACKING_TOKEN: '', MLFLOW_TRACKING_USERNAME: 'only-user' },
      }),
    ).toThrow('MLFLOW_TRACKING_PASSWORD is not set');
  });
});
