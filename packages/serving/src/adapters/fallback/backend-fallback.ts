import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';

/** Options of {@link BackendFallback}. */
export interface BackendFallbackOptions {
  /** What the shared backend is, for messages (`response cache`, `limit counters`). */
  name: string;
  clock?: Clock;
  /** How long the shared backend is left alone after a failure before it is tried again, in ms; 5 000 by default. */
  retryAfterMs?: number;
  /**
   * Called once when the shared backend fails and the local fallback takes over (with the error), and once with
   * `undefined` when the backend answers again: an outage is logged once, not once per request.
   */
  onChange?: (name: string, error: LlmopsError | undefined) => void;
}

/**
 * Runs each call on a shared backend (Redis) and, when it fails, on a local fallback (in process) instead: the caller
 * never sees the outage. After a failure the backend is left alone for `retryAfterMs`, then tried again. Counts the
 * calls the fallback answered (for `/metrics`).
 */
export class BackendFallback {
  private downUntil = Number.NEGATIVE_INFINITY;
  private down = false;
  private fallbacks = 0;
  private readonly clock: Clock;
  private readonly retryAfterMs: number;

  constructor(private readonly options: BackendFallbackOptions) {
    this.clock = options.clock ?? systemClock;
    this.retryAfterMs = options.retryAfterMs ?? 5_000;
  }

  /** Calls answered by the local fallback since start. */
  get fallbackCalls(): number {
    return this.fallbacks;
  }

  /** Whether the shared backend is considered down now. */
  get isDown(): boolean {
    return this.down;
  }

  /** Runs `shared`, or `local` while the shared backend is down or when it fails. */
  async run<Value>(shared: () => Promise<Value>, local: () => Promise<Value>): Promise<Value> {
    if (this.down && this.clock.monotonic() < this.downUntil) {
      this.fallbacks += 1;
      return local();
    }
    let value: Value;
    try {
      value = await shared();
    } catch (error) {
      const failure = LlmopsError.fromUnknown(error);
      this.downUntil = this.clock.monotonic() + this.retryAfterMs;
      if (!this.down) {
        this.down = true;
        this.options.onChange?.(this.options.name, failure);
      }
      this.fallbacks += 1;
      return local();
    }
    if (this.down) {
      this.down = false;
      this.options.onChange?.(this.options.name, undefined);
    }
    return value;
  }
}
