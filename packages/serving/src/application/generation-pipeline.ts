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
import { countMessageTokens, countTokens, formatModelSpec } from '@llmops/providers';
import type { PricingTable } from '@llmops/providers';
import { forwardedRequestFields } from '../domain/models/forwarded-request-fields.js';
import { extractCitations } from '../domain/retrieval/citations.js';
import type { ScoredPassage } from '../domain/retrieval/passage.js';
import type { ServableModel } from '../ports.js';
import type {
  FallbackCall,
  FallbackTarget,
  Pipeline,
  PipelineCallOptions,
  PipelineCompletion,
  PipelineRequest,
  PipelineStream,
  PipelineTrace,
  RetrievalTrace,
  ServedChatCompletion,
  ServedPassageGuardrails,
  ServedRetrieval,
} from './pipeline.js';
import { LinkedAbort } from './linked-abort.js';
import { servedChunk, servedExtension } from './served-response.js';
import type { ChunkStream, ResponseShape, ServingStep } from './serving-step.js';
import { composeSteps } from './step-chain.js';
import { watchedStream } from './watched-stream.js';
import type { ChainFrame, ChainHandler } from './step-chain.js';
import { systemFingerprint } from './system-fingerprint.js';
import type { AgentRunReport, TracedCallOptions } from './agents/agent-team.js';
import { TraceRecorder } from './trace-recorder.js';
import { modelRerankAttributes } from './retrieval/passage-retriever.js';
import type { SpanHandle, TraceAttributes } from './trace-recorder.js';

/** The prompt a pipeline sends, with the passages it numbered (RAG) and what retrieval did. */
export interface PreparedPrompt {
  messages: ChatMessage[];
  /** The context passages in the order they are numbered in the prompt (`[1]` is the first). */
  passages: ScoredPassage[];
  retrieval?: RetrievalTrace;
}

/** The step that differs between pipelines: turning the checked conversation into the model's prompt. */
export interface PromptPreparer {
  readonly kind: 'chat' | 'rag' | 'agent';
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
  /** The serving steps around the core, outermost first (see `defaultStepOrder`); none by default. */
  steps?: readonly ServingStep[];
  /** Prices for the cost in the trace and the `x-llmops-cost-usd` header; no cost without it. */
  pricing?: PricingTable;
  clock?: Clock;
  /** Makes completion ids; `chatcmpl-<uuid>` by default. */
  newId?: () => string;
}

/** Hands a finished trace to the caller's callback; a failing callback never fails the request. */
function deliver(options: PipelineCallOptions, trace: PipelineTrace): void {
  try {
    options.onTrace?.(trace);
  } catch {
    // The trace is lost, the answer is not.
  }
}

/** What the core of a stream carries from opening the upstream to its end. */
interface OpenStream {
  frame: ChainFrame;
  passages: ScoredPassage[];
  modelRequest: ChatModelRequest;
  upstream: AsyncIterator<ChatCompletionChunk>;
  first: IteratorResult<ChatCompletionChunk>;
  /** Aborts the upstream call when the stream stops early; follows the caller's signal. */
  abort: LinkedAbort;
  span: SpanHandle;
  startedAt: number;
  /** The recorder's guard time when generation started: output checks during the stream are not generation. */
  guardBefore: number;
}

/**
 * The runtime shared by the chat and RAG pipelines. Its core is prompt preparation (retrieval and
 * context assembly for RAG) → the model → citations, usage and cost; everything cross-cutting
 * (monitoring, guardrails, the response cache; limits and fallbacks later) is a {@link ServingStep} around
 * it, composed once when the pipeline is built. Every request gets a trace, with spans, however it ends.
 */
export class GenerationPipeline implements Pipeline {
  readonly model: ServableModel;
  private readonly chatModel: ChatModel;
  private readonly preparer: PromptPreparer;
  private readonly pricing: PricingTable | undefined;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly version: string;
  private readonly providerName: string;
  /** The version's own fingerprint, hashed once (it is the same for every answer the upstream leaves unmarked). */
  private readonly fingerprint: string;
  /** The version's own parameters that are set (neither null nor undefined), read once: every request starts from them. */
  private readonly paramFields: Record<string, unknown>;
  private readonly completeChain: ChainHandler<ServedChatCompletion>;
  private readonly streamChain: ChainHandler<ChunkStream>;
  readonly fallbackTarget: FallbackTarget;

  constructor(options: GenerationPipelineOptions) {
    this.model = options.model;
    this.chatModel = options.chatModel;
    this.preparer = options.preparer;
    this.pricing = options.pricing;
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? (() => `chatcmpl-${randomUUID().replace(/-/g, '')}`);
    this.version = `${options.model.name}/${options.model.version}`;
    this.providerName = formatModelSpec(options.model.provider);
    this.fingerprint = systemFingerprint(options.model);
    this.paramFields = {};
    for (const [key, value] of Object.entries(options.model.params ?? {}))
      if (value !== null && value !== undefined) this.paramFields[key] = value;
    const steps = options.steps ?? [];
    this.completeChain = composeSteps(
      steps,
      (step) => step.wrapComplete,
      (request, frame) => this.generate(request, frame),
    );
    this.streamChain = composeSteps(
      steps,
      (step) => step.wrapStream,
      (request, frame) => this.openStream(request, frame),
    );
    // Standing in for another version: the steps from the `fallbacks` slot inward (the caller's outer steps already ran).
    const slot = steps.findIndex((step) => step.name === 'fallbacks');
    const inner = slot < 0 ? [] : steps.slice(slot);
    const completeAsFallback = composeSteps(
      inner,
      (step) => step.wrapComplete,
      (request, frame) => this.generate(request, frame),
    );
    const streamAsFallback = composeSteps(
      inner,
      (step) => step.wrapStream,
      (request, frame) => this.openStream(request, frame),
    );
    this.fallbackTarget = {
      model: this.model,
      complete: async (request, call) => {
        this.validate(request);
        return completeAsFallback(request, this.fallbackFrame(call));
      },
      stream: async (request, call) => {
        this.validate(request);
        return streamAsFallback(request, this.fallbackFrame(call));
      },
    };
  }

  /** The frame of this version answering in another's place: the caller's options and trace, this version's shape. */
  private fallbackFrame(call: FallbackCall): ChainFrame {
    call.options.recorder.describe({ model: this.version, pipeline: this.preparer.kind, provider: this.providerName });
    return {
      options: call.options,
      model: this.model,
      response: { ...call.response, model: this.version, systemFingerprint: this.fingerprint },
    };
  }

  /** The upstream's fingerprint when it reported one, else this version's own. */
  private fingerprintOf(reported: string | null | undefined): string {
    return typeof reported === 'string' && reported !== '' ? reported : this.fingerprint;
  }

  /**
   * Refuses `n > 1` where it cannot be answered: a RAG pipeline (citations belong to one answer) or
   * a provider that answers one choice per call (the offline model is deterministic).
   */
  private validate(request: PipelineRequest): void {
    const n = request.n;
    if (typeof n !== 'number' || n <= 1) return;
    const reason =
      this.preparer.kind === 'rag'
        ? 'rag pipelines answer one choice per request (citations belong to one answer)'
        : this.chatModel.multipleChoices === true
          ? undefined
          : `provider ${this.providerName} answers one choice per request`;
    if (reason === undefined) return;
    throw new LlmopsError('invalid_input', `n is ${n}; ${reason}; send n = 1 or leave it out`, {
      details: { param: 'n' },
    });
  }

  private modelRequest(request: PipelineRequest, messages: ChatMessage[]): ChatModelRequest {
    const fields: Record<string, unknown> = { ...this.paramFields };
    for (const field of forwardedRequestFields) {
      const value: unknown = request[field];
      if (value !== null && value !== undefined) fields[field] = value;
    }
    return { ...fields, messages } as ChatModelRequest;
  }

  /** The frame of one call: its recorder (described with this version), its options and its response shape. */
  private frame(options: PipelineCallOptions): ChainFrame {
    const recorder =
      options.recorder ??
      new TraceRecorder({
        clock: this.clock,
        ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
      });
    recorder.describe({ model: this.version, pipeline: this.preparer.kind, provider: this.providerName });
    const response: ResponseShape = {
      id: this.newId(),
      created: Math.floor(this.clock.now() / 1000),
      model: this.version,
      systemFingerprint: this.fingerprint,
    };
    return {
      model: this.model,
      response,
      options: {
        recorder,
        includeUsage: options.includeUsage ?? false,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
        ...(options.caller ? { caller: options.caller } : {}),
        ...(options.cacheDirective === undefined ? {} : { cacheDirective: options.cacheDirective }),
      },
    };
  }

  /** Prompt preparation, in the `retrieve` span (RAG) or the `prepare` span (chat). */
  private async prepare(request: PipelineRequest, frame: ChainFrame): Promise<PreparedPrompt> {
    const { recorder, signal } = frame.options;
    const startedAt = this.clock.monotonic();
    const prepared = await recorder.span(
      this.preparer.kind === 'rag' ? 'retrieve' : 'prepare',
      () =>
        this.preparer.prepare({
          messages: request.messages,
          variables: request.variables ?? {},
          ...(signal ? { signal } : {}),
        }),
      (result) => retrievalAttributes(result.retrieval),
    );
    recorder.timing.retrieve += this.clock.monotonic() - startedAt;
    if (prepared.retrieval) recorder.facts.retrieval = prepared.retrieval;
    return prepared;
  }

  /**
   * Usage counted with the model's tokenizer, for an answer whose provider reported none (an
   * upstream that ignores `stream_options.include_usage`, a stream cut short): the prompt by
   * OpenAI's message rules, the completion as the text of every choice.
   */
  private countedUsage(modelRequest: ChatModelRequest, texts: readonly string[]): Usage {
    const promptTokens = countMessageTokens(modelRequest.messages, this.chatModel.modelId);
    const completionTokens = texts.reduce((sum, text) => sum + countTokens(text, this.chatModel.modelId), 0);
    return {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
  }

  /**
   * Records usage, prompt tokens and cost; returns the `generate` span's attributes. Usage is the
   * provider's; when it reported none and something was generated (`texts`), it is counted, so a
   * stream is costed whether or not the upstream or the client asked for usage.
   */
  private recordUsage(
    frame: ChainFrame,
    parts: { usage: Usage | undefined; modelRequest: ChatModelRequest; texts?: readonly string[] },
  ) {
    const facts = frame.options.recorder.facts;
    const counted = parts.usage === undefined && parts.texts !== undefined;
    const usage = parts.usage ?? (parts.texts ? this.countedUsage(parts.modelRequest, parts.texts) : undefined);
    if (usage) facts.usage = usage;
    facts.promptTokens =
      usage?.prompt_tokens ?? countMessageTokens(parts.modelRequest.messages, this.chatModel.modelId);
    facts.costUsd = usage && this.pricing ? this.pricing.cost(this.providerName, usage) : null;
    return {
      model_version: this.version,
      provider: this.providerName,
      'usage.input_tokens': facts.promptTokens,
      ...(usage ? { 'usage.output_tokens': usage.completion_tokens } : {}),
      ...(counted ? { 'usage.counted': true } : {}),
      ...(facts.costUsd === null ? {} : { cost_usd: facts.costUsd }),
    };
  }

  /** The core of a whole answer: prompt, model, citations, usage and cost. */
  private async generate(request: PipelineRequest, frame: ChainFrame): Promise<ServedChatCompletion> {
    const { recorder, signal } = frame.options;
    const prepared = await this.prepare(request, frame);
    const modelRequest = this.modelRequest(request, prepared.messages);
    const span = recorder.start('generate');
    const startedAt = this.clock.monotonic();
    // The recorder lets a model that is a pipeline of its own (an agent team) trace its steps; other models ignore it.
    const callOptions: TracedCallOptions = { ...(signal ? { signal } : {}), recorder };
    // Inside the span, so that a model's own spans (an agent team's run) are its children.
    const generated = await span
      .within(() => this.chatModel.generate(modelRequest, callOptions))
      .catch((error: unknown) => {
        span.end(
          {
            model_version: this.version,
            provider: this.providerName,
            'error.code': LlmopsError.fromUnknown(error).code,
          },
          'error',
        );
        throw error;
      });
    recorder.timing.generate += this.clock.monotonic() - startedAt;
    const choice = generated.choices[0];
    const content = choice?.message.content ?? null;
    const finishReason: FinishReason = choice?.finish_reason ?? 'stop';
    const texts = generated.choices.map((generatedChoice) => generatedChoice.message.content ?? '');
    span.end({
      ...this.recordUsage(frame, { usage: generated.usage, modelRequest, texts }),
      finish_reason: finishReason,
    });
    const citations = extractCitations(content ?? '', prepared.passages);
    recorder.facts.citations = citations;
    recorder.facts.finishReason = finishReason;
    return {
      id: frame.response.id,
      object: 'chat.completion',
      created: frame.response.created,
      model: this.version,
      choices: (generated.choices.length > 0 ? generated.choices : [undefined]).map((generatedChoice, index) => ({
        index: generatedChoice?.index ?? index,
        message: {
          role: 'assistant' as const,
          content: generatedChoice?.message.content ?? null,
          refusal: generatedChoice?.message.refusal ?? null,
          ...(generatedChoice?.message.tool_calls ? { tool_calls: generatedChoice.message.tool_calls } : {}),
        },
        finish_reason: generatedChoice?.finish_reason ?? 'stop',
        logprobs: null,
      })),
      ...(recorder.facts.usage ? { usage: recorder.facts.usage } : {}),
      system_fingerprint: this.fingerprintOf(generated.system_fingerprint),
      llmops: {
        ...servedExtension(this.version, citations),
        ...agentExtension(recorder),
        ...passageExtension(recorder),
        ...retrievalExtension(recorder),
      },
    };
  }

  /**
   * The core of a stream: prepares the prompt, opens the upstream and waits for its first chunk, so
   * that a provider failing at once (bad key, unknown model) is still answered with an HTTP error
   * rather than a broken stream.
   */
  private async openStream(request: PipelineRequest, frame: ChainFrame): Promise<ChunkStream> {
    const { recorder } = frame.options;
    const prepared = await this.prepare(request, frame);
    const modelRequest = this.modelRequest(request, prepared.messages);
    const abort = new LinkedAbort(frame.options.signal);
    const signal = abort.signal;
    const span = recorder.start('generate');
    const startedAt = this.clock.monotonic();
    const callOptions: TracedCallOptions = { signal, recorder };
    const upstream = this.chatModel.stream(modelRequest, callOptions)[Symbol.asyncIterator]();
    let first: IteratorResult<ChatCompletionChunk>;
    try {
      // The first chunk is awaited inside the span: a model that runs steps of its own (an agent team) runs them here.
      first = await span.within(() => upstream.next());
    } catch (error) {
      abort.abort();
      abort.release();
      recorder.timing.generate += this.clock.monotonic() - startedAt;
      span.end(
        {
          ...this.recordUsage(frame, { usage: undefined, modelRequest }),
          'error.code': LlmopsError.fromUnknown(error).code,
        },
        'error',
      );
      throw error;
    }
    return this.streamChunks({
      frame,
      passages: prepared.passages,
      modelRequest,
      upstream,
      first,
      abort,
      span,
      startedAt,
      guardBefore: recorder.timing.guard,
    });
  }

  /**
   * The served chunks of an open upstream: a role chunk for every choice, each choice's text and
   * tool-call deltas under its index, one finishing chunk (every choice's finish reason, and the
   * `llmops` extension), then, when the client asked for it, the usage chunk (the provider's usage,
   * else counted). Usage and cost reach the trace however the stream ends.
   */
  private async *streamChunks(open: OpenStream): AsyncGenerator<ChatCompletionChunk> {
    const { frame, upstream } = open;
    const { recorder } = frame.options;
    const shape: ResponseShape = {
      ...frame.response,
      systemFingerprint: this.fingerprintOf(open.first.done ? undefined : open.first.value.system_fingerprint),
    };
    const choiceCount = Math.max(1, open.modelRequest.n ?? 1);
    const texts: string[] = Array.from({ length: choiceCount }, () => '');
    const finishReasons: Array<FinishReason | null> = texts.map(() => null);
    let usage: Usage | undefined;
    let completed = false;
    let failed = false;
    try {
      yield servedChunk(
        shape,
        texts.map((_, index) => ({
          index,
          delta: { role: 'assistant' as const, content: '' },
          finish_reason: null,
          logprobs: null,
        })),
      );
      // Each choice's text and tool-call deltas, one served chunk each; finish reasons wait for the finishing chunk.
      for (let next = open.first; !next.done; next = await upstream.next()) {
        const chunk = next.value;
        if (chunk.usage) usage = chunk.usage;
        for (const choice of chunk.choices) {
          const index = choice.index;
          if (!(index >= 0 && index < choiceCount)) continue;
          const delta = choice.delta;
          if (typeof delta.content === 'string' && delta.content !== '') {
            texts[index] += delta.content;
            yield servedChunk(shape, [
              { index, delta: { content: delta.content }, finish_reason: null, logprobs: null },
            ]);
          }
          if (delta.tool_calls && delta.tool_calls.length > 0)
            yield servedChunk(shape, [
              { index, delta: { tool_calls: delta.tool_calls }, finish_reason: null, logprobs: null },
            ]);
          if (choice.finish_reason) finishReasons[index] = choice.finish_reason;
        }
      }
      const citations = extractCitations(texts[0] ?? '', open.passages);
      recorder.facts.citations = citations;
      recorder.facts.finishReason = finishReasons[0] ?? 'stop';
      yield servedChunk(
        shape,
        finishReasons.map((finishReason, index) => ({
          index,
          delta: {},
          finish_reason: finishReason ?? 'stop',
          logprobs: null,
        })),
        {
          llmops: {
            ...servedExtension(this.version, citations),
            ...agentExtension(recorder),
            ...passageExtension(recorder),
            ...retrievalExtension(recorder),
          },
        } as Partial<ChatCompletionChunk>,
      );
      if (frame.options.includeUsage)
        yield servedChunk(shape, [], { usage: usage ?? this.countedUsage(open.modelRequest, texts) });
      completed = true;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      if (!completed) open.abort.abort();
      open.abort.release();
      const guarded = recorder.timing.guard - open.guardBefore;
      recorder.timing.generate += Math.max(0, this.clock.monotonic() - open.startedAt - guarded);
      if (finishReasons[0] && !completed) recorder.facts.finishReason = finishReasons[0];
      open.span.end(
        {
          ...this.recordUsage(frame, { usage, modelRequest: open.modelRequest, texts }),
          finish_reason: finishReasons[0] ?? '',
        },
        failed ? 'error' : 'ok',
      );
    }
  }

  async complete(request: PipelineRequest, options: PipelineCallOptions = {}): Promise<PipelineCompletion> {
    const frame = this.frame(options);
    const recorder = frame.options.recorder;
    try {
      this.validate(request);
      const completion = await this.completeChain(request, frame);
      const trace = recorder.finish({ completed: true });
      deliver(options, trace);
      return { completion, trace };
    } catch (error) {
      deliver(options, recorder.finish({ completed: false, error }));
      throw error;
    }
  }

  async stream(request: PipelineRequest, options: PipelineCallOptions = {}): Promise<PipelineStream> {
    const frame = this.frame(options);
    const recorder = frame.options.recorder;
    let chunks: ChunkStream;
    try {
      this.validate(request);
      chunks = await this.streamChain(request, frame);
    } catch (error) {
      deliver(options, recorder.finish({ completed: false, error }));
      throw error;
    }
    let resolveTrace: (trace: PipelineTrace) => void = () => undefined;
    const trace = new Promise<PipelineTrace>((resolve) => (resolveTrace = resolve));
    const traced = watchedStream(chunks, {
      onEnd: ({ completed, error }) => {
        const finished = recorder.finish({ completed, ...(error === undefined ? {} : { error }) });
        resolveTrace(finished);
        deliver(options, finished);
      },
    });
    const cache = recorder.facts.cache?.status;
    const fallback = recorder.facts.fallback;
    const answeredBy = fallback?.answeredBy;
    return {
      id: frame.response.id,
      model: answeredBy ? `${answeredBy.name}/${answeredBy.version}` : this.version,
      ...(fallback && answeredBy
        ? { fallback: { from: fallback.from, to: `${answeredBy.name}/${answeredBy.version}`, reason: fallback.reason } }
        : {}),
      chunks: traced,
      trace,
      ...(cache ? { cache } : {}),
    };
  }
}

/** The `agent` part of the `llmops` extension, when an agent team answered. */
function agentExtension(recorder: TraceRecorder): { agent?: AgentRunReport } {
  return recorder.facts.agent ? { agent: recorder.facts.agent } : {};
}

/**
 * The `llmops.guardrails` extension: retrieved passages dropped or quarantined by the guardrails, and input
 * in a language the local classifiers do not cover, when there is any of these.
 */
function passageExtension(recorder: TraceRecorder): { guardrails?: ServedPassageGuardrails } {
  const screened = recorder.facts.retrieval?.screened ?? [];
  const dropped = screened.filter((screening) => screening.action === 'drop');
  const quarantined = screened.filter((screening) => screening.action === 'quarantine');
  const language = recorder.facts.verdicts
    .filter((verdict) => verdict.check === 'language' && verdict.outcome === 'flagged')
    .flatMap((verdict) => verdict.findings)[0];
  if (dropped.length === 0 && quarantined.length === 0 && !language) return {};
  return {
    guardrails: {
      ...(dropped.length > 0 ? { passages_dropped: dropped } : {}),
      ...(quarantined.length > 0 ? { passages_quarantined: quarantined } : {}),
      ...(language
        ? { uncovered_language: { language: language.rule.replace(/^language\./, ''), action: 'flag' as const } }
        : {}),
    },
  };
}

/**
 * What retrieval's model reranker did, as the `llmops.retrieval.reranker` extension field says it: the trace's
 * `retrieval.reranker` report itself (api, model, host, `ok` or `failed (<cause>)`; never a key), absent without one.
 */
function retrievalExtension(recorder: TraceRecorder): { retrieval?: ServedRetrieval } {
  const reranker = recorder.facts.retrieval?.reranker;
  return reranker ? { retrieval: { reranker } } : {};
}

/** Retrieval facts as span attributes: k, passages retrieved and used, the top score, the index key. */
function retrievalAttributes(retrieval: RetrievalTrace | undefined): TraceAttributes {
  if (!retrieval) return {};
  const top = retrieval.passages.reduce((best, passage) => Math.max(best, passage.score), 0);
  return {
    corpus: retrieval.corpus,
    k: retrieval.k,
    'index.key': retrieval.indexKey,
    'index.built': retrieval.indexBuilt,
    'passages.retrieved': retrieval.passages.length,
    'passages.used': retrieval.passages.filter((passage) => passage.used).length,
    'score.top': top,
    'context.tokens': retrieval.contextTokens,
    'budget.tokens': retrieval.budgetTokens,
    ...(retrieval.screened
      ? {
          'passages.dropped': retrieval.screened.filter((screening) => screening.action === 'drop').length,
          'passages.quarantined': retrieval.screened.filter((screening) => screening.action === 'quarantine').length,
          'passages.flagged': retrieval.screened.filter((screening) => screening.action === 'flag').length,
        }
      : {}),
    ...modelRerankAttributes(retrieval.reranker),
  };
}
