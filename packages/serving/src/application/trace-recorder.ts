import { AsyncLocalStorage } from 'node:async_hooks';
import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock, Usage } from '@llmops/kernel';
import type { GuardrailVerdict } from '../domain/guardrails/guardrail-verdict.js';
import type { Citation } from '../domain/retrieval/passage.js';
import type { AgentRunReport } from './agents/agent-team.js';
import type { CacheStatus } from './cache-step.js';
import type { GuardrailBlock } from './guardrail-engine.js';
import type { PipelineTrace, RetrievalTrace, TraceSpan, TraceSpanName } from './pipeline.js';
import { spanIdOf } from './span-id.js';
import { newTraceId } from './trace-id.js';
import { isTraceIdSampled } from './trace-sampling.js';

/** Flat attributes of a span or a trace: never message text, never secrets. */
export type TraceAttributes = Record<string, string | number | boolean>;

/** A span being timed; {@link SpanHandle.end} records it. */
export interface SpanHandle {
  /** Ends the span now, adding the attributes given (later calls are ignored). */
  end(attributes?: TraceAttributes, status?: TraceSpan['status']): void;
  /** Runs work inside this span: spans the work starts (in its async calls too) are this span's children. */
  within<T>(work: () => T): T;
}

/** Runs work inside a span when there is one (its spans become the span's children), else as it is. */
export function withinSpan<T>(span: SpanHandle | undefined, work: () => T): T {
  return span ? span.within(work) : work();
}

/** Who answered: the parts of a trace known once the model version is resolved. */
export interface TraceSubject {
  /** `name/version`, or the reference as requested when it did not resolve. */
  model: string;
  pipeline: PipelineTrace['pipeline'];
  /** `provider/model`; empty when unknown. */
  provider: string;
  /** The guardrail policy; `none` until a guardrail step names one. */
  guardrailPolicy?: string;
}

/** Settings of {@link TraceRecorder}. */
export interface TraceRecorderOptions {
  clock?: Clock;
  requestId?: string;
  /** The model reference the request named (`support-bot@champion`). */
  reference?: string;
  /**
   * The share of requests whose trace is stored (`LLMOPS_TRACE_SAMPLE_RATE`), from 0 to 1; 1 by default. The recorder
   * decides from its trace id when it starts ({@link TraceRecorder.sampled}).
   */
  sampleRate?: number;
}

/** Where the time of a request went, in ms, summed over steps. */
export interface TraceTiming {
  retrieve: number;
  guard: number;
  generate: number;
}

/** The outcome facts the core and the steps fill in while a request runs. */
export interface TraceFacts {
  retrieval?: RetrievalTrace;
  promptTokens: number;
  verdicts: GuardrailVerdict[];
  blocked?: GuardrailBlock;
  usage?: Usage;
  costUsd: number | null;
  citations: Citation[];
  finishReason: string | null;
  /** What an agent pipeline's run did (its `llmops.agent` extension). */
  agent?: AgentRunReport;
  /** What the response cache did: its status and, on a hit, what the answer cost when it was generated. */
  cache?: {
    status: CacheStatus;
    savedCostUsd?: number;
    /** On a hit: what retrieval ranked when the answer was generated (sources and scores; no retrieval ran now). */
    retrieved?: { source: string; score: number }[];
  };
  /** Set by the `fallbacks` step once the version asked for failed with a retryable error. */
  fallback?: FallbackFacts;
}

/** What the `fallbacks` step learned about one request. */
export interface FallbackFacts {
  /** `name/version` of the version the request resolved to, the first that failed. */
  from: string;
  /** The error code that made it fall back (`upstream_error`, `rate_limited`, `timeout`, `unavailable`). */
  reason: string;
  /** Every version tried, `name/version`, in order, the first included; none is tried twice. */
  tried: string[];
  /** The version that answered, when one did. */
  answeredBy?: { name: string; version: number };
}

/**
 * The per-request recorder of a served request: the steps and the core open spans on it and fill
 * in what they learn (verdicts, usage, retrieval…); {@link TraceRecorder.finish} turns it into the
 * {@link PipelineTrace} handed to a trace sink. Wall-clock times come from the clock's `now()`,
 * durations from its `monotonic()`.
 */
export class TraceRecorder {
  /** The trace's id: 32 lowercase hex characters, time-ordered ({@link newTraceId}: a UUIDv7 from the start time). */
  readonly traceId: string;
  readonly clock: Clock;
  /** Summed durations behind the trace's latency breakdown; steps add to them. */
  readonly timing: TraceTiming = { retrieve: 0, guard: 0, generate: 0 };
  /** What the request produced so far; steps and the core write here. */
  readonly facts: TraceFacts = { promptTokens: 0, verdicts: [], costUsd: null, citations: [], finishReason: null };
  /** Request-level attributes a deployment's step may add (a tenant, an experiment arm). */
  readonly attributes: TraceAttributes = {};
  /**
   * Whether this request's trace is stored whatever its outcome (its id is sampled at the recorder's rate). An
   * unsampled request's spans are kept without ids until it ends: a failed or blocked one is stored with them anyway,
   * a successful one ends with no spans.
   */
  readonly sampled: boolean;
  private readonly options: TraceRecorderOptions;
  private readonly spans: IdentifiedSpan[] = [];
  /** The position of each span's parent (0: the root), by the span's own position less one. */
  private readonly parents: number[] = [];
  /** When the request started, in ms since the epoch. */
  readonly startTimeMs: number;
  private readonly startedAt: number;
  private subject_: TraceSubject | undefined;
  private guardrailPolicy = 'none';
  private finished: PipelineTrace | undefined;
  /** The span the running code is inside (its position), per async context; the root when none. */
  private readonly current = new AsyncLocalStorage<number>();
  /** What every span this recorder starts ends and runs work with. */
  private readonly spanContext: SpanContext;

  constructor(options: TraceRecorderOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.startTimeMs = this.clock.now();
    this.startedAt = this.clock.monotonic();
    this.traceId = newTraceId(this.startTimeMs);
    this.sampled = isTraceIdSampled(this.traceId, options.sampleRate ?? 1);
    this.spanContext = { clock: this.clock, current: this.current };
  }

  /** The model reference the request named (`support-bot@champion`), when known. */
  get reference(): string | undefined {
    return this.options.reference;
  }

  /** Milliseconds since the request started (monotonic), the `resolve` span included. */
  elapsedMs(): number {
    return this.clock.monotonic() - this.startedAt;
  }

  /** Which model version answers, as last described; `undefined` before the request reached a pipeline. */
  get subject(): TraceSubject | undefined {
    return this.subject_;
  }

  /** Says which model version answers (once resolved); the pipeline calls it when the request reaches it, a fallback when it takes over. */
  describe(subject: TraceSubject): void {
    this.subject_ = subject;
    if (subject.guardrailPolicy !== undefined) this.guardrailPolicy = subject.guardrailPolicy;
  }

  /** The guardrail policy applied; `none` until a guardrail step names one. */
  get guardrailPolicyName(): string {
    return this.guardrailPolicy;
  }

  /** Names the guardrail policy applied (the guardrail step calls it). */
  useGuardrailPolicy(name: string): void {
    this.guardrailPolicy = name;
  }

  /** The id of the trace's root span (the request itself), the parent of every span started outside another. */
  get rootSpanId(): string {
    return spanIdOf(this.traceId, 0);
  }

  /**
   * Starts a span; it is listed in start order and recorded when ended. The first span starts with the trace. Its
   * parent is the span whose {@link SpanHandle.within} (or {@link TraceRecorder.span}) the caller runs in, else the root.
   * Span ids are derived when the trace is finished, and only for a trace that keeps its spans.
   */
  start(name: TraceSpanName): SpanHandle {
    const startTimeMs = this.spans.length === 0 ? this.startTimeMs : this.clock.now();
    const span: IdentifiedSpan = {
      name,
      spanId: '',
      parentSpanId: '',
      startTimeMs,
      endTimeMs: 0,
      status: 'ok',
      attributes: {},
    };
    this.spans.push(span);
    this.parents.push(this.current.getStore() ?? 0);
    return new OpenSpan(span, this.spans.length, this.spanContext);
  }

  /**
   * Runs an operation inside a span (spans it starts are the span's children); the span ends with the operation's
   * attributes, or with status `error` and the error's code when it throws.
   */
  async span<T>(name: TraceSpanName, run: () => Promise<T>, attributes: (result: T) => TraceAttributes): Promise<T> {
    const handle = this.start(name);
    try {
      const result = await handle.within(run);
      handle.end(attributes(result));
      return result;
    } catch (error) {
      handle.end({ 'error.code': LlmopsError.fromUnknown(error).code }, 'error');
      throw error;
    }
  }

  /**
   * The finished trace (the first call fixes it; later calls return the same trace).
   * @param outcome `completed`: the answer (or stream) ran to its end; `error`: what failed, if anything.
   */
  finish(outcome: { completed: boolean; error?: unknown }): PipelineTrace {
    if (this.finished) return this.finished;
    const endTimeMs = Math.max(this.startTimeMs, this.clock.now());
    const total = this.clock.monotonic() - this.startedAt;
    for (const span of this.spans) if (span.endTimeMs === 0) span.endTimeMs = endTimeMs;
    const failure = outcome.error === undefined ? undefined : LlmopsError.fromUnknown(outcome.error);
    const facts = this.facts;
    // An unsampled success is not stored (`isTraceKept`): its spans are dropped before any id is derived.
    const spans = this.sampled || failure || facts.blocked ? this.identifiedSpans() : [];
    const subject = this.subject_ ?? { model: this.options.reference ?? '', pipeline: 'chat', provider: '' };
    this.finished = {
      traceId: this.traceId,
      startTimeMs: this.startTimeMs,
      endTimeMs,
      status: failure ? 'error' : 'ok',
      ...(failure ? { error: { code: failure.code, message: failure.message } } : {}),
      spans,
      ...(this.options.requestId === undefined ? {} : { requestId: this.options.requestId }),
      ...(this.options.reference === undefined ? {} : { reference: this.options.reference }),
      model: subject.model,
      pipeline: subject.pipeline,
      provider: subject.provider,
      guardrailPolicy: this.guardrailPolicy,
      ...(facts.retrieval ? { retrieval: facts.retrieval } : {}),
      promptTokens: facts.promptTokens,
      guardrails: facts.verdicts,
      ...(facts.blocked ? { blocked: facts.blocked } : {}),
      ...(facts.usage ? { usage: facts.usage } : {}),
      costUsd: facts.costUsd,
      latencyMs: {
        retrieve: this.timing.retrieve,
        guard: this.timing.guard,
        generate: this.timing.generate,
        total,
        overhead: Math.max(0, total - this.timing.generate),
      },
      // A blocked answer cites nothing and finished because of the content filter.
      citations: facts.blocked ? [] : facts.citations,
      finishReason: facts.blocked ? 'content_filter' : facts.finishReason,
      completed: outcome.completed,
      ...(facts.fallback ? { fallback: fallbackTrace(facts.fallback) } : {}),
      ...(Object.keys(this.attributes).length > 0 ? { attributes: { ...this.attributes } } : {}),
      ...(facts.cache ? { cache: facts.cache.status } : {}),
    };
    return this.finished;
  }

  /** The spans with their ids and their parents' (`spanIdOf` of the trace id and each position), each derived once. */
  private identifiedSpans(): TraceSpan[] {
    const ids = [spanIdOf(this.traceId, 0)];
    this.spans.forEach((span, index) => {
      ids.push(spanIdOf(this.traceId, index + 1));
      span.spanId = ids[index + 1];
      span.parentSpanId = ids[this.parents[index]];
    });
    return this.spans;
  }
}

/** A span the recorder started: its ids are set when the trace is finished with its spans. */
type IdentifiedSpan = TraceSpan & { spanId: string; parentSpanId: string };

/** The recorder's clock and its current span's position per async context, shared by its spans. */
interface SpanContext {
  clock: Clock;
  current: AsyncLocalStorage<number>;
}

/** A span being timed: one object per span (no closures), ended once. */
class OpenSpan implements SpanHandle {
  private open = true;

  constructor(
    private readonly span: IdentifiedSpan,
    private readonly position: number,
    private readonly context: SpanContext,
  ) {}

  end(attributes: TraceAttributes = {}, status: TraceSpan['status'] = 'ok'): void {
    if (!this.open) return;
    this.open = false;
    const span = this.span;
    span.endTimeMs = Math.max(span.startTimeMs, this.context.clock.now());
    span.status = status;
    span.attributes = attributes;
  }

  within<T>(work: () => T): T {
    return this.context.current.run(this.position, work);
  }
}

/** The trace's record of a fallback: who failed, why, who was tried and who answered. */
function fallbackTrace(facts: FallbackFacts): NonNullable<PipelineTrace['fallback']> {
  const answered = facts.answeredBy;
  return {
    from: facts.from,
    reason: facts.reason,
    tried: [...facts.tried],
    ...(answered ? { to: `${answered.name}/${answered.version}` } : {}),
  };
}
