/** Whether a served request was answered from the response cache. */
export type CacheStatus = 'hit' | 'miss' | 'bypass';

/** What a guardrail decided on one check of a request (input or output side). */
export interface GuardrailVerdict {
  side: 'input' | 'output';
  /** The harm category or check id (`dangerous`, `injection`, `pii`…). */
  category: string;
  /** The rule that fired, when the check names one. */
  rule?: string;
  action: 'block' | 'redact' | 'flag';
}

/**
 * One served request, as monitoring records it: what was asked of which model version, how it went,
 * what it cost. Never the question's text unless the deployment opts in (`question`), only its hash.
 */
export interface RequestEvent {
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  requestId: string;
  /** The reference as the client wrote it (`support-rag@champion`) and the version it resolved to. */
  modelRef: string;
  modelName: string;
  modelVersion: number | null;
  /** The id (never the secret) of the API key that made the request, when keys exist. */
  keyId?: string;
  /** HTTP status of the answer. */
  status: number;
  /** The error code of a failed request (`gate_failed`, `upstream_error`…). */
  errorCode?: string;
  latencyMs: number;
  upstreamLatencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  cache?: CacheStatus;
  guardrails: GuardrailVerdict[];
  citations?: number;
  topRetrievalScore?: number;
  refused: boolean;
  /** SHA-256 (hex) of the question, so repeats and topics can be counted without keeping the text. */
  questionHash: string;
  /** The question itself, only when the deployment opts in. */
  question?: string;
}
