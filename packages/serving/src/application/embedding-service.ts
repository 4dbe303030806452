import { LlmopsError } from '@llmops/kernel';
import type { CallOptions, Embedder } from '@llmops/kernel';
import { createEmbedder, createProviderRegistry, formatModelSpec, parseModelSpec } from '@llmops/providers';
import type { ModelSpec, PricingTable, ProviderRegistry } from '@llmops/providers';
import type { ModelResolver } from '../ports.js';
import { encodeEmbeddingBase64 } from './served-embedding-request.js';
import type { ServedEmbeddingRequest, ServedEmbeddingResponse } from './served-embedding-request.js';

/** Settings of {@link EmbeddingService}. */
export interface EmbeddingServiceOptions {
  /** Resolves registry references (a version's `pipeline.embedder` embeds). */
  resolver: ModelResolver;
  /** The providers embedders are built from; `createProviderRegistry()` by default. */
  providers?: ProviderRegistry;
  /** Where API keys are read; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** Prices for the cost of an embedding (input tokens); costs are unknown without it. */
  pricing?: PricingTable;
  /** Builds an embedder of a spec with the requested dimensions; `createEmbedder` of `@llmops/providers` by default. */
  createEmbedder?: (spec: ModelSpec, settings: { dimensions?: number }) => Embedder;
}

/** Embedders kept built (one per spec and dimensions), least recently used dropped first. */
const maxEmbedders = 32;

function invalid(message: string, param: string): LlmopsError {
  return new LlmopsError('invalid_input', message, { details: { param } });
}

/**
 * `POST /v1/embeddings` through the provider layer: `model` is a provider spec (`offline/lexical`,
 * `openai/text-embedding-3-small`) or a registry reference whose version names an embedder
 * (`pipeline.embedder`); input is a string or an array of strings; `encoding_format` is `float` or
 * `base64` (float32, little-endian); `dimensions` is passed to the embedder (the offline one hashes
 * into that many buckets, OpenAI's `text-embedding-3-*` shorten their vectors).
 */
export class EmbeddingService {
  private readonly options: EmbeddingServiceOptions;
  private readonly providers: ProviderRegistry;
  private readonly embedders = new Map<string, Embedder>();

  constructor(options: EmbeddingServiceOptions) {
    this.options = options;
    this.providers = options.providers ?? createProviderRegistry();
  }

  /**
   * Embeds the request's input.
   * @throws LlmopsError `invalid_input` naming the parameter (`model`, `input`, `dimensions`);
   * `not_found` for an unknown reference; the provider's errors (`upstream_error`, `timeout`…).
   */
  async embed(request: ServedEmbeddingRequest, options: CallOptions = {}): Promise<ServedEmbeddingResponse> {
    const texts = this.texts(request.input);
    const target = await this.target(request.model);
    const embedder = this.embedder(target.spec, request.dimensions);
    const result = await embedder.embed(texts, options);
    const base64 = request.encoding_format === 'base64';
    const embedderName = formatModelSpec(target.spec);
    const usage = { prompt_tokens: result.usage.prompt_tokens, total_tokens: result.usage.total_tokens };
    return {
      object: 'list',
      data: result.embeddings.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? encodeEmbeddingBase64(vector) : vector,
      })),
      model: target.name,
      usage,
      llmops: { embedder: embedderName, cost_usd: this.options.pricing?.cost(embedderName, usage) ?? null },
    };
  }

  /** The texts of `input`; token arrays and empty strings are refused. */
  private texts(input: ServedEmbeddingRequest['input']): string[] {
    const items: unknown[] = Array.isArray(input) ? input : [input];
    if (items.some((item) => typeof item !== 'string')) {
      throw invalid('input holds token ids; llmops embeds text: send a string or an array of strings', 'input');
    }
    const texts = items as string[];
    const empty = texts.findIndex((text) => text.trim() === '');
    if (empty >= 0)
      throw invalid(
        `input${Array.isArray(input) ? `[${empty}]` : ''} is empty; expected text to embed`,
        Array.isArray(input) ? `input[${empty}]` : 'input',
      );
    return texts;
  }

  /** The provider spec to embed with and the name the answer carries. */
  private async target(model: string): Promise<{ spec: ModelSpec; name: string }> {
    const provider = model.split('/')[0] ?? '';
    if (model.includes('/') && this.providers.names().includes(provider)) {
      return { spec: parseModelSpec(model, { knownProviders: this.providers.names() }), name: model };
    }
    const served = await this.options.resolver.resolve(model);
    const name = `${served.name}/${served.version}`;
    const embedder = served.pipeline.kind === 'rag' ? served.pipeline.embedder : undefined;
    if (embedder === undefined) {
      throw invalid(
        `model ${name} has no embedder (its spec sets no pipeline.embedder); name a version that has one, or a provider spec such as offline/lexical or openai/text-embedding-3-small`,
        'model',
      );
    }
    return { spec: parseModelSpec(embedder, { knownProviders: this.providers.names() }), name };
  }

  private embedder(spec: ModelSpec, dimensions: number | undefined): Embedder {
    const key = `${JSON.stringify(spec)}#${dimensions ?? ''}`;
    const known = this.embedders.get(key);
    if (known) {
      this.embedders.delete(key);
      this.embedders.set(key, known);
      return known;
    }
    let built: Embedder;
    try {
      built = this.options.createEmbedder
        ? this.options.createEmbedder(spec, dimensions === undefined ? {} : { dimensions })
        : createEmbedder(spec, {
            registry: this.providers,
            env: this.options.env ?? process.env,
            ...(dimensions === undefined ? {} : { embeddingDimensions: dimensions }),
          });
    } catch (error) {
      const failure = LlmopsError.fromUnknown(error);
      if (failure.code !== 'invalid_input') throw failure;
      throw invalid(
        failure.message,
        dimensions !== undefined && /dimensions/.test(failure.message) ? 'dimensions' : 'model',
      );
    }
    this.embedders.set(key, built);
    while (this.embedders.size > maxEmbedders) this.embedders.delete(this.embedders.keys().next().value as string);
    return built;
  }
}
