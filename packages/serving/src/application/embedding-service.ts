import { randomUUID } from 'node:crypto';
import { contentText, LlmopsError, parseModelVersionSpec, systemClock } from '@llmops/kernel';
import type { CallOptions, Clock, Embedder } from '@llmops/kernel';
import { createEmbedder, createProviderRegistry, formatModelSpec, parseModelSpec } from '@llmops/providers';
import type { ModelSpec, PricingTable, ProviderRegistry } from '@llmops/providers';
import { toServableModel } from '../domain/models/servable-model.js';
import type { ModelResolver, ServableModel, ServingCaller } from '../ports.js';
import type { TraceQueue } from './batching-trace-sink.js';
import type { CacheDirective } from './cache-step.js';
import type { FallbackTargets } from './fallback-step.js';
import type { PipelineRequest, PipelineTrace } from './pipeline.js';
import { encodeEmbeddingBase64 } from './served-embedding-request.js';
import type { ServedEmbeddingRequest, ServedEmbeddingResponse } from './served-embedding-request.js';
import type { ServingStep } from './serving-step.js';
import { composeSteps } from './step-chain.js';
import type { ChainFrame, ChainHandler } from './step-chain.js';
import { TraceRecorder } from './trace-recorder.js';
import { isTraceKept } from './trace-sampling.js';

/** Builds the serving steps of a version's embeddings calls (a `PipelineFactory`: the chat chain's own factories). */
export interface EmbeddingStepBuilder {
  /** @param build.fallbacks other versions the `fallbacks` step may hand a failed call to (the service gives them). */
  embeddingSteps(model: ServableModel, build?: { fallbacks?: FallbackTargets }): Promise<ServingStep[]>;
}

/** Per-call options of {@link EmbeddingService.embed}. */
export interface EmbeddingCallOptions extends CallOptions {
  /** The request id, copied into the trace and the monitoring event. */
  requestId?: string;
  /** The API key the call is made with (its limits apply); absent for anonymous loopback inference. */
  caller?: ServingCaller;
  /** Called once with the request's trace when it ends, however it ends. */
  onTrace?: (trace: PipelineTrace) => void;
  /** What the caller asks of the response cache (`use` when absent; see `cacheDirectiveOf` of the routes). */
  cacheDirective?: CacheDirective;
}

/** Settings of {@link EmbeddingService}. */
export interface EmbeddingServiceOptions {
  /** Resolves registry references (a version's `pipeline.embedder` embeds). */
  resolver: ModelResolver;
  /**
   * The providers embedders are built from, and the owner of the upstream pools they share (whoever made it closes
   * it). Without it the service makes its own registry whose calls each open a connection closed after the answer
   * (no keep-alive), since nothing would close a pool the service kept.
   */
  providers?: ProviderRegistry;
  /** Where API keys are read; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** Prices for the cost of an embedding (input tokens); costs are unknown without it. */
  pricing?: PricingTable;
  /**
   * Builds an embedder of a spec with the requested dimensions, given the service's providers (to build from, sharing
   * their pools); `createEmbedder` of `@llmops/providers` by default.
   */
  createEmbedder?: (spec: ModelSpec, settings: { dimensions?: number; providers: ProviderRegistry }) => Embedder;
  /**
   * The serving steps every call goes through (monitoring, limits, input guardrails, in `defaultStepOrder`); none
   * without it (then nothing is guarded, limited or recorded as an event).
   */
  steps?: EmbeddingStepBuilder;
  /** Where the trace of every call goes (a `BatchingTraceSink`); none by default. */
  traceSink?: TraceQueue;
  /** The share of requests whose trace goes to the sink (`LLMOPS_TRACE_SAMPLE_RATE`), from 0 to 1; 1 by default ({@link isTraceKept}). */
  traceSampleRate?: number;
  clock?: Clock;
}

/** What a call embeds with: the embedder's spec, the name the answer carries, and the version whose steps apply. */
interface EmbeddingTarget {
  spec: ModelSpec;
  name: string;
  model: ServableModel;
}

/** Embedders kept built (one per spec and dimensions), least recently used dropped first. */
const maxEmbedders = 32;
/** Step chains kept built (one per version or provider spec), least recently used dropped first. */
const maxChains = 64;

/**
 * A provider spec served like a version with no prompt: its steps are those of a chat version under the `default`
 * guardrail policy, named after the spec (version 0: never registered), as `llmops chat` serves a provider spec.
 */
function providerSpecModel(spec: ModelSpec): ServableModel {
  const name = formatModelSpec(spec);
  const parsed = parseModelVersionSpec(
    { name: 'provider-spec', provider: spec, pipeline: { kind: 'chat', prompt: 'none' } },
    `embeddings model ${name}`,
  );
  return { ...toServableModel(parsed, { version: 0 }), name };
}

/** The texts of an embeddings call as the step chain carries them: one user message each. */
function asRequest(texts: readonly string[]): PipelineRequest {
  return { messages: texts.map((text) => ({ role: 'user' as const, content: text })) };
}

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
  private readonly chains = new Map<string, Promise<ChainHandler<ServedEmbeddingResponse>>>();
  private readonly clock: Clock;

  constructor(options: EmbeddingServiceOptions) {
    this.options = options;
    // Owner-less: no keep-alive, so no idle connection is left for a close that never comes.
    this.providers = options.providers ?? createProviderRegistry({ pools: { keepAlive: false } });
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Embeds the request's input through the serving steps of its version (or of the provider spec, under the
   * `default` guardrail policy): the input guardrails judge every text (PII they redact is redacted before it is
   * embedded), the caller's limits admit the call and are charged its tokens and cost, the response cache answers the
   * same texts again without the embedder, the version's fallbacks embed when its embedder fails with a retryable
   * error, monitoring records one event; the trace (spans `resolve`, `guard_input`, `cache`, `attempt`, `embed`) goes
   * to the trace sink.
   * @throws LlmopsError `invalid_input` naming the parameter (`model`, `input`, `dimensions`);
   * `not_found` for an unknown reference; `guardrail_blocked` when an input check blocks (an embedding has no refusal
   * to answer with); `rate_limited` or `budget_exceeded` over the caller's limits; the provider's errors
   * (`upstream_error`, `timeout`…).
   */
  async embed(request: ServedEmbeddingRequest, options: EmbeddingCallOptions = {}): Promise<ServedEmbeddingResponse> {
    const texts = this.texts(request.input);
    const recorder = new TraceRecorder({
      clock: this.clock,
      reference: request.model,
      sampleRate: this.options.traceSampleRate ?? 1,
      ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    });
    let outcome: { completed: boolean; error?: unknown } = { completed: false };
    try {
      const span = recorder.start('resolve');
      let target: EmbeddingTarget;
      let chain: ChainHandler<ServedEmbeddingResponse>;
      try {
        target = await this.target(request.model);
        chain = await this.chain(target, this.embedder(target.spec, request.dimensions), 'whole');
      } catch (error) {
        span.end({ reference: request.model, 'error.code': LlmopsError.fromUnknown(error).code }, 'error');
        throw error;
      }
      span.end({ reference: request.model, model_version: target.name });
      recorder.describe({
        model: target.name,
        pipeline: 'embeddings',
        provider: formatModelSpec(target.spec),
        guardrailPolicy: 'none',
      });
      const answer = await chain(asRequest(texts), {
        model: target.model,
        response: {
          id: `embd-${randomUUID()}`,
          created: Math.floor(this.clock.now() / 1000),
          model: target.name,
          systemFingerprint: '',
        },
        options: {
          recorder,
          includeUsage: false,
          embedding: request.dimensions === undefined ? {} : { dimensions: request.dimensions },
          ...(options.cacheDirective ? { cacheDirective: options.cacheDirective } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
          ...(options.caller ? { caller: options.caller } : {}),
        },
      });
      outcome = { completed: true };
      return request.encoding_format === 'base64'
        ? {
            ...answer,
            data: answer.data.map((item) => ({
              ...item,
              embedding: typeof item.embedding === 'string' ? item.embedding : encodeEmbeddingBase64(item.embedding),
            })),
          }
        : answer;
    } catch (error) {
      outcome = { completed: false, error };
      throw error;
    } finally {
      this.record(recorder.finish(outcome), options);
    }
  }

  /**
   * Other versions, for the `fallbacks` step of embeddings calls: a fallback reference's version embeds with its own
   * embedder (and the dimensions the call asked for), through its steps from the `fallbacks` slot inward.
   */
  private readonly fallbackTargets: FallbackTargets = {
    resolve: (reference) => this.options.resolver.resolve(reference),
    target: async (model) => ({
      model,
      embed: async (request, call) => {
        const target = this.versionTarget(model);
        const chain = await this.chain(target, this.embedder(target.spec, call.options.embedding?.dimensions), 'inner');
        call.options.recorder.describe({
          model: target.name,
          pipeline: 'embeddings',
          provider: formatModelSpec(target.spec),
        });
        return chain(request, {
          options: call.options,
          model: target.model,
          response: { ...call.response, model: target.name },
        });
      },
    }),
  };

  /** Hands a trace to the sink; a failing sink never fails a request. */
  private record(trace: PipelineTrace, options: EmbeddingCallOptions): void {
    try {
      if (isTraceKept(trace, this.options.traceSampleRate ?? 1)) this.options.traceSink?.record(trace);
    } catch {
      // Traces are best effort: the answer matters more.
    }
    options.onTrace?.(trace);
  }

  /**
   * The steps of a target around its embedder's call, composed once per version (or provider spec) and embedder:
   * all of them (`whole`), or, for a version standing in as another's fallback, those from the `fallbacks` slot
   * inward (`inner`: the caller's outer steps already ran).
   */
  private chain(
    target: EmbeddingTarget,
    embedder: { key: string; embedder: Embedder },
    part: 'whole' | 'inner',
  ): Promise<ChainHandler<ServedEmbeddingResponse>> {
    const key = `${target.name}#${target.model.version}#${embedder.key}#${part}`;
    const known = this.chains.get(key);
    if (known) {
      this.chains.delete(key);
      this.chains.set(key, known);
      return known;
    }
    const building = (async () => {
      const all = (await this.options.steps?.embeddingSteps(target.model, { fallbacks: this.fallbackTargets })) ?? [];
      const slot = all.findIndex((step) => step.name === 'fallbacks');
      const steps = part === 'whole' ? all : slot < 0 ? [] : all.slice(slot);
      return composeSteps<ServedEmbeddingResponse>(
        steps,
        (step) => step.wrapEmbed,
        (request, frame) => this.core({ target, embedder: embedder.embedder }, request, frame),
      );
    })();
    this.chains.set(key, building);
    while (this.chains.size > maxChains) this.chains.delete(this.chains.keys().next().value as string);
    building.catch(() => {
      if (this.chains.get(key) === building) this.chains.delete(key);
    });
    return building;
  }

  /** The call at the chain's centre: the embedder on the texts the steps let through, within the `embed` span. */
  private async core(
    using: { target: EmbeddingTarget; embedder: Embedder },
    request: PipelineRequest,
    frame: ChainFrame,
  ): Promise<ServedEmbeddingResponse> {
    const { target, embedder } = using;
    const recorder = frame.options.recorder;
    const texts = request.messages.map((message) => contentText(message.content));
    const startedAt = recorder.clock.monotonic();
    const embedderName = formatModelSpec(target.spec);
    const result = await recorder.span(
      'embed',
      () => embedder.embed(texts, frame.options.signal ? { signal: frame.options.signal } : {}),
      (embedded) => ({
        embedder: embedderName,
        inputs: texts.length,
        'usage.input_tokens': embedded.usage.prompt_tokens,
      }),
    );
    recorder.timing.generate += recorder.clock.monotonic() - startedAt;
    const usage = { prompt_tokens: result.usage.prompt_tokens, total_tokens: result.usage.total_tokens };
    const costUsd = this.options.pricing?.cost(embedderName, usage) ?? null;
    recorder.facts.usage = { ...usage, completion_tokens: 0 };
    recorder.facts.promptTokens = usage.prompt_tokens;
    recorder.facts.costUsd = costUsd;
    return {
      object: 'list',
      data: result.embeddings.map((vector, index) => ({ object: 'embedding', index, embedding: vector })),
      model: target.name,
      usage,
      llmops: { embedder: embedderName, cost_usd: costUsd },
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
  private async target(model: string): Promise<EmbeddingTarget> {
    const provider = model.split('/')[0] ?? '';
    if (model.includes('/') && this.providers.names().includes(provider)) {
      const spec = parseModelSpec(model, { knownProviders: this.providers.names() });
      return { spec, name: model, model: providerSpecModel(spec) };
    }
    let served: ServableModel;
    try {
      served = await this.options.resolver.resolve(model);
    } catch (thrown) {
      // `nope/x` is neither: say both readings, not only the registry's ("version x is not a whole number").
      const error = LlmopsError.fromUnknown(thrown);
      if (error.code !== 'invalid_input' || !model.includes('/')) throw thrown;
      throw new LlmopsError(
        'invalid_input',
        `model "${model}" is neither a provider spec (provider "${provider}" is not one of ${this.providers.names().join(', ')}) nor a registry reference (\`name\`, \`name@alias\` or \`name/version\`)`,
        { details: { param: 'model' }, cause: error },
      );
    }
    return this.versionTarget(served);
  }

  /**
   * The embedder of a registered version (its `pipeline.embedder`).
   * @throws LlmopsError `invalid_input` naming `model` when the version has none.
   */
  private versionTarget(served: ServableModel): EmbeddingTarget {
    const name = `${served.name}/${served.version}`;
    const embedder = served.pipeline.kind === 'rag' ? served.pipeline.embedder : undefined;
    if (embedder === undefined) {
      throw invalid(
        `model ${name} has no embedder (its spec sets no pipeline.embedder); name a version that has one, or a provider spec such as offline/lexical or openai/text-embedding-3-small`,
        'model',
      );
    }
    return { spec: parseModelSpec(embedder, { knownProviders: this.providers.names() }), name, model: served };
  }

  /** The embedder of a spec with the requested dimensions, and the key it is kept under. */
  private embedder(spec: ModelSpec, dimensions: number | undefined): { key: string; embedder: Embedder } {
    const key = `${JSON.stringify(spec)}#${dimensions ?? ''}`;
    const known = this.embedders.get(key);
    if (known) {
      this.embedders.delete(key);
      this.embedders.set(key, known);
      return { key, embedder: known };
    }
    let built: Embedder;
    try {
      built = this.options.createEmbedder
        ? this.options.createEmbedder(spec, {
            providers: this.providers,
            ...(dimensions === undefined ? {} : { dimensions }),
          })
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
    return { key, embedder: built };
  }
}
