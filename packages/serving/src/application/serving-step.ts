import type { ChatCompletionChunk, ChatModel, Clock } from '@llmops/kernel';
import type { ServableModel, ServingCaller } from '../ports.js';
import type { CacheDirective } from './cache-step.js';
import type { FallbackTargets } from './fallback-step.js';
import type { PipelineRequest, ServedChatCompletion } from './pipeline.js';
import type { ServedEmbeddingResponse } from './served-embedding-request.js';
import type { TraceRecorder } from './trace-recorder.js';

/** What every answer of one request shares: the completion id, its creation time, the model and its fingerprint. */
export interface ResponseShape {
  id: string;
  /** Unix seconds. */
  created: number;
  /** `name/version` of the model version. */
  model: string;
  /** The version's own fingerprint (answers the chain makes itself, such as refusals, carry it). */
  systemFingerprint: string;
}

/** The per-call options a step sees: the pipeline's call options with the request's trace recorder. */
export interface StepCallOptions {
  signal?: AbortSignal;
  requestId?: string;
  /** Streams only: end with a chunk carrying usage. */
  includeUsage: boolean;
  /** Where the step opens its spans and writes what it learned (verdicts, usage, blocks). */
  recorder: TraceRecorder;
  /** The API key the call is made with (its id and limits); absent for anonymous loopback inference. */
  caller?: ServingCaller;
  /** What the caller asks of the response cache (`use` when absent). */
  cacheDirective?: CacheDirective;
  /** Embeddings calls only: what the call asks of the embedder beyond its texts (part of a cached answer's key). */
  embedding?: EmbeddingCallSettings;
}

/** What an embeddings call asks of the embedder besides the texts. */
export interface EmbeddingCallSettings {
  /** The vectors' size, when the request names one (OpenAI's `dimensions`). */
  dimensions?: number;
}

/** One call as a step receives it: the request, its options, and the rest of the chain. */
export interface StepCall<Result> {
  readonly request: PipelineRequest;
  readonly options: StepCallOptions;
  readonly model: ServableModel;
  readonly response: ResponseShape;
  /** Calls the rest of the chain (the next step, at the end the core), with a rewritten request if given. */
  next(request?: PipelineRequest): Promise<Result>;
}

/** A streamed answer inside the chain: OpenAI chunks, the first a role chunk, the finishing one with `llmops`. */
export type ChunkStream = AsyncIterable<ChatCompletionChunk>;

/**
 * A serving step: cross-cutting behaviour around a served call (guardrails; later limits, cache,
 * fallbacks, monitoring), in the manner of the AI SDK's language-model middleware. A step wraps
 * what it needs and leaves the other method out (the call then passes through it).
 */
export interface ServingStep {
  /** The step's name, as the step order lists it (`guardrails`). */
  readonly name: string;
  /** Wraps a whole answer: work before `next`, then work on what it returned. */
  wrapComplete?(call: StepCall<ServedChatCompletion>): Promise<ServedChatCompletion>;
  /**
   * Wraps a stream. Resolves once the stream may start (the inner chain has the provider's first
   * chunk), so failures before it are still errors the caller answers with an HTTP status; a
   * failure midway must throw from the chunks, never end them quietly.
   */
  wrapStream?(call: StepCall<ChunkStream>): Promise<ChunkStream>;
  /**
   * Wraps an embeddings call (`POST /v1/embeddings`). The call's request holds one user message per text to embed
   * (a step that rewrites them, such as PII redaction, passes the rewritten messages to `next`); the steps that
   * leave this out (the cache, fallbacks) let the call pass.
   */
  wrapEmbed?(call: StepCall<ServedEmbeddingResponse>): Promise<ServedEmbeddingResponse>;
}

/** What a step factory may use to build the step of one model version. */
export interface ServingStepContext {
  model: ServableModel;
  /** The chat model of the version's provider spec; absent when the steps are built for embeddings calls. */
  chatModel?: ChatModel;
  clock: Clock;
  /** Other versions, to answer in this one's place (the serving service provides it; absent for a pipeline built alone). */
  fallbacks?: FallbackTargets;
}

/** Builds a step for a model version, or `undefined` when the version's spec does not ask for it. */
export interface ServingStepFactory {
  /** The name of the steps it builds; the step order refers to it. */
  readonly name: string;
  /** @throws LlmopsError `invalid_input` when the version's settings for the step are wrong. */
  create(context: ServingStepContext): ServingStep | undefined | Promise<ServingStep | undefined>;
}
