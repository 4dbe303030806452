import { LlmopsError } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';

/** When a circuit breaker opens and how long it stays open. */
export interface CircuitBreakerSettings {
  /** Consecutive failed calls that open the breaker (at least 1). */
  failureThreshold: number;
  /** How long it stays open before one trial call is let through (half-open), in ms. */
  coolDownMs: number;
}

/** The default: open after 5 consecutive failed calls, try again after 30 s. */
export const defaultCircuitBreakerSettings: CircuitBreakerSettings = { failureThreshold: 5, coolDownMs: 30_000 };

/** `closed`: calls pass; `open`: calls fail fast; `half_open`: the cool-down passed, one trial call may pass. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** The upstream it guards, for messages and metrics (`openai/gpt-4o-mini at http://127.0.0.1:8000/v1`). */
  name: string;
  settings?: CircuitBreakerSettings;
  clock: Clock;
}

/**
 * A circuit breaker for one upstream, by consecutive failures: after `failureThreshold` failed calls in a
 * row it opens and calls fail fast with a retryable `unavailable` error (so a fallback is tried at once);
 * after `coolDownMs` it lets one trial call through (half-open): its success closes the breaker, its
 * failure opens it for another cool-down. A success in the closed state resets the count. What counts as
 * a failure is the caller's choice (the upstream's unavailability, not a bad request).
 */
export class CircuitBreaker {
  readonly name: string;
  private readonly settings: CircuitBreakerSettings;
  private readonly clock: Clock;
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private opens = 0;

  /** @throws LlmopsError `invalid_input` for a threshold below 1 or a negative cool-down. */
  constructor(options: CircuitBreakerOptions) {
    const settings = options.settings ?? defaultCircuitBreakerSettings;
    if (!Number.isInteger(settings.failureThreshold) || settings.failureThreshold < 1)
      throw new LlmopsError(
        'invalid_input',
        `circuit breaker: failureThreshold is ${settings.failureThreshold}; expected an integer of at least 1`,
      );
    if (!(settings.coolDownMs >= 0))
      throw new LlmopsError(
        'invalid_input',
        `circuit breaker: coolDownMs is ${settings.coolDownMs}; expected a number of milliseconds, 0 or more`,
      );
    this.name = options.name;
    this.settings = settings;
    this.clock = options.clock;
  }

  /** The state now (an open breaker whose cool-down passed is half-open). */
  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.clock.monotonic() - this.openedAt >= this.settings.coolDownMs ? 'half_open' : 'open';
  }

  /** How many times it opened since it was made (re-opening after a failed trial included). */
  get openings(): number {
    return this.opens;
  }

  /**
   * Asks to make a call: returns when it may go, takes the trial when half-open.
   * @throws LlmopsError `unavailable` (retryable, with `retryAfterMs`) while open, or while a trial call is out.
   */
  acquire(): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half_open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return;
    }
    const remaining =
      state === 'open' ? Math.max(0, this.settings.coolDownMs - (this.clock.monotonic() - (this.openedAt ?? 0))) : 0;
    throw new LlmopsError(
      'unavailable',
      `${this.name}: circuit breaker open after ${this.settings.failureThreshold} consecutive failures; ` +
        (state === 'open'
          ? `calls fail fast for another ${Math.ceil(remaining)} ms`
          : 'a trial call is in flight, others fail fast until it succeeds'),
      { retryable: true, retryAfterMs: Math.ceil(remaining) },
    );
  }

  /** The call succeeded: the breaker closes and the count restarts. */
  succeeded(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  /** The call failed in a way that counts: a failed trial re-opens the breaker; the threshold-th failure in a row opens it. */
  failed(): void {
    this.failures += 1;
    if (this.trialInFlight || (this.openedAt === undefined && this.failures >= this.settings.failureThreshold)) {
      this.openedAt = this.clock.monotonic();
      this.opens += 1;
    }
    this.trialInFlight = false;
  }

  /** The call ended in a way that says nothing about the upstream (a bad request, the caller gone): a trial may be taken again. */
  released(): void {
    this.trialInFlight = false;
  }
}
