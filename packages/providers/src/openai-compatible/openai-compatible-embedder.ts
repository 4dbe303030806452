import { LlmopsError, withRetry } from '@llmops/kernel';
import type { CallOptions, Embedder, EmbeddingResult } from '@llmops/kernel';
import { countTokens } from '../tokens/token-counter.js';
import { AttemptDeadline } from './attempt-deadline.js';
import { mapOpenAiError } from './openai-error-mapping.js';
import { resolveOpenAiSettings } from './openai-compatible-settings.js';
import type { OpenAiCompatibleSettings, ResolvedOpenAiSettings } from './openai-compatible-settings.js';
import { parseEmbeddingResponse } from './openai-wire-parsing.js';

/** Options of {@link OpenAiCompatibleEmbedder} beyond the endpoint settings. */
export interface OpenAiCompatibleEmbedderOptions {
  /** Output dimensions for models that can shorten their vectors (`text-embedding-3-*`). */
  dimensions?: number;
}

/**
 * An embedder behind any OpenAI-compatible endpoint (`POST {baseURL}/embeddings`, float vectors),
 * with the same transport (the origin's keep-alive pool; the SDK on an injected `fetch`), timeout, retry and error
 * mapping as {@link OpenAiCompatibleChatModel}.
 * Usage is the server's; when a server reports none, it is counted with gpt-tokenizer.
 */
export class OpenAiCompatibleEmbedder implements Embedder {
  readonly provider: string;
  readonly modelId: string;
  private readonly settings: ResolvedOpenAiSettings;
  private readonly dimensions: number | undefined;

  /** @throws LlmopsError `invalid_input` for an empty model id or invalid settings. */
  constructor(modelId: string, settings: OpenAiCompatibleSettings & OpenAiCompatibleEmbedderOptions = {}) {
    if (modelId.trim() === '')
      throw new LlmopsError(
        'invalid_input',
        'OpenAI-compatible embedder: the model id is empty; expected for example text-embedding-3-small',
      );
    this.modelId = modelId;
    this.settings = resolveOpenAiSettings(settings);
    this.provider = this.settings.name;
    this.dimensions = settings.dimensions;
  }

  /** Embeds the texts in one request; vectors come back in the order of the texts. */
  async embed(texts: readonly string[], options: CallOptions = {}): Promise<EmbeddingResult> {
    if (texts.length === 0) return { embeddings: [], usage: { prompt_tokens: 0, total_tokens: 0 } };
    const where = `${this.settings.endpoint} (model ${this.modelId})`;
    const body = {
      model: this.modelId,
      input: [...texts],
      encoding_format: 'float' as const,
      ...(this.dimensions === undefined ? {} : { dimensions: this.dimensions }),
    };
    const response = await withRetry(
      async () => {
        const deadline = new AttemptDeadline({ timeoutMs: this.settings.timeoutMs, callerSignal: options.signal });
        try {
          const { transport } = this.settings;
          const raw: unknown = transport
            ? await transport.postJson('/embeddings', JSON.stringify(body), deadline.signal)
            : await (await this.settings.client()).embeddings.create(body, { signal: deadline.signal });
          return parseEmbeddingResponse(raw, where);
        } catch (error) {
          throw mapOpenAiError(error, {
            endpoint: this.settings.endpoint,
            model: this.modelId,
            apiKey: this.settings.apiKey,
            deadline,
          });
        } finally {
          deadline.dispose();
        }
      },
      { ...this.settings.retry, signal: options.signal },
    );
    const ordered = [...response.data].sort((left, right) => left.index - right.index);
    if (ordered.length !== texts.length) {
      throw new LlmopsError(
        'upstream_error',
        `${where}: answered ${ordered.length} embeddings for ${texts.length} texts; expected one per text`,
      );
    }
    const counted = () => texts.reduce((sum, text) => sum + countTokens(text, this.modelId), 0);
    const promptTokens = response.usage?.prompt_tokens ?? counted();
    return {
      embeddings: ordered.map((item) => item.embedding),
      usage: { prompt_tokens: promptTokens, total_tokens: response.usage?.total_tokens ?? promptTokens },
    };
  }
}
