import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError } from '../errors/llmops-error.js';
import { openSqliteBatchWriter, sqliteWriterModeFromEnv } from './open-sqlite-batch-writer.js';
import type { SqliteBatchWriter } from './sqlite-batch-writer.js';
import { openSqliteFile } from './sqlite-file.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';

const insertNote = { sql: 'INSERT INTO notes (id, text) VALUES (?, ?)', items: 'notes' };

function scratchFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'llmops-batch-writer-')), 'store.db');
}

function openNotes(path: string): DatabaseSync {
  const database = openSqliteFile({ path });
  database.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT');
  return database;
}

function countNotes(database: DatabaseSync): number {
  return (database.prepare('SELECT COUNT(*) AS total FROM notes').get() as { total: number }).total;
}

describe('openSqliteBatchWriter', () => {
  const opened: Array<{ writer: SqliteBatchWriter; database: DatabaseSync }> = [];
  afterEach(() => {
    for (const { writer, database } of opened.splice(0)) {
      writer.close();
      database.close();
    }
  });

  function open(path: string, options: { busyTimeoutMs?: number; mode?: 'thread' | 'inline' } = {}) {
    const database = openNotes(path);
    const writer = openSqliteBatchWriter({ subject: 'note store', path, database, ...options });
    opened.push({ writer, database });
    return { writer, database };
  }

  /** A writer whose thread is up: every batch goes to the thread. */
  async function openThread(path: string, options: { busyTimeoutMs?: number } = {}) {
    const database = openNotes(path);
    const writer = new SqliteWriterThread({ subject: 'note store', path, database, ...options });
    opened.push({ writer, database });
    await writer.start();
    return { writer, database };
  }

  it('commits a batch on its own thread: once write resolves, another connection reads every row', async () => {
    const path = scratchFile();
    const { writer } = await openThread(path);
    await writer.write(insertNote, [
      [1, 'one'],
      [2, 'two'],
    ]);
    const reader = openSqliteFile({ path });
    expect(reader.prepare('SELECT id, text FROM notes ORDER BY id').all()).toEqual([
      { id: 1, text: 'one' },
      { id: 2, text: 'two' },
    ]);
    reader.close();
  });

  it('writes while the caller’s event loop is held: the rows appear before the loop turns again', async () => {
    const path = scratchFile();
    const { writer, database } = await openThread(path);
    await writer.write(insertNote, [[1, 'the thread is up']]);
    const written = writer.write(insertNote, [[2, 'written while the loop is blocked']]);
    // The loop does not turn in this loop (no await): only another thread can have committed the row.
    const until = Date.now() + 5_000;
    while (countNotes(database) < 2 && Date.now() < until) {
      // Blocking on purpose.
    }
    expect(countNotes(database)).toBe(2);
    await written;
  });

  it('stores a batch all or nothing, naming the store and the batch when a row fails', async () => {
    const path = scratchFile();
    const { writer, database } = await openThread(path);
    const failed = writer.write(insertNote, [
      [1, 'kept out with the row after it'],
      [2, null],
    ]);
    await expect(failed).rejects.toThrow(/^note store: cannot store a batch of 2 notes: .*NOT NULL/);
    await expect(failed).rejects.toMatchObject({ code: 'internal' });
    expect(countNotes(database)).toBe(0);
    await writer.write(insertNote, [[3, 'the thread goes on after a failed batch']]);
    expect(countNotes(database)).toBe(1);
  });

  it('answers unavailable when another connection holds the write lock past the busy timeout, then writes again', async () => {
    const path = scratchFile();
    const { writer } = await openThread(path, { busyTimeoutMs: 50 });
    const holder = openSqliteFile({ path });
    holder.exec('BEGIN IMMEDIATE');
    const busy = writer.write(insertNote, [[1, 'waits for the lock']]);
    await expect(busy).rejects.toThrow('note store is busy (another process holds its write lock); retry');
    const error: unknown = await busy.catch((caught: unknown) => caught);
    expect(LlmopsError.isInstance(error) && error.code).toBe('unavailable');
    holder.exec('ROLLBACK');
    holder.close();
    await writer.write(insertNote, [[1, 'the lock is free']]);
  });

  it('keeps the order of batches, finishes those sent before close, and refuses writes after it', async () => {
    const path = scratchFile();
    const { writer, database } = await openThread(path);
    const batches = Array.from({ length: 20 }, (_, index) => writer.write(insertNote, [[index, `batch ${index}`]]));
    const replaced = writer.write({ sql: 'UPDATE notes SET text = ? WHERE id = ?', items: 'notes' }, [['last', 19]]);
    writer.close();
    await Promise.all([...batches, replaced]);
    expect(countNotes(database)).toBe(20);
    expect(database.prepare('SELECT text FROM notes WHERE id = 19').get()).toEqual({ text: 'last' });
    await expect(writer.write(insertNote, [[99, 'too late']])).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('writes the batches that come while its thread starts through the caller’s connection, at once', async () => {
    const path = scratchFile();
    const { writer, database } = open(path, { mode: 'thread' });
    expect(writer).toBeInstanceOf(SqliteWriterThread);
    const first = writer.write(insertNote, [[1, 'before the thread is ready']]);
    // Inline: committed before write returned, without the event loop turning.
    expect(countNotes(database)).toBe(1);
    await first;
    await (writer as SqliteWriterThread).start();
    await writer.write(insertNote, [[2, 'on the thread']]);
    expect(countNotes(database)).toBe(2);
  });

  it('writes inline by default, and :memory: always, through the caller’s own connection, with the same errors', async () => {
    expect(open(scratchFile()).writer).not.toBeInstanceOf(SqliteWriterThread);
    const memory = open(':memory:', { mode: 'thread' });
    expect(memory.writer).not.toBeInstanceOf(SqliteWriterThread);
    await memory.writer.write(insertNote, [[1, 'in memory']]);
    expect(countNotes(memory.database)).toBe(1);
    const inline = open(scratchFile(), { mode: 'inline' });
    await expect(inline.writer.write(insertNote, [[1, null]])).rejects.toThrow(
      /^note store: cannot store a batch of 1 notes: .*NOT NULL/,
    );
    await inline.writer.write(insertNote, [[1, 'inline']]);
    expect(countNotes(inline.database)).toBe(1);
  });

  it('prepares a statement once inline, and it keeps writing after a migration changes the table', async () => {
    const { writer, database } = open(scratchFile(), { mode: 'inline' });
    const prepare = jest.spyOn(database, 'prepare');
    await writer.write(insertNote, [[1, 'first batch']]);
    database.exec("ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT 'none'");
    await writer.write(insertNote, [[2, 'after the migration']]);

    expect(prepare).toHaveBeenCalledTimes(1);
    prepare.mockRestore();
    expect(database.prepare('SELECT id, tag FROM notes ORDER BY id').all()).toEqual([
      { id: 1, tag: 'none' },
      { id: 2, tag: 'none' },
    ]);
  });

  it('takes its mode from LLMOPS_SQLITE_WRITER, and refuses another value naming the variable', () => {
    expect(sqliteWriterModeFromEnv({})).toBeUndefined();
    expect(sqliteWriterModeFromEnv({ LLMOPS_SQLITE_WRITER: '' })).toBeUndefined();
    expect(sqliteWriterModeFromEnv({ LLMOPS_SQLITE_WRITER: 'thread' })).toBe('thread');
    expect(sqliteWriterModeFromEnv({ LLMOPS_SQLITE_WRITER: ' inline ' })).toBe('inline');
    expect(() => sqliteWriterModeFromEnv({ LLMOPS_SQLITE_WRITER: 'threads' })).toThrow(
      'LLMOPS_SQLITE_WRITER is "threads"; expected inline or thread',
    );
  });
});
