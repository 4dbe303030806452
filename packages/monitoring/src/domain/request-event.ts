/** The OpenAI-compatible endpoint that served a request: `/v1/chat/completions` or `/v1/embeddings`. */
export type RequestEndpoint = 'chat' | 'embeddings';

/** Whether a served request was answered from the response cache. */
export type CacheStatus = 'hit' | 'miss' | 'bypass';

/** What a guardrail did about one finding on one side of a request (checks that passed are not recorded). */
export interface GuardrailVerdict {
  side: 'input' | 'output';
  /** The harm category or finding kind (`violence`, `email`, `instruction_override`…). */
  category: string;
  /** The rule that fired, when the check names one. */
  rule?: string;
  action: 'block' | 'redact' | 'flag';
  /** The guardrail policy that acted (`default`, `support`…), when known. */
  policy?: string;
  /** How many findings of this (side, category, rule, action) the request had (redacted e-mails, say); 1 when absent. */
  count?: number;
}

/**
 * One served request, as monitoring records it: what was asked of which model version, how it went,
 * what it cost. Never the question's text unless the deployment opts in (`question`), only its hash.
 */
export interface RequestEvent {
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  requestId: string;
  /**
   * The OpenTelemetry trace id (32 hex) of the request's trace; its MLflow trace is `tr-<traceId>`. Carried to the
   * MLflow trace tags of an MLflow store; the SQLite store does not keep it.
   */
  traceId?: string;
  /**
   * The endpoint that served it, so reports can tell chat answers from embeddings calls (which have no answer, no
   * citations and no output tokens). Absent in events recorded before it was: those are all `chat`.
   */
  endpoint?: RequestEndpoint;
  /** The reference as the client wrote it (`support-rag@champion`) and the version it resolved to. */
  modelRef: string;
  modelName: string;
  modelVersion: number | null;
  /** The id (never the secret) of the API key that made the request, when keys exist. */
  keyId?: string;
  /** HTTP status of the answer (a stream that failed after its first chunk keeps its 200, with `errorCode`). */
  status: number;
  /** The error code of a failed request (`guardrail_blocked`, `upstream_error`…). */
  errorCode?: string;
  /**
   * Set when the caller's own API key limit refused the request (`rate_limited` or `budget_exceeded` from the `limits`
   * step, before any work): which limit. The service worked as configured, so it is no service error; a provider's
   * 429, also `rate_limited`, leaves it unset.
   */
  keyLimit?: string;
  /**
   * Set when a fallback answered: `name/version` of the version the reference resolved to, which failed with a
   * retryable error. `modelName` and `modelVersion` are then the fallback's, the version that answered.
   */
  fallbackFrom?: string;
  /** Whether the answer was streamed. */
  stream: boolean;
  /** Whether the answer ran to its end (false for failures, and for streams the client left). */
  completed: boolean;
  latencyMs: number;
  /** Time spent waiting for the model provider. */
  upstreamLatencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  /**
   * Characters of the answer's text: the whole completion's content, or the content a stream sent (all of it,
   * or what went out before it broke or the client left). Absent when no answer went out. Never the text.
   */
  answerLength?: number;
  costUsd?: number;
  /** What the response cache did: answered (`hit`), was looked up in vain (`miss`), or was skipped (`bypass`). */
  cache?: CacheStatus;
  /** On a cache hit: what the answer cost when it was generated, the USD the hit saved (absent for unpriced models). */
  cacheSavedCostUsd?: number;
  guardrails: GuardrailVerdict[];
  citations?: number;
  topRetrievalScore?: number;
  /**
   * RAG only: the distinct source documents the answer's citations point to (`refunds.md`), sorted, at most 8
   * (see `citedSourcesOf`); empty when the answer cites nothing (a refusal, a blocked answer).
   */
  citedSources?: string[];
  /**
   * RAG only: the question's topic, the source document of the top retrieved passage (see `topicOf`). Set even when
   * the answer refused, which is what makes unanswered topics visible; absent when nothing was retrieved.
   */
  topic?: string;
  /** The answer refused: a guardrail block, the model's refusal, or an answer saying it does not know. */
  refused: boolean;
  /** SHA-256 (hex) of the question, so repeats and topics can be counted without keeping the text. */
  questionHash: string;
  /** The question itself, only when the deployment opts in. */
  question?: string;
  /**
   * Online evaluation scores by metric (`contextual_relevancy: 0.8`), when the request was sampled and scored.
   * Scores arrive after the event (they are stored apart, keyed by request id and time) and are joined on reading.
   */
  scores?: Record<string, number>;
}

/** True when the event is a failure: an HTTP error status, or a stream that broke after it started. */
export function isFailedEvent(event: RequestEvent): boolean {
  return event.status >= 400 || event.errorCode !== undefined;
}
