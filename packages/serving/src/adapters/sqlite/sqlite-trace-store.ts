import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError, openSqliteBatchWriter, openSqliteFile } from '@llmops/kernel';
import type { SqliteBatchWriter, SqliteWriterMode } from '@llmops/kernel';
import type { PipelineTrace } from '../../application/pipeline.js';
import type { TraceListOptions, TraceReader, TraceSink } from '../../ports.js';
import { parseTraceListOptions } from '../trace-list-options.js';
import type { ParsedTraceListOptions } from '../trace-list-options.js';
import { migrateTraceSchema } from './sqlite-trace-schema.js';

/** Options of {@link SqliteTraceStore}. */
export interface SqliteTraceStoreOptions {
  /** The database file (its folder is created), `.llmops/llmops.db` in the embedded store, or `:memory:`. */
  path: string;
  /** How long a write waits for another process's write lock, in milliseconds; 5000 by default. */
  busyTimeoutMs?: number;
  /**
   * Who writes batches: `inline` (the default) this store's connection, synchronously, on the event loop; `thread` a
   * worker thread with its own connection, so the inserts and the commit never hold the event loop (more CPU in all).
   * `:memory:` is always inline. `LLMOPS_SQLITE_WRITER` chooses it for a served workspace.
   */
  writer?: SqliteWriterMode;
}

/** The statement of one trace's row, its values in the order of {@link rowValues}. */
const insertTrace = {
  sql: `INSERT OR REPLACE INTO traces (trace_id, started_at, ended_at, model, pipeline, provider, status, error_code,
    latency_ms, prompt_tokens, completion_tokens, cost_usd, request_id, record)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  items: 'traces',
};

const traceIdPattern = /^[0-9a-f]{32}$/;

/** The values of a trace's row, in the order of the INSERT's columns. */
function rowValues(trace: PipelineTrace): Array<string | number | null> {
  return [
    trace.traceId,
    trace.startTimeMs,
    trace.endTimeMs,
    trace.model,
    trace.pipeline,
    trace.provider,
    trace.status,
    trace.error?.code ?? null,
    trace.latencyMs.total,
    trace.usage?.prompt_tokens ?? trace.promptTokens,
    trace.usage?.completion_tokens ?? null,
    trace.costUsd,
    trace.requestId ?? null,
    JSON.stringify(trace),
  ];
}

/**
 * The embedded trace store: the table `traces` in the SQLite file of the embedded store (WAL mode,
 * busy timeout, shared with the registry and evaluation tables). One batch is one transaction:
 * all of it is stored or none; `write` resolves once it is committed (from then on it survives a crash of the process),
 * on the event loop, or with `writer: 'thread'` on a writer thread of its own (the event loop only turns traces into rows).
 * Writing a trace again replaces it (a retried batch stores nothing twice). Records are kept as the pipeline gave
 * them; retention is the caller's (`deleteBefore`).
 */
export class SqliteTraceStore implements TraceSink, TraceReader {
  private readonly database: DatabaseSync;
  private readonly writer: SqliteBatchWriter;

  /** @throws LlmopsError `unavailable` naming the path when the file cannot be opened or migrated. */
  constructor(options: SqliteTraceStoreOptions) {
    try {
      this.database = openSqliteFile(options);
      migrateTraceSchema(this.database);
      this.writer = openSqliteBatchWriter({
        subject: 'trace store',
        path: options.path,
        database: this.database,
        ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
        ...(options.writer === undefined ? {} : { mode: options.writer }),
      });
    } catch (cause) {
      throw new LlmopsError(
        'unavailable',
        `trace store: cannot open SQLite database ${options.path}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  /**
   * Stores a batch in one transaction.
   * @throws LlmopsError `invalid_input` for a trace id that is not 32 lowercase hex characters (nothing of the batch is stored);
   * `unavailable` when the file stays locked past the busy timeout.
   */
  async write(traces: readonly PipelineTrace[]): Promise<void> {
    traces.forEach((trace, index) => {
      if (!traceIdPattern.test(trace.traceId)) {
        throw new LlmopsError(
          'invalid_input',
          `traces[${index}].traceId "${trace.traceId}" is not 32 lowercase hex characters`,
        );
      }
    });
    if (traces.length === 0) return;
    await this.writer.write(insertTrace, traces.map(rowValues));
  }

  /** The `WHERE` clause of a list's filters, and its values. */
  private filterOf(filter: ParsedTraceListOptions): { where: string; values: Array<string | number> } {
    const conditions: string[] = [];
    const values: Array<string | number> = [];
    if (filter.model !== undefined) {
      if (filter.model.includes('/')) {
        conditions.push('model = ?');
        values.push(filter.model);
      } else {
        // Every version of the model: `name/…` sorts between `name/` and `name0` ('0' follows '/').
        conditions.push('model >= ? AND model < ?');
        values.push(`${filter.model}/`, `${filter.model}0`);
      }
    }
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      values.push(filter.status);
    }
    if (filter.blocked !== undefined)
      conditions.push(`json_extract(record, '$.blocked') IS ${filter.blocked ? 'NOT NULL' : 'NULL'}`);
    if (filter.since !== undefined) {
      conditions.push('started_at >= ?');
      values.push(filter.since);
    }
    return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', values };
  }

  async list(options: TraceListOptions = {}): Promise<PipelineTrace[]> {
    const filter = parseTraceListOptions(options);
    const { where, values } = this.filterOf(filter);
    const rows = this.database
      .prepare(`SELECT record FROM traces ${where} ORDER BY started_at DESC, trace_id LIMIT ? OFFSET ?`)
      .all(...values, filter.limit, filter.offset) as Array<{ record: string }>;
    return rows.map((row) => JSON.parse(row.record) as PipelineTrace);
  }

  async count(options: Omit<TraceListOptions, 'limit' | 'offset'> = {}): Promise<number> {
    const { where, values } = this.filterOf(parseTraceListOptions(options));
    const row = this.database.prepare(`SELECT COUNT(*) AS total FROM traces ${where}`).get(...values) as {
      total: number;
    };
    return row.total;
  }

  async get(traceId: string): Promise<PipelineTrace | undefined> {
    const row = this.database.prepare('SELECT record FROM traces WHERE trace_id = ?').get(traceId) as
      { record: string } | undefined;
    return row ? (JSON.parse(row.record) as PipelineTrace) : undefined;
  }

  /**
   * Deletes the traces that started before a time (retention).
   * @returns how many were deleted.
   */
  async deleteBefore(timeMs: number): Promise<number> {
    if (!Number.isFinite(timeMs)) {
      throw new LlmopsError('invalid_input', `deleteBefore time is ${timeMs}; expected milliseconds since the epoch`);
    }
    return Number(this.database.prepare('DELETE FROM traces WHERE started_at < ?').run(timeMs).changes);
  }

  /** Closes the database file (a writer thread ends once the batches sent to it are written). */
  close(): void {
    this.writer.close();
    if (this.database.isOpen) this.database.close();
  }
}
