import type { ChatCompletion, ChatCompletionChunk, ChatModelRequest, Usage } from '@llmops/kernel';
import type { GuardrailVerdict } from '../domain/guardrails/guardrail-verdict.js';
import type { Citation } from '../domain/retrieval/passage.js';
import type { ServableModel, ServingCaller } from '../ports.js';
import type { AgentRunReport } from './agents/agent-team.js';
import type { CacheDirective, CacheStatus } from './cache-step.js';
import type { GuardrailBlock } from './guardrail-engine.js';
import type { PassageScreening } from './passage-screen.js';
import type { ServedEmbeddingResponse } from './served-embedding-request.js';
import type { ModelRerankReport } from './retrieval/passage-retriever.js';
import type { StepCallOptions, ChunkStream, ResponseShape } from './serving-step.js';
import type { TraceRecorder } from './trace-recorder.js';

/**
 * What a pipeline is asked: an OpenAI chat request without `model` and `stream`, plus the prompt
 * variables (`llmops.variables` on the wire).
 */
export type PipelineRequest = ChatModelRequest & { variables?: Readonly<Record<string, string>> };

/** Per-call options of a pipeline. */
export interface PipelineCallOptions {
  /** Aborts the call (client gone, deadline passed). */
  signal?: AbortSignal;
  /** The request id, copied into the trace. */
  requestId?: string;
  /** Streams only: end with a chunk carrying usage (OpenAI's `stream_options.include_usage`). */
  includeUsage?: boolean;
  /** The request's trace recorder (the serving service passes one that already holds the `resolve` span); a new one by default. */
  recorder?: TraceRecorder;
  /** Called once with the request's trace when it ends, however it ends (failures and client disconnects included). */
  onTrace?: (trace: PipelineTrace) => void;
  /** The API key the call is made with; absent for anonymous calls (no limits apply). */
  caller?: ServingCaller;
  /** What the caller asks of the response cache (a bypass header); `use` by default. */
  cacheDirective?: CacheDirective;
}

/** A retrieved passage as the trace records it. */
export interface RetrievedPassageTrace {
  id: string;
  source: string;
  /** The title of its document. */
  title?: string;
  /** Its section path in the document (`OPTIONS › --retries=N, -r N`). */
  section?: string;
  score: number;
  tokens: number;
  /** Whether it made it into the context (not a duplicate, within the budget, something kept by compression). */
  used: boolean;
  /** What context compression kept of it: units (sentences, or one entry) it had and kept. */
  compression?: { units: number; kept: number };
  /** The text put in the prompt (after compression), for passages used. */
  context?: string;
}

/** What retrieval did for one request. */
export interface RetrievalTrace {
  corpus: string;
  /** The key of the index used (corpus content hash and chunking settings). */
  indexKey: string;
  /** True when this request had to build (or rebuild) the index. */
  indexBuilt: boolean;
  query: string;
  k: number;
  /** Candidates the first stage returned (before reranking to `k`). */
  candidates?: number;
  budgetTokens: number;
  /** Tokens of the context block in the prompt (never above `budgetTokens`). */
  contextTokens: number;
  passages: RetrievedPassageTrace[];
  /** Passages the guardrail policy's checks flagged, and what was done to them (dropped, quarantined, flagged). */
  screened?: PassageScreening[];
  /** What the model reranker (`retrieval.reranker`) did: api, model, host (never a key), `ok` or `failed (<cause>)`. */
  reranker?: ModelRerankReport;
}

/** Where the time of a request went, in ms. */
export interface LatencyBreakdown {
  retrieve: number;
  guard: number;
  generate: number;
  total: number;
  /** Everything but `generate`: what llmops added to the provider call. */
  overhead: number;
}

/** The names of the spans of a served request, in the order they happen. Later steps may add others. */
export type TraceSpanName = 'resolve' | 'retrieve' | 'guard_input' | 'generate' | 'guard_output' | (string & {});

/** One timed step of a served request, as a trace sink receives it. */
export interface TraceSpan {
  name: TraceSpanName;
  /**
   * The span's id (16 hex characters, `spanIdOf(traceId, position)`) and its parent's: the root span's (the request
   * itself, position 0) or the step it ran inside (an agent's turn inside its run, a fallback's call inside its
   * attempt). Traces recorded before spans had parents have neither: their spans are the root's children.
   */
  spanId?: string;
  parentSpanId?: string;
  /** Wall-clock start and end, in ms since the epoch (fractions allowed). */
  startTimeMs: number;
  endTimeMs: number;
  status: 'ok' | 'error';
  /** Flat facts of the step (tokens, cost, passages, verdicts...); never message text or secrets. */
  attributes: Readonly<Record<string, string | number | boolean>>;
}

/** The record of what a pipeline did for one request (for monitoring, evaluation and debugging). */
export interface PipelineTrace {
  /** The trace's id: 32 lowercase hex characters (OpenTelemetry's form). */
  traceId: string;
  /** When the request started, in ms since the epoch. */
  startTimeMs: number;
  /** When the answer (or the stream) ended, in ms since the epoch. */
  endTimeMs: number;
  /** `error` when the request failed (then `error` says how). */
  status: 'ok' | 'error';
  /** The failure, as an LlmopsError code and message (already free of secrets). */
  error?: { code: string; message: string };
  /** The steps of the request, in order; the first starts at `startTimeMs`. */
  spans: TraceSpan[];
  requestId?: string;
  /** The model reference the request named (`support-bot@champion`), when known. */
  reference?: string;
  /** `name/version` of the model version that answered (the reference as requested when it did not resolve). */
  model: string;
  /** The version's pipeline kind; `embeddings` for a `POST /v1/embeddings` call. */
  pipeline: 'chat' | 'rag' | 'agent' | 'embeddings';
  /** `provider/model` that generated, for example `offline/extractive`. */
  provider: string;
  /** The guardrail policy applied. */
  guardrailPolicy: string;
  retrieval?: RetrievalTrace;
  /** Tokens of the rendered prompt sent to the model: the provider's `usage.prompt_tokens`, else counted by OpenAI's rules. */
  promptTokens: number;
  guardrails: GuardrailVerdict[];
  /** Set when a guardrail blocked the request or the answer. */
  blocked?: GuardrailBlock;
  usage?: Usage;
  /** USD, or `null` when the model has no price. */
  costUsd: number | null;
  latencyMs: LatencyBreakdown;
  citations: Citation[];
  finishReason: string | null;
  /** Streams: whether the stream ran to its end (false when stopped by a guardrail, an error or the client). */
  completed: boolean;
  /**
   * Set when the version asked for failed with a retryable error and its fallback chain was tried: the version
   * that failed first (`from`), why (`reason`, an error code), every version tried in order, and the one that
   * answered (`to`, absent when none did). `model` is then the version that answered.
   */
  fallback?: { from: string; to?: string; reason: string; tried: string[] };
  /** Request-level facts a deployment's serving step added (a tenant, an experiment arm); flat, never message text. */
  attributes?: Readonly<Record<string, string | number | boolean>>;
  /** Whether the response cache answered (`hit`), was looked up in vain (`miss`) or skipped (`bypass`); absent without a cache step. */
  cache?: CacheStatus;
}

/** The `llmops` extension field of a served completion (ignored by OpenAI clients). */
export interface ServedCompletionExtension {
  model_version: string;
  citations: Citation[];
  /** Set when the answer is a guardrail refusal. */
  guardrail?: { blocked: true; stage: string; check: string; categories: string[] };
  /** Agent pipelines: the team, each step with its tool calls, and why the run ended. */
  agent?: AgentRunReport;
  /** Set when a fallback answered: the version that failed (`name/version`), the one that answered, and the error code why. */
  fallback?: ServedFallback;
  /**
   * RAG: retrieved passages the guardrails kept out of the prompt (`passages_dropped`) or cut flagged sentences
   * from (`passages_quarantined`); any pipeline: input in a language the local classifiers do not cover (`uncovered_language`).
   */
  guardrails?: ServedPassageGuardrails;
  /** RAG with a model reranker (`retrieval.reranker`): what it did, as the trace's `retrieval.reranker` records it. */
  retrieval?: ServedRetrieval;
}

/** Retrieval facts of an answer, as the `llmops.retrieval` extension field says them. */
export interface ServedRetrieval {
  /** The model reranker's report: api, model, host (never a key), `ok` or `failed (<cause>)`. */
  reranker: ModelRerankReport;
}

/**
 * What the guardrails did to retrieved passages, and the input's language when the local classifiers do
 * not cover it, as the `llmops.guardrails` extension field says it.
 */
export interface ServedPassageGuardrails {
  passages_dropped?: PassageScreening[];
  passages_quarantined?: PassageScreening[];
  /** Set when the input is in a language the local classifiers do not cover (flagged, not blocked). */
  uncovered_language?: { language: string; action: 'flag' };
}

/** Which fallback answered, as the `llmops.fallback` extension field and the `x-llmops-fallback` header say it. */
export interface ServedFallback {
  /** `name/version` of the version asked for, which failed. */
  from: string;
  /** `name/version` of the version that answered. */
  to: string;
  /** The error code of the failure (`upstream_error`, `rate_limited`, `timeout`, `unavailable`). */
  reason: string;
}

/** A completion as served: OpenAI's shape plus the `llmops` extension. */
export type ServedChatCompletion = ChatCompletion & { llmops: ServedCompletionExtension };

/** The answer of {@link Pipeline.complete}. */
export interface PipelineCompletion {
  completion: ServedChatCompletion;
  trace: PipelineTrace;
}

/** The answer of {@link Pipeline.stream}: chunks to send, and the trace once they end. */
export interface PipelineStream {
  id: string;
  /** `name/version` of the model version that answers (a fallback's when one took over). */
  model: string;
  /** Set when a fallback answers: known before the first chunk, since fallbacks are only taken before it. */
  fallback?: ServedFallback;
  /**
   * The chunks, first a role chunk; the chunk with `finish_reason` carries `llmops.citations`.
   * @throws LlmopsError mid-way, `guardrail_blocked` when an output check stops the answer (nothing flagged was yielded).
   */
  chunks: AsyncIterable<ChatCompletionChunk>;
  /** Resolves when the chunks end, however they end. */
  trace: Promise<PipelineTrace>;
  /** The response cache's status, known before the first chunk (the `x-llmops-cache` header); absent without a cache step. */
  cache?: CacheStatus;
}

/**
 * The runtime of a registered model version: turns an OpenAI-style chat request into a response
 * or a stream of chunks, plus a trace. Built by a pipeline factory from the version's spec.
 */
export interface Pipeline {
  readonly model: ServableModel;
  /**
   * This version as another version's fallback: the part of its chain from the `fallbacks` slot inward, run
   * with the caller's request, options and trace (the caller's guardrails already apply). Absent on
   * pipelines that cannot stand in for another.
   */
  readonly fallbackTarget?: FallbackTarget;
  /**
   * Answers a request.
   * @throws LlmopsError `guardrail_blocked` when blocked and the policy answers blocks with errors;
   * `invalid_input` for a request the pipeline cannot serve; the provider's errors.
   */
  complete(request: PipelineRequest, options?: PipelineCallOptions): Promise<PipelineCompletion>;
  /**
   * Starts a streamed answer. Input checks and retrieval happen before this resolves, so a blocked
   * request fails here (before any chunk), and errors can still be answered with an HTTP status.
   * @throws LlmopsError as {@link complete} does, before the stream starts.
   */
  stream(request: PipelineRequest, options?: PipelineCallOptions): Promise<PipelineStream>;
}

/** What a fallback hands to the version standing in: the caller's options (its recorder) and its response id and time. */
export interface FallbackCall {
  options: StepCallOptions;
  response: ResponseShape;
}

/**
 * A model version able to answer in another's place (see {@link Pipeline.fallbackTarget}): a chat pipeline completes
 * and streams, an embeddings target (see `EmbeddingService`) embeds. A kind of call the target cannot answer fails
 * that attempt, and the fallback chain moves on.
 */
export interface FallbackTarget {
  readonly model: ServableModel;
  /** Answers as this version; the trace then says this version answered. */
  complete?(request: PipelineRequest, call: FallbackCall): Promise<ServedChatCompletion>;
  /** Opens a stream as this version (resolves once its provider's first chunk is in). */
  stream?(request: PipelineRequest, call: FallbackCall): Promise<ChunkStream>;
  /** Embeds the request's texts (one user message each) with this version's embedder. */
  embed?(request: PipelineRequest, call: FallbackCall): Promise<ServedEmbeddingResponse>;
}
