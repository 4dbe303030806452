import type { RequestEvent } from './domain/request-event.js';

/** Where serving hands each request's event: must return at once and never throw. */
export interface EventSink {
  record(event: RequestEvent): void;
}

/** Which events to read back: a window, optionally one model or one of its versions. */
export interface EventQuery {
  /** Milliseconds since the epoch: events at or after it. */
  since: number;
  /** Milliseconds since the epoch: events before it; no end by default. */
  until?: number;
  modelName?: string;
  /** Only with `modelName`. */
  modelVersion?: number;
  /** Newest first (for pages of recent events); oldest first by default. */
  newestFirst?: boolean;
  /** At most this many events (a page); all by default. */
  limit?: number;
  /** Events skipped before the page starts; 0 by default. */
  offset?: number;
}

/** One online evaluation score of one served request, stored apart from its event and joined on reading. */
export interface OnlineScore {
  /** The event's request id and time: together they name the event (a client may reuse a request id). */
  requestId: string;
  eventAt: number;
  metric: string;
  /** In [0, 1], higher is better. */
  score: number;
  /** The judge that scored it (`offline-heuristic`, `openai/gpt-4o-mini`). */
  judge: string;
  /** Milliseconds since the epoch when it was scored. */
  scoredAt: number;
  /**
   * The request's OpenTelemetry trace id and what kind of judge scored it: carried to the MLflow copy of the score
   * (a feedback assessment on the trace `tr-<traceId>`); the SQLite store does not keep them.
   */
  traceId?: string;
  judgeKind?: JudgeKind;
}

/** Whether a score came from a language model judging (`llm`) or from code such as the offline heuristic judge. */
export type JudgeKind = 'llm' | 'code';

/** Where request events are kept. */
export interface EventStore {
  /**
   * Stores a batch: all of it or none. `signal` aborts a remote write its queue gave up on (closing past its deadline).
   * @throws LlmopsError `unavailable` when the store cannot take it now (the caller drops the batch and counts it).
   */
  append(events: readonly RequestEvent[], options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Stores the online scores of one request (all or none); {@link list} then returns them on its event as `scores`.
   * @throws LlmopsError `unavailable` when the store cannot take them now.
   */
  appendScores(scores: readonly OnlineScore[]): Promise<void>;
  /** The online scores of the requests with this id (oldest scoring first), for showing beside a request's trace. */
  scoresOf(requestId: string): Promise<OnlineScore[]>;
  /** The events a query selects, oldest first (or newest first), paged by `limit` and `offset`, with their scores. */
  list(query: EventQuery): Promise<RequestEvent[]>;
  /** Deletes the events (and their scores) older than `cutoff` (ms since the epoch); returns how many events went. */
  deleteBefore(cutoff: number): Promise<number>;
  close(): void;
}

/** What online evaluation scores of one sampled request: held in memory only, never stored. */
export interface OnlineSample {
  requestId: string;
  /** The event's time (ms since the epoch). */
  eventAt: number;
  /** The request's OpenTelemetry trace id (32 hex), when it has a trace. */
  traceId?: string;
  modelName: string;
  modelVersion: number | null;
  /** The last user message. */
  question: string;
  /** The whole answer. */
  answer: string;
  /** The passages put in the model's prompt, in rank order (none for a chat model). */
  retrievalContext: string[];
}

/** What an {@link OnlineEvaluator} found: a score per metric that applied (metrics that did not are left out). */
export interface OnlineEvaluation {
  scores: Record<string, number>;
  /** The judge's name, stored with each score. */
  judge: string;
  judgeKind: JudgeKind;
}

/**
 * Scores one sampled answer with evaluation metrics. Monitoring declares it; the app wires the evaluation
 * context's metrics and judge into it (`@llmops/composition`).
 */
export interface OnlineEvaluator {
  /** @throws when scoring fails (the sample is counted as failed; the request was answered long before). */
  evaluate(sample: OnlineSample, options?: { signal?: AbortSignal }): Promise<OnlineEvaluation>;
}
