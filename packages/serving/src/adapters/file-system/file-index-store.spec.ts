import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredIndex } from '../../ports.js';
import { FileIndexStore } from './file-index-store.js';

function index(key: string): StoredIndex {
  return {
    formatVersion: 1,
    key,
    corpus: 'kb',
    contentHash: 'abc',
    createdAt: 1,
    chunking: { chunkTokens: 200, overlapTokens: 40 },
    passages: [{ id: 'a.md#1', source: 'a.md', text: 'Alpha.', tokens: 2 }],
  };
}

describe('FileIndexStore', () => {
  it('saves an index as a file under its key and loads it back', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'llmops-index-')), '.llmops', 'indexes');
    const store = new FileIndexStore({ directory });
    expect(await store.load('k1')).toBeUndefined();
    await store.save(index('k1'));
    expect(existsSync(join(directory, 'k1.json'))).toBe(true);
    expect(readdirSync(directory)).toEqual(['k1.json']);
    expect(await new FileIndexStore({ directory }).load('k1')).toEqual(index('k1'));
  });

  it('treats a file of another key or broken JSON as absent', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'llmops-index-'));
    const store = new FileIndexStore({ directory });
    writeFileSync(join(directory, 'moved.json'), JSON.stringify(index('other')));
    writeFileSync(join(directory, 'torn.json'), '{"formatVersion": 1, "passa');
    expect(await store.load('moved')).toBeUndefined();
    expect(await store.load('torn')).toBeUndefined();
  });

  it('rejects keys that could leave the directory', async () => {
    const store = new FileIndexStore({ directory: tmpdir() });
    await expect(store.load('../etc/passwd')).rejects.toThrow(
      'index key "../etc/passwd" has characters outside A-Z a-z 0-9 _ . -',
    );
  });
});
