import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../chat/chat-schemas.js';

/**
 * The keys a loose zod object type declares, without its `[key: string]: unknown` index signature
 * (`Omit` over such a type would keep only the index signature and lose every declared field).
 */
type DeclaredKeys<T> = keyof {
  [K in keyof T as string extends K ? never : number extends K ? never : symbol extends K ? never : K]: unknown;
};

/**
 * What a {@link ChatModel} is asked: an OpenAI chat request without `model` and `stream`.
 * Fields beyond OpenAI's (for example `top_k` for vLLM) are allowed and passed through.
 */
export type ChatModelRequest = Pick<
  ChatCompletionRequest,
  Exclude<DeclaredKeys<ChatCompletionRequest>, 'model' | 'stream' | 'stream_options'>
> & { [key: string]: unknown };

/** Per-call options of a model call. */
export interface CallOptions {
  /** Aborts the call; a signal from `AbortSignal.timeout(ms)` makes the call fail with `timeout`. */
  signal?: AbortSignal;
}

/**
 * The port every chat model implements (OpenAI-compatible endpoints, the offline extractive model).
 * Failures are LlmopsErrors (`rate_limited`, `upstream_error`, `timeout`, …).
 */
export interface ChatModel {
  /** The provider name, for example `openai` or `offline`. */
  readonly provider: string;
  /** The model id at that provider, for example `gpt-4o-mini` or `extractive`. */
  readonly modelId: string;
  /**
   * True when one call can answer several choices (OpenAI's `n > 1`); absent or false when the
   * model answers one choice per call (serving then refuses `n > 1` naming the provider).
   */
  readonly multipleChoices?: boolean;
  /** Generates one complete answer, possibly with tool calls. */
  generate(request: ChatModelRequest, options?: CallOptions): Promise<ChatCompletion>;
  /**
   * Streams the answer as OpenAI chunks; the last chunk carries `finish_reason`, and usage is
   * reported in a final chunk with empty `choices` when the model knows it.
   */
  stream(request: ChatModelRequest, options?: CallOptions): AsyncIterable<ChatCompletionChunk>;
}
