import { LlmopsError, withRetry } from '@llmops/kernel';
import type { CallOptions, ChatCompletion, ChatCompletionChunk, ChatModel, ChatModelRequest } from '@llmops/kernel';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { AttemptDeadline } from './attempt-deadline.js';
import { mapOpenAiError } from './openai-error-mapping.js';
import { resolveOpenAiSettings } from './openai-compatible-settings.js';
import type { OpenAiCompatibleSettings, ResolvedOpenAiSettings } from './openai-compatible-settings.js';
import { parseChatCompletion, parseChatCompletionChunk } from './openai-wire-parsing.js';

/** An open stream: its first chunk already read (so opening can be retried) and the rest to come. */
interface OpenedStream {
  deadline: AttemptDeadline;
  iterator: AsyncIterator<unknown>;
  first: unknown;
}

/**
 * A chat model behind any OpenAI-compatible endpoint. The call goes through {@link OpenAiWireTransport}
 * (a keep-alive socket pool, the body serialised once and the answer parsed once); with an injected `fetch`
 * it goes through the official `openai` SDK instead. Both paths share the retries, timeouts and error mapping.
 *
 * - Requests pass through as OpenAI chat requests (tools, `tool_choice`, `response_format` with a
 *   JSON schema, `seed`, `stop`, …) with `model` set to this model's id.
 * - Each attempt has a timeout (`timeoutMs`, through an AbortSignal combined with the caller's).
 * - Failures are retried with kernel's `withRetry` (backoff with jitter, honouring `Retry-After`);
 *   the SDK's own retries are off. A stream is retried only until its first chunk has arrived:
 *   after that, a failure reaches the consumer and nothing is re-sent.
 * - Streams ask for usage (`stream_options.include_usage`), reported in a last chunk with empty `choices`.
 * - Errors are LlmopsErrors (see {@link mapOpenAiError}) and never contain the API key.
 */
export class OpenAiCompatibleChatModel implements ChatModel {
  readonly provider: string;
  readonly modelId: string;
  /** `n > 1` is passed through: the endpoint answers several choices in one call. */
  readonly multipleChoices = true;
  private readonly settings: ResolvedOpenAiSettings;

  /** @throws LlmopsError `invalid_input` for an empty model id or invalid settings. */
  constructor(modelId: string, settings: OpenAiCompatibleSettings = {}) {
    if (modelId.trim() === '')
      throw new LlmopsError(
        'invalid_input',
        'OpenAI-compatible chat model: the model id is empty; expected for example gpt-4o-mini',
      );
    this.modelId = modelId;
    this.settings = resolveOpenAiSettings(settings);
    this.provider = this.settings.name;
  }

  /** Generates one complete answer (`POST {baseURL}/chat/completions`). */
  async generate(request: ChatModelRequest, options: CallOptions = {}): Promise<ChatCompletion> {
    const body = {
      ...request,
      model: this.modelId,
      stream: false,
    } as unknown as ChatCompletionCreateParamsNonStreaming;
    const { transport } = this.settings;
    const serialized = transport ? JSON.stringify(body) : '';
    return withRetry(
      async () => {
        const deadline = this.deadline(options);
        try {
          const raw: unknown = transport
            ? await transport.postJson('/chat/completions', serialized, deadline.signal)
            : await (await this.settings.client()).chat.completions.create(body, { signal: deadline.signal });
          return parseChatCompletion(raw, this.where());
        } catch (error) {
          throw this.mapError(error, deadline);
        } finally {
          deadline.dispose();
        }
      },
      { ...this.settings.retry, signal: options.signal },
    );
  }

  /** Streams the answer as OpenAI chunks (`stream: true`), ending with a usage chunk when the server sends one. */
  async *stream(request: ChatModelRequest, options: CallOptions = {}): AsyncIterable<ChatCompletionChunk> {
    const body = {
      ...request,
      model: this.modelId,
      stream: true,
      ...(this.settings.includeStreamUsage ? { stream_options: { include_usage: true } } : {}),
    } as unknown as ChatCompletionCreateParamsStreaming;
    const serialized = this.settings.transport ? JSON.stringify(body) : '';
    const opened = await withRetry(() => this.open(body, serialized, options), {
      ...this.settings.retry,
      signal: options.signal,
    });
    const { deadline, iterator } = opened;
    let next: IteratorResult<unknown> = { done: false, value: opened.first };
    let finished = false;
    let sawFinishReason = false;
    try {
      while (!next.done) {
        const chunk = parseChatCompletionChunk(next.value, this.where());
        if (chunk.choices.some((choice) => choice.finish_reason !== null)) sawFinishReason = true;
        deadline.pause();
        yield chunk;
        deadline.restart();
        try {
          next = await iterator.next();
        } catch (error) {
          throw this.mapError(error, deadline);
        }
      }
      finished = true;
      // The SDK ends a stream quietly when its request is aborted: say why it ended.
      if (deadline.timedOut || deadline.callerAborted) throw this.mapError(new Error('stream aborted'), deadline);
      if (!sawFinishReason) {
        throw new LlmopsError(
          'upstream_error',
          `${this.where()}: the stream ended before a finish_reason (connection closed early)`,
        );
      }
    } finally {
      deadline.dispose();
      if (!finished) await iterator.return?.().catch(() => undefined);
    }
  }

  /** Opens the stream and reads its first chunk; failing here is safe to retry (nothing was yielded). */
  private async open(
    body: ChatCompletionCreateParamsStreaming,
    serialized: string,
    options: CallOptions,
  ): Promise<OpenedStream> {
    const deadline = this.deadline(options);
    let iterator: AsyncIterator<unknown> | undefined;
    try {
      const { transport } = this.settings;
      iterator = transport
        ? await transport.postEvents('/chat/completions', serialized, deadline.signal)
        : ((await (await this.settings.client()).chat.completions.create(body, { signal: deadline.signal }))[
            Symbol.asyncIterator
          ]() as AsyncIterator<unknown>);
      const first = await iterator.next();
      if (first.done) {
        if (deadline.timedOut || deadline.callerAborted) throw new Error('stream aborted');
        throw new LlmopsError('upstream_error', `${this.where()}: the stream ended before its first chunk`);
      }
      return { deadline, iterator, first: first.value };
    } catch (error) {
      deadline.dispose();
      await iterator?.return?.().catch(() => undefined);
      throw this.mapError(error, deadline);
    }
  }

  private deadline(options: CallOptions): AttemptDeadline {
    return new AttemptDeadline({ timeoutMs: this.settings.timeoutMs, callerSignal: options.signal });
  }

  private where(): string {
    return `${this.settings.endpoint} (model ${this.modelId})`;
  }

  private mapError(error: unknown, deadline: AttemptDeadline): LlmopsError {
    return mapOpenAiError(error, {
      endpoint: this.settings.endpoint,
      model: this.modelId,
      apiKey: this.settings.apiKey,
      deadline,
    });
  }
}
