import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { LlmopsError } from '../errors/llmops-error.js';

/** One value of a row's statement parameters. */
export type SqliteRowValue = string | number | null;

/** The statement a batch runs once per row, and what its rows are called in error messages (`traces`, `events`). */
export interface SqliteBatchStatement {
  sql: string;
  items: string;
}

/**
 * Writes batches of rows into a SQLite file, each batch one `BEGIN IMMEDIATE` transaction (all of its rows or none);
 * the promise resolves once the transaction is committed: with WAL and `synchronous = NORMAL` it survives a crash of
 * the process from then on.
 */
export interface SqliteBatchWriter {
  /**
   * Runs the statement (prepared once) for each row, in one transaction.
   * @throws LlmopsError `unavailable` when the file stays locked past the busy timeout; `internal` when a row fails
   * (nothing of the batch is stored).
   */
  write(statement: SqliteBatchStatement, rows: readonly (readonly SqliteRowValue[])[]): Promise<void>;
  /** Closes what the writer opened (a thread's connection; never the caller's own). Writes already sent still end. */
  close(): void;
}

/** The error of a transaction that could not start (`busy`) or failed on a row (`write`), as both writers name it. */
export function batchWriteError(options: {
  subject: string;
  stage: 'begin' | 'write';
  /** How many rows the batch had, and what they are: `2 events`. */
  batch: string;
  cause: unknown;
}): LlmopsError {
  const { subject, stage, batch, cause } = options;
  return stage === 'begin'
    ? new LlmopsError('unavailable', `${subject} is busy (another process holds its write lock); retry`, { cause })
    : new LlmopsError(
        'internal',
        `${subject}: cannot store a batch of ${batch}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
}

/** Writes through the caller's connection, in the caller's thread (the event loop waits for the commit). */
export class InlineBatchWriter implements SqliteBatchWriter {
  /** Each statement prepared once (compiling the trace insert took about 19 µs, once per batch before; issue 13). */
  private readonly prepared = new Map<string, StatementSync>();

  constructor(
    private readonly database: DatabaseSync,
    private readonly subject: string,
  ) {}

  async write(statement: SqliteBatchStatement, rows: readonly (readonly SqliteRowValue[])[]): Promise<void> {
    if (rows.length === 0) return;
    const failure = (stage: 'begin' | 'write', cause: unknown) =>
      batchWriteError({ subject: this.subject, stage, batch: `${rows.length} ${statement.items}`, cause });
    try {
      this.database.exec('BEGIN IMMEDIATE');
    } catch (cause) {
      throw failure('begin', cause);
    }
    try {
      let prepared = this.prepared.get(statement.sql);
      if (prepared === undefined) {
        prepared = this.database.prepare(statement.sql);
        this.prepared.set(statement.sql, prepared);
      }
      for (const row of rows) prepared.run(...row);
      this.database.exec('COMMIT');
    } catch (cause) {
      this.database.exec('ROLLBACK');
      throw failure('write', cause);
    }
  }

  close(): void {
    // The connection is the caller's.
  }
}
