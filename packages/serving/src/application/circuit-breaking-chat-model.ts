import { LlmopsError } from '@llmops/kernel';
import type {
  CallOptions,
  ChatCompletion,
  ChatCompletionChunk,
  ChatModel,
  ChatModelRequest,
  Clock,
} from '@llmops/kernel';
import { CircuitBreaker } from '../domain/resilience/circuit-breaker.js';
import type { CircuitBreakerSettings, CircuitState } from '../domain/resilience/circuit-breaker.js';

/** A breaker's state as `/metrics` shows it. */
export interface CircuitBreakerSnapshot {
  /** The upstream: `provider/model`, and ` at <baseUrl>` when the spec names one. */
  upstream: string;
  state: CircuitState;
  /** Times it opened since the process started. */
  openings: number;
}

/**
 * One circuit breaker per upstream (provider, model and base URL), shared by every model version that
 * calls it, so versions of one failing endpoint open and close together.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly settings: CircuitBreakerSettings | undefined;
  private readonly clock: Clock;

  constructor(options: { settings?: CircuitBreakerSettings; clock: Clock }) {
    this.settings = options.settings;
    this.clock = options.clock;
  }

  /** The breaker of an upstream, made on first use. */
  for(upstream: string): CircuitBreaker {
    let breaker = this.breakers.get(upstream);
    if (!breaker) {
      breaker = new CircuitBreaker({
        name: upstream,
        clock: this.clock,
        ...(this.settings ? { settings: this.settings } : {}),
      });
      this.breakers.set(upstream, breaker);
    }
    return breaker;
  }

  /** Every breaker's state, by upstream. */
  snapshot(): CircuitBreakerSnapshot[] {
    return [...this.breakers.values()].map((breaker) => ({
      upstream: breaker.name,
      state: breaker.state,
      openings: breaker.openings,
    }));
  }
}

/** Whether a failure says the upstream is unavailable (counts against the breaker): retryable, and not the caller's abort. */
function countsAgainst(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted !== true && LlmopsError.fromUnknown(error).retryable;
}

/**
 * A chat model behind a circuit breaker. One call (the provider's retries included) is one outcome: a
 * retryable failure (5xx, 429, timeout, connection) counts against the breaker, a success resets it, a bad
 * request or the caller's abort counts for nothing. A stream succeeds once its first chunk is in; a failure
 * after it counts as a failure. While the breaker is open, calls fail fast with a retryable `unavailable`
 * error, so the `fallbacks` step moves on at once.
 */
export class CircuitBreakingChatModel implements ChatModel {
  readonly provider: string;
  readonly modelId: string;
  readonly multipleChoices?: boolean;
  private readonly inner: ChatModel;
  private readonly breaker: CircuitBreaker;

  constructor(inner: ChatModel, breaker: CircuitBreaker) {
    this.inner = inner;
    this.breaker = breaker;
    this.provider = inner.provider;
    this.modelId = inner.modelId;
    if (inner.multipleChoices !== undefined) this.multipleChoices = inner.multipleChoices;
  }

  private settle(error: unknown, signal: AbortSignal | undefined): void {
    if (countsAgainst(error, signal)) this.breaker.failed();
    else this.breaker.released();
  }

  async generate(request: ChatModelRequest, options: CallOptions = {}): Promise<ChatCompletion> {
    this.breaker.acquire();
    try {
      const completion = await this.inner.generate(request, options);
      this.breaker.succeeded();
      return completion;
    } catch (error) {
      this.settle(error, options.signal);
      throw error;
    }
  }

  /**
   * The inner stream behind the breaker, as a plain iterator rather than an async generator: a stream has many
   * chunks, and each would otherwise cost one more generator turn.
   */
  stream(request: ChatModelRequest, options: CallOptions = {}): AsyncIterable<ChatCompletionChunk> {
    return { [Symbol.asyncIterator]: () => this.chunks(request, options) };
  }

  private chunks(request: ChatModelRequest, options: CallOptions): AsyncIterator<ChatCompletionChunk> {
    let inner: AsyncIterator<ChatCompletionChunk> | undefined;
    let started = false;
    let settled = false;
    let ended = false;
    const finish = async (): Promise<IteratorResult<ChatCompletionChunk>> => {
      // Stopped by the consumer before the first chunk: nothing learned about the upstream.
      if (inner && !settled) this.breaker.released();
      settled = true;
      if (ended || !inner) {
        ended = true;
        return { done: true, value: undefined };
      }
      ended = true;
      await inner.return?.();
      return { done: true, value: undefined };
    };
    return {
      next: async () => {
        if (ended) return { done: true, value: undefined };
        if (!inner) {
          this.breaker.acquire();
          inner = this.inner.stream(request, options)[Symbol.asyncIterator]();
        }
        let result: IteratorResult<ChatCompletionChunk>;
        try {
          result = await inner.next();
        } catch (error) {
          ended = true;
          settled = true;
          this.settle(error, options.signal);
          throw error;
        }
        if (!started) {
          // The first chunk in (or a stream that ended without any): the upstream answered.
          started = true;
          settled = true;
          this.breaker.succeeded();
        }
        if (result.done) ended = true;
        return result;
      },
      return: finish,
    };
  }
}
