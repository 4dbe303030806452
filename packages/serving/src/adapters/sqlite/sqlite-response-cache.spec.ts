import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ManualClock } from '@llmops/kernel';
import { responseCacheConformanceSuite } from '../../testing/index.js';
import { SqliteResponseCache } from './sqlite-response-cache.js';

describe('SqliteResponseCache', () => {
  let folder: string;
  const opened: SqliteResponseCache[] = [];
  const open = (options: { clock?: ManualClock; purgeEvery?: number } = {}) => {
    const cache = new SqliteResponseCache({ path: join(folder, '.llmops', 'llmops.db'), ...options });
    opened.push(cache);
    return cache;
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'llmops-cache-'));
  });

  afterEach(async () => {
    for (const cache of opened.splice(0)) await cache.close();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('conformance', () => {
    for (const conformanceCase of responseCacheConformanceSuite(() => {
      const clock = new ManualClock(Date.now());
      return { store: open({ clock }), elapse: async (ms) => clock.advance(ms) };
    })) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });

  it('shares entries between two stores on one file (two processes of one machine), in WAL mode', async () => {
    const writer = open();
    const reader = open();
    await writer.set('default:bot/1:abc', '{"answer":1}', 60_000);
    expect(await reader.get('default:bot/1:abc')).toBe('{"answer":1}');
    const database = new DatabaseSync(join(folder, '.llmops', 'llmops.db'));
    try {
      expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    } finally {
      database.close();
    }
  });

  it('deletes expired rows every few writes', async () => {
    const clock = new ManualClock(1_000_000);
    const cache = open({ clock, purgeEvery: 2 });
    await cache.set('old', 'x', 10);
    clock.advance(100);
    await cache.set('new', 'y', 60_000);
    const database = new DatabaseSync(join(folder, '.llmops', 'llmops.db'));
    try {
      const keys = database.prepare('SELECT key FROM response_cache ORDER BY key').all();
      expect(keys).toEqual([{ key: 'new' }]);
    } finally {
      database.close();
    }
  });

  it('fails as unavailable, naming the file, when it cannot open it or is closed', async () => {
    expect(() => new SqliteResponseCache({ path: join(folder, 'missing-dir-file', '\u0000bad') })).toThrow(
      /response cache: cannot open SQLite database/,
    );
    const cache = open();
    await cache.close();
    await expect(cache.get('a')).rejects.toThrow(/is closed/);
  });
});
