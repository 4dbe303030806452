import { randomUUID } from 'node:crypto';
import { LlmopsError, systemClock } from '@llmops/kernel';
import type {
  ChatCompletionChunk,
  ChatMessage,
  ChatModel,
  ChatModelRequest,
  Clock,
  FinishReason,
  Usage,
} from '@llmops/kernel';
import { countMessageTokens, formatModelSpec } from '@llmops/providers';
import type { PricingTable } from '@llmops/providers';
import { extractCitations } from '../domain/retrieval/citations.js';
import type { Citation, ScoredPassage } from '../domain/retrieval/passage.js';
import type { GuardrailVerdict } from '../domain/guardrails/guardrail-verdict.js';
import type { ServableModel } from '../ports.js';
import { guardrailBlockedError } from './guardrail-engine.js';
import type { GuardrailBlock, GuardrailEngine } from './guardrail-engine.js';
import { createGuardedStreamState, guardStream } from './guarded-stream.js';
import type {
  Pipeline,
  PipelineCallOptions,
  PipelineCompletion,
  PipelineRequest,
  PipelineStream,
  PipelineTrace,
  RetrievalTrace,
  ServedChatCompletion,
  ServedCompletionExtension,
} from './pipeline.js';

/** The prompt a pipeline sends, with the passages it numbered (RAG) and what retrieval did. */
export interface PreparedPrompt {
  messages: ChatMessage[];
  /** The context passages in the order they are numbered in the prompt (`[1]` is the first). */
  passages: ScoredPassage[];
  retrieval?: RetrievalTrace;
}

/** The step that differs between pipelines: turning the checked conversation into the model's prompt. */
export interface PromptPreparer {
  readonly kind: 'chat' | 'rag';
  /** @throws LlmopsError `invalid_input` for missing prompt variables; retrieval's errors. */
  prepare(input: {
    messages: ChatMessage[];
    variables: Readonly<Record<string, string>>;
    signal?: AbortSignal;
  }): Promise<PreparedPrompt>;
}

/** What {@link GenerationPipeline} is built from. */
export interface GenerationPipelineOptions {
  model: ServableModel;
  chatModel: ChatModel;
  preparer: PromptPreparer;
  guardrails: GuardrailEngine;
  /** Prices for the cost in the trace and the `x-llmops-cost-usd` header; no cost without it. */
  pricing?: PricingTable;
  clock?: Clock;
  /** Makes completion ids; `chatcmpl-<uuid>` by default. */
  newId?: () => string;
}

/** The request fields passed on to the model (the rest, such as `metadata` or `llmops`, stays with llmops). */
const forwardedFields = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'seed',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'logit_bias',
  'user',
] as const;

const zeroUsage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** The id and creation time every chunk of one stream shares. */
interface ChunkShape {
  id: string;
  created: number;
}

interface Timing {
  startedAt: number;
  retrieve: number;
  guard: number;
  generate: number;
}

/**
 * The runtime shared by the chat and RAG pipelines: input guardrails → prompt preparation
 * (retrieval and context assembly for RAG) → the model → output guardrails (on streams, before
 * every window is sent) → citations, usage, cost and the trace.
 */
export class GenerationPipeline implements Pipeline {
  readonly model: ServableModel;
  private readonly chatModel: ChatModel;
  private readonly preparer: PromptPreparer;
  private readonly guardrails: GuardrailEngine;
  private readonly pricing: PricingTable | undefined;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly version: string;
  private readonly providerName: string;

  constructor(options: GenerationPipelineOptions) {
    this.model = options.model;
    this.chatModel = options.chatModel;
    this.preparer = options.preparer;
    this.guardrails = options.guardrails;
    this.pricing = options.pricing;
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? (() => `chatcmpl-${randomUUID().replace(/-/g, '')}`);
    this.version = `${options.model.name}/${options.model.version}`;
    this.providerName = formatModelSpec(options.model.provider);
  }

  private validate(request: PipelineRequest): void {
    if (typeof request.n === 'number' && request.n > 1) {
      throw new LlmopsError(
        'invalid_input',
        `n is ${request.n}; llmops pipelines answer one choice per request (n = 1)`,
        { details: { param: 'n' } },
      );
    }
  }

  private modelRequest(request: PipelineRequest, messages: ChatMessage[]): ChatModelRequest {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.model.params ?? {}))
      if (value !== null && value !== undefined) fields[key] = value;
    for (const field of forwardedFields) {
      const value: unknown = request[field];
      if (value !== null && value !== undefined) fields[field] = value;
    }
    return { ...fields, messages } as ChatModelRequest;
  }

  private cost(usage: Usage | undefined): number | null {
    if (!usage || !this.pricing) return null;
    return this.pricing.cost(this.providerName, usage);
  }

  private trace(parts: {
    options: PipelineCallOptions;
    timing: Timing;
    verdicts: GuardrailVerdict[];
    prepared?: PreparedPrompt;
    promptTokens: number;
    usage?: Usage;
    citations: Citation[];
    finishReason: string | null;
    blocked?: GuardrailBlock;
    completed: boolean;
  }): PipelineTrace {
    const total = this.clock.monotonic() - parts.timing.startedAt;
    const endTimeMs = this.clock.now();
    // Placeholder until the step chain records spans: one trace, no spans.
    return {
      traceId: randomUUID().replace(/-/g, ''),
      startTimeMs: endTimeMs - total,
      endTimeMs,
      status: 'ok',
      spans: [],
      ...(parts.options.requestId === undefined ? {} : { requestId: parts.options.requestId }),
      model: this.version,
      pipeline: this.preparer.kind,
      provider: this.providerName,
      guardrailPolicy: this.guardrails.policyName,
      ...(parts.prepared?.retrieval ? { retrieval: parts.prepared.retrieval } : {}),
      promptTokens: parts.promptTokens,
      guardrails: parts.verdicts,
      ...(parts.blocked ? { blocked: parts.blocked } : {}),
      ...(parts.usage ? { usage: parts.usage } : {}),
      costUsd: this.cost(parts.usage),
      latencyMs: {
        retrieve: parts.timing.retrieve,
        guard: parts.timing.guard,
        generate: parts.timing.generate,
        total,
        overhead: Math.max(0, total - parts.timing.generate),
      },
      citations: parts.citations,
      finishReason: parts.finishReason,
      completed: parts.completed,
    };
  }

  private extension(citations: Citation[], block?: GuardrailBlock): ServedCompletionExtension {
    return {
      model_version: this.version,
      citations,
      ...(block
        ? {
            guardrail: { blocked: true as const, stage: block.stage, check: block.check, categories: block.categories },
          }
        : {}),
    };
  }

  private refusal(parts: { id: string; created: number; block: GuardrailBlock; usage: Usage }): ServedChatCompletion {
    return {
      id: parts.id,
      object: 'chat.completion',
      created: parts.created,
      model: this.version,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: this.guardrails.policy.refusalMessage, refusal: null },
          finish_reason: 'content_filter',
          logprobs: null,
        },
      ],
      usage: parts.usage,
      system_fingerprint: null,
      llmops: this.extension([], parts.block),
    };
  }

  /** Input checks and prompt preparation, shared by both entry points. */
  private async begin(request: PipelineRequest, options: PipelineCallOptions, timing: Timing) {
    this.validate(request);
    const guardStart = this.clock.monotonic();
    const input = await this.guardrails.checkInput(request.messages, options.signal ? { signal: options.signal } : {});
    timing.guard += this.clock.monotonic() - guardStart;
    if (input.block) return { blocked: input.block, verdicts: input.verdicts } as const;
    const retrieveStart = this.clock.monotonic();
    const prepared = await this.preparer.prepare({
      messages: input.messages,
      variables: request.variables ?? {},
      ...(options.signal ? { signal: options.signal } : {}),
    });
    timing.retrieve += this.clock.monotonic() - retrieveStart;
    const modelRequest = this.modelRequest(request, prepared.messages);
    // The provider's usage is the authoritative count; count ourselves only when it reports none.
    const promptTokens = (usage: Usage | undefined) =>
      usage?.prompt_tokens ?? countMessageTokens(modelRequest.messages, this.chatModel.modelId);
    return { prepared, modelRequest, promptTokens, verdicts: input.verdicts } as const;
  }

  async complete(request: PipelineRequest, options: PipelineCallOptions = {}): Promise<PipelineCompletion> {
    const timing: Timing = { startedAt: this.clock.monotonic(), retrieve: 0, guard: 0, generate: 0 };
    const id = this.newId();
    const created = Math.floor(this.clock.now() / 1000);
    const started = await this.begin(request, options, timing);
    if ('blocked' in started) {
      const block = started.blocked as GuardrailBlock;
      if (this.guardrails.policy.onBlock === 'error') throw guardrailBlockedError(block);
      const trace = this.trace({
        options,
        timing,
        verdicts: started.verdicts,
        promptTokens: 0,
        citations: [],
        finishReason: 'content_filter',
        blocked: block,
        completed: true,
        usage: zeroUsage,
      });
      return { completion: this.refusal({ id, created, block, usage: zeroUsage }), trace };
    }
    const { prepared, modelRequest, promptTokens } = started;
    const generateStart = this.clock.monotonic();
    const generated = await this.chatModel.generate(modelRequest, options.signal ? { signal: options.signal } : {});
    timing.generate += this.clock.monotonic() - generateStart;
    const choice = generated.choices[0];
    const content = choice?.message.content ?? null;
    const guardStart = this.clock.monotonic();
    const output = await this.guardrails.checkOutput(content ?? '', options.signal ? { signal: options.signal } : {});
    timing.guard += this.clock.monotonic() - guardStart;
    const verdicts = [...started.verdicts, ...output.verdicts];
    const usage = generated.usage;
    if (output.block) {
      const block = output.block;
      const trace = this.trace({
        options,
        timing,
        verdicts,
        prepared,
        promptTokens: promptTokens(usage),
        citations: [],
        finishReason: 'content_filter',
        blocked: block,
        completed: true,
        ...(usage ? { usage } : {}),
      });
      if (this.guardrails.policy.onBlock === 'error') throw guardrailBlockedError(block);
      return { completion: this.refusal({ id, created, block, usage: usage ?? zeroUsage }), trace };
    }
    const finalContent = content === null ? null : output.text;
    const citations = extractCitations(finalContent ?? '', prepared.passages);
    const finishReason: FinishReason = choice?.finish_reason ?? 'stop';
    const completion: ServedChatCompletion = {
      id,
      object: 'chat.completion',
      created,
      model: this.version,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: finalContent,
            refusal: choice?.message.refusal ?? null,
            ...(choice?.message.tool_calls ? { tool_calls: choice.message.tool_calls } : {}),
          },
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      ...(usage ? { usage } : {}),
      system_fingerprint: generated.system_fingerprint ?? null,
      llmops: this.extension(citations),
    };
    const trace = this.trace({
      options,
      timing,
      verdicts,
      prepared,
      promptTokens: promptTokens(usage),
      citations,
      finishReason,
      completed: true,
      ...(usage ? { usage } : {}),
    });
    return { completion, trace };
  }

  async stream(request: PipelineRequest, options: PipelineCallOptions = {}): Promise<PipelineStream> {
    const timing: Timing = { startedAt: this.clock.monotonic(), retrieve: 0, guard: 0, generate: 0 };
    const shape: ChunkShape = { id: this.newId(), created: Math.floor(this.clock.now() / 1000) };
    const started = await this.begin(request, options, timing);
    let resolveTrace: (trace: PipelineTrace) => void = () => undefined;
    const trace = new Promise<PipelineTrace>((resolve) => (resolveTrace = resolve));
    if ('blocked' in started) {
      const block = started.blocked as GuardrailBlock;
      if (this.guardrails.policy.onBlock === 'error') throw guardrailBlockedError(block);
      const chunks = this.refusalChunks({ shape, block, options, timing, verdicts: started.verdicts, resolveTrace });
      return { id: shape.id, model: this.version, chunks, trace };
    }
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const generateStart = this.clock.monotonic();
    // Open the upstream and wait for its first chunk here, so that a provider failing at once
    // (bad key, unknown model) is still answered with an HTTP error rather than a broken stream.
    const upstream = this.chatModel.stream(started.modelRequest, { signal })[Symbol.asyncIterator]();
    let first: IteratorResult<ChatCompletionChunk>;
    try {
      first = await upstream.next();
    } catch (error) {
      controller.abort();
      throw error;
    }
    const primed = (async function* () {
      if (first.done) return;
      yield first.value;
      for (let next = await upstream.next(); !next.done; next = await upstream.next()) yield next.value;
    })();
    const chunks = this.guardedChunks({
      shape,
      upstream: primed,
      controller,
      signal,
      generateStart,
      started,
      options,
      timing,
      resolveTrace,
    });
    return { id: shape.id, model: this.version, chunks, trace };
  }

  private chunk(
    shape: ChunkShape,
    choices: ChatCompletionChunk['choices'],
    extra: Partial<ChatCompletionChunk> = {},
  ): ChatCompletionChunk {
    return {
      id: shape.id,
      object: 'chat.completion.chunk',
      created: shape.created,
      model: this.version,
      system_fingerprint: null,
      choices,
      ...extra,
    };
  }

  private async *refusalChunks(context: {
    shape: ChunkShape;
    block: GuardrailBlock;
    options: PipelineCallOptions;
    timing: Timing;
    verdicts: GuardrailVerdict[];
    resolveTrace: (trace: PipelineTrace) => void;
  }): AsyncGenerator<ChatCompletionChunk> {
    const { shape, block, options } = context;
    yield this.chunk(shape, [
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null },
    ]);
    yield this.chunk(shape, [
      { index: 0, delta: { content: this.guardrails.policy.refusalMessage }, finish_reason: null, logprobs: null },
    ]);
    yield this.chunk(shape, [{ index: 0, delta: {}, finish_reason: 'content_filter', logprobs: null }], {
      llmops: this.extension([], block),
    } as Partial<ChatCompletionChunk>);
    if (options.includeUsage) yield this.chunk(shape, [], { usage: zeroUsage });
    context.resolveTrace(
      this.trace({
        options,
        timing: context.timing,
        verdicts: context.verdicts,
        promptTokens: 0,
        citations: [],
        finishReason: 'content_filter',
        blocked: block,
        completed: true,
        usage: zeroUsage,
      }),
    );
  }

  private async *guardedChunks(context: {
    shape: ChunkShape;
    upstream: AsyncIterable<ChatCompletionChunk>;
    controller: AbortController;
    signal: AbortSignal;
    generateStart: number;
    started: {
      prepared: PreparedPrompt;
      promptTokens: (usage: Usage | undefined) => number;
      verdicts: GuardrailVerdict[];
    };
    options: PipelineCallOptions;
    timing: Timing;
    resolveTrace: (trace: PipelineTrace) => void;
  }): AsyncGenerator<ChatCompletionChunk> {
    const { shape, started, options, timing } = context;
    const policy = this.guardrails.policy;
    const state = createGuardedStreamState();
    let completed = false;
    let citations: Citation[] = [];
    try {
      yield this.chunk(shape, [
        { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null },
      ]);
      const events = guardStream({
        upstream: context.upstream,
        engine: this.guardrails,
        windowChars: policy.stream.windowChars,
        holdBackChars: policy.stream.holdBackChars,
        state,
        signal: context.signal,
        clock: this.clock,
      });
      for await (const event of events) {
        if (event.type === 'text') {
          yield this.chunk(shape, [{ index: 0, delta: { content: event.text }, finish_reason: null, logprobs: null }]);
        } else if (event.type === 'tool_calls') {
          yield this.chunk(shape, [
            { index: 0, delta: { tool_calls: event.toolCalls }, finish_reason: null, logprobs: null },
          ]);
        } else if (event.type === 'finish') {
          citations = extractCitations(state.sentText, started.prepared.passages);
          yield this.chunk(shape, [{ index: 0, delta: {}, finish_reason: event.finishReason, logprobs: null }], {
            llmops: this.extension(citations),
          } as Partial<ChatCompletionChunk>);
        } else if (options.includeUsage) {
          yield this.chunk(shape, [], { usage: event.usage });
        }
      }
      completed = true;
    } finally {
      if (!completed) context.controller.abort();
      timing.guard += state.guardMs;
      timing.generate += Math.max(0, this.clock.monotonic() - context.generateStart - state.guardMs);
      context.resolveTrace(
        this.trace({
          options,
          timing,
          verdicts: [...started.verdicts, ...state.verdicts],
          prepared: started.prepared,
          promptTokens: started.promptTokens(state.usage),
          citations,
          finishReason: state.block ? 'content_filter' : state.finishReason,
          completed,
          ...(state.block ? { blocked: state.block } : {}),
          ...(state.usage ? { usage: state.usage } : {}),
        }),
      );
    }
  }
}
