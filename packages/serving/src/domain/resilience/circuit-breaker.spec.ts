import { LlmopsError, ManualClock } from '@llmops/kernel';
import { CircuitBreaker } from './circuit-breaker.js';

function thrown(run: () => void): LlmopsError {
  try {
    run();
  } catch (error) {
    return LlmopsError.fromUnknown(error);
  }
  throw new Error('expected it to throw');
}

describe('CircuitBreaker', () => {
  const settings = { failureThreshold: 3, coolDownMs: 10_000 };

  it('opens after the threshold of consecutive failures and then fails fast with a retryable unavailable error', () => {
    const clock = new ManualClock(1_000);
    const breaker = new CircuitBreaker({ name: 'openai/gpt-4o-mini at http://up/v1', settings, clock });
    for (let failure = 0; failure < 2; failure += 1) {
      breaker.acquire();
      breaker.failed();
    }
    expect(breaker.state).toBe('closed');
    breaker.acquire();
    breaker.failed();
    expect(breaker.state).toBe('open');
    clock.advance(4_000);
    const error = thrown(() => breaker.acquire());
    expect([error.code, error.retryable, error.retryAfterMs]).toEqual(['unavailable', true, 6_000]);
    expect(error.message).toContain(
      'openai/gpt-4o-mini at http://up/v1: circuit breaker open after 3 consecutive failures',
    );
    expect(breaker.openings).toBe(1);
  });

  it('counts consecutive failures only: a success in between starts the count again', () => {
    const breaker = new CircuitBreaker({ name: 'up', settings, clock: new ManualClock() });
    for (const outcome of ['failed', 'failed', 'succeeded', 'failed', 'failed'] as const) {
      breaker.acquire();
      breaker[outcome]();
    }
    expect(breaker.state).toBe('closed');
  });

  it('lets one trial call through after the cool-down; its success closes the breaker', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ name: 'up', settings: { failureThreshold: 1, coolDownMs: 500 }, clock });
    breaker.acquire();
    breaker.failed();
    clock.advance(500);
    expect(breaker.state).toBe('half_open');
    breaker.acquire();
    expect(thrown(() => breaker.acquire()).message).toContain('a trial call is in flight');
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
    breaker.acquire();
  });

  it('re-opens for a whole cool-down when the trial call fails', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ name: 'up', settings: { failureThreshold: 2, coolDownMs: 500 }, clock });
    for (let failure = 0; failure < 2; failure += 1) {
      breaker.acquire();
      breaker.failed();
    }
    clock.advance(600);
    breaker.acquire();
    breaker.failed();
    expect(breaker.state).toBe('open');
    expect(breaker.openings).toBe(2);
    clock.advance(499);
    expect(thrown(() => breaker.acquire()).retryAfterMs).toBe(1);
    clock.advance(1);
    expect(breaker.state).toBe('half_open');
  });

  it('gives the trial back when the call said nothing about the upstream (a bad request, the caller gone)', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ name: 'up', settings: { failureThreshold: 1, coolDownMs: 100 }, clock });
    breaker.acquire();
    breaker.failed();
    clock.advance(100);
    breaker.acquire();
    breaker.released();
    expect(breaker.state).toBe('half_open');
    breaker.acquire();
  });

  it('refuses settings that cannot work, naming them', () => {
    const clock = new ManualClock();
    expect(() => new CircuitBreaker({ name: 'up', clock, settings: { failureThreshold: 0, coolDownMs: 1 } })).toThrow(
      'failureThreshold is 0; expected an integer of at least 1',
    );
    expect(() => new CircuitBreaker({ name: 'up', clock, settings: { failureThreshold: 1, coolDownMs: -1 } })).toThrow(
      'coolDownMs is -1',
    );
  });
});
