import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type { EventStore } from '../ports.js';

/** Settings of {@link startEventRetention}. */
export interface EventRetentionOptions {
  store: Pick<EventStore, 'deleteBefore'>;
  /** Events older than this many days are deleted. */
  retentionDays: number;
  /** How often the sweep runs after the first one, in ms; one hour by default. */
  intervalMs?: number;
  clock?: Clock;
  /** Told about a failed sweep (the next one tries again). */
  onError?: (error: unknown) => void;
}

/** A running retention sweep. */
export interface EventRetention {
  /** The first sweep (run at start), for callers that want to wait for it. */
  readonly firstSweep: Promise<number>;
  stop(): void;
}

/**
 * Deletes events older than the retention now and then every `intervalMs` (the timer is
 * `unref`'d, so it never keeps a process alive).
 * @throws LlmopsError `invalid_input` for a retention that is not a positive number of days.
 */
export function startEventRetention(options: EventRetentionOptions): EventRetention {
  if (!Number.isFinite(options.retentionDays) || options.retentionDays <= 0) {
    throw new LlmopsError(
      'invalid_input',
      `monitoring retention "${options.retentionDays}" is not a positive number of days`,
    );
  }
  const clock = options.clock ?? systemClock;
  const sweep = async (): Promise<number> => {
    try {
      return await options.store.deleteBefore(clock.now() - options.retentionDays * 86_400_000);
    } catch (error) {
      options.onError?.(error);
      return 0;
    }
  };
  const firstSweep = sweep();
  const timer = setInterval(() => void sweep(), options.intervalMs ?? 3_600_000);
  timer.unref();
  return { firstSweep, stop: () => clearInterval(timer) };
}
