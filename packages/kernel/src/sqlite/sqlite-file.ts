import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { loadNodeSqlite } from './node-sqlite.js';

/** Options of {@link openSqliteFile}. */
export interface SqliteFileOptions {
  /** The file (its folder is created), or `:memory:` for a throw-away database. */
  path: string;
  /** How long a write waits for another process's lock, in ms; 5,000 by default. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating when needed) a SQLite file the way every context shares `.llmops/llmops.db`: a busy
 * timeout, WAL mode (readers never block the writer; not for `:memory:`), `synchronous = NORMAL`
 * (a committed transaction survives a process crash); foreign keys are enforced, as `node:sqlite` does
 * by default. Errors are thrown as they come; callers name their store in the message.
 * `node:sqlite` is loaded here, on first open, not when the kernel is imported.
 * @throws LlmopsError `unavailable` when this Node.js has no `node:sqlite` (see {@link loadNodeSqlite}).
 */
export function openSqliteFile(options: SqliteFileOptions): DatabaseSync {
  const { path } = options;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const { DatabaseSync: Database } = loadNodeSqlite();
  const database = new Database(path);
  for (const pragma of sqliteFilePragmas(options)) database.exec(pragma);
  return database;
}

/**
 * The statements {@link openSqliteFile} runs on a new connection: the busy timeout, WAL mode (not for `:memory:`) and
 * `synchronous = NORMAL`. Exported for a connection opened elsewhere (a writer thread's) to be set up the same way.
 */
export function sqliteFilePragmas(options: SqliteFileOptions): string[] {
  return [
    `PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`,
    ...(options.path === ':memory:' ? [] : ['PRAGMA journal_mode = WAL']),
    'PRAGMA synchronous = NORMAL',
  ];
}
