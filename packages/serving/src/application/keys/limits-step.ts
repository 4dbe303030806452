import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type { LimitCounters, LimitDecision, ServingCaller } from '../../ports.js';
import type { ServedChatCompletion } from '../pipeline.js';
import type { ServedEmbeddingResponse } from '../served-embedding-request.js';
import type { ChunkStream, ServingStep, ServingStepFactory, StepCall } from '../serving-step.js';

/** Settings of {@link LimitsStep}. */
export interface LimitsStepOptions {
  counters: LimitCounters;
  clock?: Clock;
  /** Reports a counter failure (Redis unreachable): the call then goes on unlimited rather than failing. */
  onError?: (error: unknown) => void;
}

type Refusal = Extract<LimitDecision, { admitted: false }>;

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The error a refusal answers with: `rate_limited` for rpm and tpm, `budget_exceeded` for budgets, both with a wait. */
function refusalError(caller: ServingCaller, refusal: Refusal): LlmopsError {
  const { limits, keyId } = caller;
  const wait = `retry after ${seconds(refusal.retryAfterMs)} s`;
  const options = { retryAfterMs: refusal.retryAfterMs, details: { keyId, limit: refusal.reason } };
  switch (refusal.reason) {
    case 'rpm':
      return new LlmopsError(
        'rate_limited',
        `API key ${keyId} is over its ${limits.rpm} requests per minute; ${wait}`,
        options,
      );
    case 'tpm':
      return new LlmopsError(
        'rate_limited',
        `API key ${keyId} is over its ${limits.tpm} tokens per minute; ${wait}`,
        options,
      );
    case 'budget_day':
      return new LlmopsError(
        'budget_exceeded',
        `API key ${keyId} has spent its daily budget of ${limits.budgetUsdDay} USD; it resets at 00:00 UTC (${wait})`,
        options,
      );
    case 'budget_month':
      return new LlmopsError(
        'budget_exceeded',
        `API key ${keyId} has spent its monthly budget of ${limits.budgetUsdMonth} USD; it resets on the 1st at 00:00 UTC (${wait})`,
        options,
      );
  }
}

/**
 * The `limits` serving step: before any work, refuses a keyed call over its requests or tokens per minute
 * (`rate_limited`) or over its USD budget of the day or month (`budget_exceeded`), each with the wait; after the
 * answer (a stream: when it ends, however it ends), charges its usage and cost. Tokens are counted from the answer's
 * usage, as LiteLLM and Portkey do: a call is admitted while the key's token bucket is not empty, and its tokens are
 * charged afterwards (the bucket may go into debt). Calls without a key (anonymous loopback inference) pass untouched.
 */
export class LimitsStep implements ServingStep {
  readonly name = 'limits';
  private readonly options: LimitsStepOptions;
  private readonly clock: Clock;

  constructor(options: LimitsStepOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  private async admit(caller: ServingCaller): Promise<void> {
    let decision: LimitDecision;
    try {
      decision = await this.options.counters.admit(caller, this.clock.now());
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    if (!decision.admitted) throw refusalError(caller, decision);
  }

  private async charge(caller: ServingCaller, call: StepCall<unknown>): Promise<void> {
    const { usage, costUsd } = call.options.recorder.facts;
    const tokens = usage?.total_tokens ?? 0;
    const cost = costUsd ?? 0;
    if (tokens === 0 && cost === 0) return;
    try {
      await this.options.counters.record(caller, { nowMs: this.clock.now(), tokens, costUsd: cost });
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /**
   * Admits the call, then charges its answer's tokens and cost (a whole answer or an embeddings call). A call without
   * a key is handed on as it is, without an async layer of this step's own (issue 13: most calls on loopback).
   */
  private around<Result>(call: StepCall<Result>): Promise<Result> {
    const caller = call.options.caller;
    return caller ? this.limited(caller, call) : call.next();
  }

  private async limited<Result>(caller: ServingCaller, call: StepCall<Result>): Promise<Result> {
    await this.admit(caller);
    try {
      return await call.next();
    } finally {
      await this.charge(caller, call);
    }
  }

  wrapComplete(call: StepCall<ServedChatCompletion>): Promise<ServedChatCompletion> {
    return this.around(call);
  }

  /** Embeddings count like chat: one request against `rpm`, their input tokens against `tpm`, their cost against budgets. */
  wrapEmbed(call: StepCall<ServedEmbeddingResponse>): Promise<ServedEmbeddingResponse> {
    return this.around(call);
  }

  wrapStream(call: StepCall<ChunkStream>): Promise<ChunkStream> {
    const caller = call.options.caller;
    return caller ? this.limitedStream(caller, call) : call.next();
  }

  private async limitedStream(caller: ServingCaller, call: StepCall<ChunkStream>): Promise<ChunkStream> {
    await this.admit(caller);
    let inner: ChunkStream;
    try {
      inner = await call.next();
    } catch (error) {
      await this.charge(caller, call);
      throw error;
    }
    return this.charged(caller, call, inner);
  }

  private async *charged(caller: ServingCaller, call: StepCall<ChunkStream>, inner: ChunkStream): ChunkStream {
    try {
      yield* inner;
    } finally {
      await this.charge(caller, call);
    }
  }
}

/** The factory of the `limits` step: one step for every model version, all sharing one set of counters. */
export function limitsStepFactory(options: LimitsStepOptions): ServingStepFactory {
  const step = new LimitsStep(options);
  return { name: 'limits', create: () => step };
}
