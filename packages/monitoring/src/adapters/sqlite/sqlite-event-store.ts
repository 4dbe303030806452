import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError, openSqliteBatchWriter, openSqliteFile } from '@llmops/kernel';
import type { SqliteBatchWriter, SqliteWriterMode } from '@llmops/kernel';
import type { CacheStatus, GuardrailVerdict, RequestEndpoint, RequestEvent } from '../../domain/request-event.js';
import type { EventQuery, EventStore, OnlineScore } from '../../ports.js';
import { migrateEventSchema } from './sqlite-event-schema.js';

/** Options of {@link SqliteEventStore}. */
export interface SqliteEventStoreOptions {
  /** The database file (its folder is created): `.llmops/llmops.db` in the embedded store, or `:memory:`. */
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

const columns = [
  'at',
  'request_id',
  'model_ref',
  'model_name',
  'model_version',
  'key_id',
  'status',
  'error_code',
  'stream',
  'completed',
  'latency_ms',
  'upstream_latency_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'cache',
  'guardrails',
  'citations',
  'top_retrieval_score',
  'refused',
  'question_hash',
  'question',
  'answer_length',
  'topic',
  'cited_sources',
  'fallback_from',
  'endpoint',
  'key_limit',
] as const;

type Column = (typeof columns)[number];

const insertScore = {
  sql: 'INSERT INTO monitoring_scores (request_id, event_at, metric, score, judge, scored_at) VALUES (?, ?, ?, ?, ?, ?)',
  items: 'scores',
};

/** The statement of one event's row, its values in the order of {@link columns}. */
const insertEvent = {
  sql: `INSERT INTO monitoring_events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  items: 'events',
};
type Row = Record<Column | 'scores', string | number | null>;

/** The scores of an event's row, as one JSON object (`{"contextual_relevancy":0.8}`) or null. */
const scoresColumn = `(SELECT json_group_object(metric, score) FROM monitoring_scores AS s
  WHERE s.request_id = monitoring_events.request_id AND s.event_at = monitoring_events.at) AS scores`;

function scoresOf(text: string | number | null): Partial<Pick<RequestEvent, 'scores'>> {
  if (text === null) return {};
  const scores = JSON.parse(String(text)) as Record<string, number>;
  return Object.keys(scores).length === 0 ? {} : { scores };
}

/** The values of an event's row, in the order of {@link columns}. */
function rowValues(event: RequestEvent): Array<string | number | null> {
  return [
    event.at,
    event.requestId,
    event.modelRef,
    event.modelName,
    event.modelVersion,
    event.keyId ?? null,
    event.status,
    event.errorCode ?? null,
    event.stream ? 1 : 0,
    event.completed ? 1 : 0,
    event.latencyMs,
    event.upstreamLatencyMs ?? null,
    event.inputTokens ?? null,
    event.outputTokens ?? null,
    event.costUsd ?? null,
    event.cache ?? null,
    JSON.stringify(event.guardrails),
    event.citations ?? null,
    event.topRetrievalScore ?? null,
    event.refused ? 1 : 0,
    event.questionHash,
    event.question ?? null,
    event.answerLength ?? null,
    event.topic ?? null,
    event.citedSources === undefined ? null : JSON.stringify(event.citedSources),
    event.fallbackFrom ?? null,
    event.endpoint ?? null,
    event.keyLimit ?? null,
  ];
}

/** Copies a nullable column into an optional field. */
function optional<Key extends string, Value>(key: Key, value: Value | null): Partial<Record<Key, Value>> {
  return value === null ? {} : ({ [key]: value } as Record<Key, Value>);
}

function eventOf(row: Row): RequestEvent {
  return {
    at: Number(row.at),
    requestId: String(row.request_id),
    modelRef: String(row.model_ref),
    modelName: String(row.model_name),
    modelVersion: row.model_version === null ? null : Number(row.model_version),
    ...optional('keyId', row.key_id as string | null),
    status: Number(row.status),
    ...optional('errorCode', row.error_code as string | null),
    stream: row.stream === 1,
    completed: row.completed === 1,
    latencyMs: Number(row.latency_ms),
    ...optional('upstreamLatencyMs', row.upstream_latency_ms as number | null),
    ...optional('inputTokens', row.input_tokens as number | null),
    ...optional('outputTokens', row.output_tokens as number | null),
    ...optional('answerLength', row.answer_length as number | null),
    ...optional('costUsd', row.cost_usd as number | null),
    ...optional('cache', row.cache as CacheStatus | null),
    guardrails: JSON.parse(String(row.guardrails)) as GuardrailVerdict[],
    ...optional('citations', row.citations as number | null),
    ...optional('topRetrievalScore', row.top_retrieval_score as number | null),
    ...(row.cited_sources === null ? {} : { citedSources: JSON.parse(String(row.cited_sources)) as string[] }),
    ...optional('topic', row.topic as string | null),
    ...optional('fallbackFrom', row.fallback_from as string | null),
    ...optional('endpoint', row.endpoint as RequestEndpoint | null),
    ...optional('keyLimit', row.key_limit as string | null),
    refused: row.refused === 1,
    questionHash: String(row.question_hash),
    ...optional('question', row.question as string | null),
    ...scoresOf(row.scores),
  };
}

/**
 * The embedded event store: the table `monitoring_events` in a SQLite file (WAL mode, synchronous
 * NORMAL, busy timeout), the embedded store's `.llmops/llmops.db` shared with the other contexts'
 * tables. One batch is one transaction: all of it is stored or none; `append` resolves once it is committed, and
 * committed batches survive the process being killed (WAL). Batches (events and scores) are written on the event loop,
 * or with `writer: 'thread'` on a writer thread of its own (the event loop only turns events into rows). Retention is
 * the caller's (`deleteBefore`).
 */
export class SqliteEventStore implements EventStore {
  private readonly database: DatabaseSync;
  private readonly writer: SqliteBatchWriter;

  /** @throws LlmopsError `unavailable` naming the path when the file cannot be opened or migrated. */
  constructor(options: SqliteEventStoreOptions) {
    try {
      this.database = openSqliteFile(options);
      migrateEventSchema(this.database);
      this.writer = openSqliteBatchWriter({
        subject: 'event store',
        path: options.path,
        database: this.database,
        ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
        ...(options.writer === undefined ? {} : { mode: options.writer }),
      });
    } catch (cause) {
      throw new LlmopsError(
        'unavailable',
        `event store: cannot open SQLite database ${options.path}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  /**
   * Stores a batch in one transaction.
   * @throws LlmopsError `unavailable` when the file stays locked past the busy timeout.
   */
  async append(events: readonly RequestEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.writer.write(insertEvent, events.map(rowValues));
  }

  /**
   * Stores the online scores of a request in one transaction.
   * @throws LlmopsError `unavailable` when the file stays locked past the busy timeout.
   */
  async appendScores(scores: readonly OnlineScore[]): Promise<void> {
    if (scores.length === 0) return;
    await this.writer.write(
      insertScore,
      scores.map((score) => [score.requestId, score.eventAt, score.metric, score.score, score.judge, score.scoredAt]),
    );
  }

  async scoresOf(requestId: string): Promise<OnlineScore[]> {
    const rows = this.database
      .prepare(
        'SELECT request_id, event_at, metric, score, judge, scored_at FROM monitoring_scores WHERE request_id = ? ORDER BY scored_at, id',
      )
      .all(requestId) as {
      request_id: string;
      event_at: number;
      metric: string;
      score: number;
      judge: string;
      scored_at: number;
    }[];
    return rows.map((row) => ({
      requestId: row.request_id,
      eventAt: row.event_at,
      metric: row.metric,
      score: row.score,
      judge: row.judge,
      scoredAt: row.scored_at,
    }));
  }

  async list(query: EventQuery): Promise<RequestEvent[]> {
    const conditions = ['at >= ?'];
    const values: Array<string | number> = [query.since];
    if (query.until !== undefined) {
      conditions.push('at < ?');
      values.push(query.until);
    }
    if (query.modelName !== undefined) {
      conditions.push('model_name = ?');
      values.push(query.modelName);
      if (query.modelVersion !== undefined) {
        conditions.push('model_version = ?');
        values.push(query.modelVersion);
      }
    }
    const order = query.newestFirst ? 'at DESC, id DESC' : 'at, id';
    let page = '';
    if (query.limit !== undefined || query.offset !== undefined) {
      page = ' LIMIT ? OFFSET ?';
      values.push(query.limit ?? -1, query.offset ?? 0);
    }
    const rows = this.database
      .prepare(
        `SELECT ${columns.join(', ')}, ${scoresColumn} FROM monitoring_events WHERE ${conditions.join(' AND ')} ORDER BY ${order}${page}`,
      )
      .all(...values) as Row[];
    return rows.map(eventOf);
  }

  async deleteBefore(cutoff: number): Promise<number> {
    this.database.prepare('DELETE FROM monitoring_scores WHERE event_at < ?').run(cutoff);
    const result = this.database.prepare('DELETE FROM monitoring_events WHERE at < ?').run(cutoff);
    return Number(result.changes);
  }

  close(): void {
    this.writer.close();
    if (this.database.isOpen) this.database.close();
  }
}
