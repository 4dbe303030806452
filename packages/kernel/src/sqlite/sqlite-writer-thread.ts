import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { LlmopsError } from '../errors/llmops-error.js';
import type { SqliteBatchStatement, SqliteBatchWriter, SqliteRowValue } from './sqlite-batch-writer.js';
import { batchWriteError, InlineBatchWriter } from './sqlite-batch-writer.js';
import { sqliteFilePragmas } from './sqlite-file.js';

/**
 * The thread's code, CommonJS with Node's built-in modules only (so it runs the same from sources, from `dist/` and
 * under Jest): it opens its own connection with the pragmas it is given, says `{ ready: true }`, keeps one prepared
 * statement per SQL text, and writes each batch it receives in one `BEGIN IMMEDIATE` transaction, answering `{ id }` once committed or
 * `{ id, stage, message }` when the transaction could not start (`begin`) or a row failed (`write`, rolled back).
 * Messages are handled in the order sent; `close` closes the connection and ends the thread.
 */
const threadSource = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
const database = new DatabaseSync(workerData.path);
for (const pragma of workerData.pragmas) database.exec(pragma);
const statements = new Map();
parentPort.postMessage({ ready: true });
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    if (database.isOpen) database.close();
    parentPort.close();
    return;
  }
  try {
    database.exec('BEGIN IMMEDIATE');
  } catch (error) {
    parentPort.postMessage({ id: message.id, stage: 'begin', message: String(error && error.message) });
    return;
  }
  try {
    let statement = statements.get(message.sql);
    if (!statement) {
      statement = database.prepare(message.sql);
      statements.set(message.sql, statement);
    }
    for (const row of message.rows) statement.run(...row);
    database.exec('COMMIT');
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    try { database.exec('ROLLBACK'); } catch {}
    parentPort.postMessage({ id: message.id, stage: 'write', message: String(error && error.message) });
  }
});
`;

/** What the thread says: that it is ready, or what became of one batch. */
type ThreadAnswer = { ready: true } | { ready?: undefined; id: number; stage?: 'begin' | 'write'; message?: string };

/** Options of {@link SqliteWriterThread}. */
export interface SqliteWriterThreadOptions {
  /** The SQLite file (its schema already migrated by the caller's connection). */
  path: string;
  busyTimeoutMs?: number;
  /** The store's name in error messages (`trace store`). */
  subject: string;
  /** The caller's own connection to the file: it writes the batches that come while the thread is starting. */
  database: DatabaseSync;
}

/**
 * A {@link SqliteBatchWriter} on a `worker_threads` thread with its own connection to the file (WAL, the busy timeout
 * and `synchronous = NORMAL` of `openSqliteFile`): the caller's thread only posts the rows (a structured clone of
 * plain values) and gets the commit back as a message, so a batch's inserts, index updates and commit run on another
 * core instead of holding the caller's event loop. Batches are committed in the order written. The thread starts on the
 * first write; until it says it is ready (tens of ms; longer on a loaded machine), batches are written inline through
 * the caller's connection, so the first ones are neither late nor lost to a short close. It keeps the process alive
 * only while a write is unanswered. A thread that dies fails the writes it held (`unavailable`); the next write starts
 * another.
 */
export class SqliteWriterThread implements SqliteBatchWriter {
  private readonly options: SqliteWriterThreadOptions;
  private worker: Worker | undefined;
  private ready = false;
  private whenReady: (() => void)[] = [];
  private readonly inline: InlineBatchWriter;
  private readonly pending = new Map<
    number,
    { resolve: () => void; reject: (error: LlmopsError) => void; batch: string }
  >();
  private nextId = 0;
  private closed = false;

  constructor(options: SqliteWriterThreadOptions) {
    this.options = options;
    this.inline = new InlineBatchWriter(options.database, options.subject);
  }

  /**
   * Sends a batch to the thread; resolves once it is committed.
   * @throws LlmopsError `unavailable` when the file stays locked past the busy timeout, the thread died, or the writer
   * is closed; `internal` when a row fails (nothing of the batch is stored).
   */
  write(statement: SqliteBatchStatement, rows: readonly (readonly SqliteRowValue[])[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if (this.closed) {
      return Promise.reject(new LlmopsError('unavailable', `${this.options.subject} is closed; nothing was written`));
    }
    const worker = this.worker ?? this.spawn();
    if (!this.ready) return this.inline.write(statement, rows);
    const id = (this.nextId += 1);
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, batch: `${rows.length} ${statement.items}` });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, sql: statement.sql, rows });
    });
  }

  /**
   * Starts the thread now (instead of on the first write) and resolves once it is ready: from then on batches go to it.
   * @throws LlmopsError `unavailable` when the writer is closed or the thread ends before it is ready.
   */
  async start(): Promise<void> {
    if (this.closed) throw new LlmopsError('unavailable', `${this.options.subject} is closed`);
    if (this.ready) return;
    const worker = this.worker ?? this.spawn();
    worker.ref();
    try {
      await new Promise<void>((resolve, reject) => {
        this.whenReady.push(resolve);
        worker.once('exit', () =>
          reject(new LlmopsError('unavailable', `${this.options.subject}: its writer thread ended`)),
        );
      });
    } finally {
      if (this.pending.size === 0) worker.unref();
    }
  }

  /** Ends the thread once the batches already sent are written (they still resolve); later writes are refused. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker?.postMessage({ type: 'close' });
  }

  private spawn(): Worker {
    const worker = new Worker(threadSource, {
      eval: true,
      // Not the parent's flags (a loader such as tsx, --cpu-prof): the thread runs plain JavaScript only.
      execArgv: [],
      workerData: { path: this.options.path, pragmas: sqliteFilePragmas(this.options) },
    });
    worker.unref();
    worker.on('message', (answer: ThreadAnswer) => this.answered(answer));
    worker.on('error', (error) => this.died(worker, error));
    worker.on('exit', (code) => this.died(worker, new Error(`the writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private answered(answer: ThreadAnswer): void {
    if (answer.ready) {
      this.ready = true;
      for (const resolve of this.whenReady.splice(0)) resolve();
      return;
    }
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (answer.stage === undefined) waiting.resolve();
    else
      waiting.reject(
        batchWriteError({
          subject: this.options.subject,
          stage: answer.stage,
          batch: waiting.batch,
          cause: new Error(answer.message),
        }),
      );
  }

  /** Fails every unanswered write of a thread that ended; the next write starts a new thread. */
  private died(worker: Worker, cause: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = false;
    const failure = new LlmopsError(
      'unavailable',
      `${this.options.subject}: its writer thread ended (${cause.message}); the batches it held were not confirmed`,
      { cause },
    );
    for (const waiting of this.pending.values()) waiting.reject(failure);
    this.pending.clear();
  }
}
