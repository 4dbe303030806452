import type { DatabaseSync } from 'node:sqlite';
import { InlineBatchWriter } from './sqlite-batch-writer.js';
import type { SqliteBatchWriter } from './sqlite-batch-writer.js';
import { LlmopsError } from '../errors/llmops-error.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';

/** Who writes a store's batches: the caller's connection on its event loop, or a writer thread. */
export type SqliteWriterMode = 'inline' | 'thread';

/** The environment variable that chooses the embedded stores' {@link SqliteWriterMode}. */
export const sqliteWriterEnv = 'LLMOPS_SQLITE_WRITER';

/**
 * The writer mode `LLMOPS_SQLITE_WRITER` names (`inline` or `thread`); `undefined` when it is unset or empty.
 * @throws LlmopsError `invalid_input` naming the variable for any other value.
 */
export function sqliteWriterModeFromEnv(env: Record<string, string | undefined>): SqliteWriterMode | undefined {
  const value = env[sqliteWriterEnv]?.trim();
  if (value === undefined || value === '') return undefined;
  if (value === 'inline' || value === 'thread') return value;
  throw new LlmopsError('invalid_input', `${sqliteWriterEnv} is "${value}"; expected inline or thread`);
}

/** Options of {@link openSqliteBatchWriter}. */
export interface SqliteBatchWriterOptions {
  /** The store's name in error messages (`trace store`). */
  subject: string;
  /** The file; `:memory:` is written through `database` in the caller's thread (another connection would not see it). */
  path: string;
  busyTimeoutMs?: number;
  /** The caller's own connection to the file. */
  database: DatabaseSync;
  /**
   * `inline` (the default): the caller's connection writes, synchronously, on the event loop. `thread`: a worker
   * thread with its own connection writes, so a batch's inserts, index updates and commit never hold the caller's event
   * loop, for more CPU in all (the rows' clone, their decoding, waking the thread).
   */
  mode?: SqliteWriterMode;
}

/**
 * The batch writer of a store: the caller's connection, or a {@link SqliteWriterThread} for a file when `mode` is
 * `thread` (never for `:memory:`). The thread starts on the first write, so a store only read never starts one.
 */
export function openSqliteBatchWriter(options: SqliteBatchWriterOptions): SqliteBatchWriter {
  if (options.path === ':memory:' || options.mode !== 'thread')
    return new InlineBatchWriter(options.database, options.subject);
  return new SqliteWriterThread({
    path: options.path,
    subject: options.subject,
    database: options.database,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
}
