import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteFile } from './sqlite-file.js';

describe('openSqliteFile', () => {
  it('creates the folder and opens the file in WAL mode with a busy timeout and foreign keys enforced', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'llmops-sqlite-')), 'nested', 'store.db');
    const database = openSqliteFile({ path, busyTimeoutMs: 1234 });
    expect(existsSync(path)).toBe(true);
    expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(database.prepare('PRAGMA busy_timeout').get()).toEqual({ timeout: 1234 });
    expect(database.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    database.close();
  });

  it('opens a throw-away database for :memory:', () => {
    const database = openSqliteFile({ path: ':memory:' });
    expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'memory' });
    database.close();
  });
});
