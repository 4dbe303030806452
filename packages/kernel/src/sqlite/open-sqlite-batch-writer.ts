import type { DatabaseSync } from 'node:sqlite';
import { InlineBatchWriter } from './sqlite-batch-writer.js';
import type { SqliteBatchWriter } from './sqlite-batch-writer.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';

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
   * `thread` (the default for a file): a worker thread with its own connection writes, so a batch's inserts, index
   * updates and commit never hold the caller's event loop. `inline`: the caller's connection writes, synchronously.
   */
  mode?: 'thread' | 'inline';
}

/**
 * The batch writer of a store: a {@link SqliteWriterThread} for a file (unless `mode` is `inline`), the caller's
 * connection for `:memory:`. The thread starts on the first write, so a store only read never starts one.
 */
export function openSqliteBatchWriter(options: SqliteBatchWriterOptions): SqliteBatchWriter {
  if (options.path === ':memory:' || options.mode === 'inline')
    return new InlineBatchWriter(options.database, options.subject);
  return new SqliteWriterThread({
    path: options.path,
    subject: options.subject,
    database: options.database,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
}
