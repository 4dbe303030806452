import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type { EventStore, OnlineEvaluation, OnlineEvaluator, OnlineSample } from '../../ports.js';
import { isRequestSampled } from './request-sampling.js';

/** Why a sample was not scored. */
export type OnlineDropReason = 'budget' | 'queue_full' | 'closed';

/** Told what became of each sample (the Prometheus metrics listen). Must not throw. */
export interface OnlineEvaluationObserver {
  scored(sample: OnlineSample, evaluation: OnlineEvaluation): void;
  dropped(sample: OnlineSample, reason: OnlineDropReason): void;
  failed(sample: OnlineSample, error: unknown): void;
}

/** Settings of {@link OnlineEvaluationScheduler}. */
export interface OnlineEvaluationSchedulerOptions {
  evaluator: OnlineEvaluator;
  /** Where scores go (`monitoring_scores`). */
  store: Pick<EventStore, 'appendScores'>;
  /** The share of requests scored, in [0, 1]. */
  sampleRate: number;
  /** Samples scored at the same time. */
  maxConcurrent: number;
  /** Samples accepted in any rolling 60 s at most; the rest are dropped (`budget`). */
  maxPerMinute: number;
  /** Samples waiting for a slot at most; the rest are dropped (`queue_full`). */
  maxQueued: number;
  observer?: OnlineEvaluationObserver;
  /** Told about a sample whose scoring or storing failed. */
  onError?: (error: unknown) => void;
  clock?: Clock;
}

/** Counters of an {@link OnlineEvaluationScheduler}. */
export interface OnlineEvaluationStats {
  /** Samples accepted (scored, failed, being scored or waiting). */
  accepted: number;
  scored: number;
  failed: number;
  dropped: Record<OnlineDropReason, number>;
  /** Being scored now. */
  running: number;
  waiting: number;
}

const minuteMs = 60_000;

/**
 * Online evaluation off the requests' path: {@link submit} only decides and queues (never waits, never throws);
 * samples are scored by the evaluator port at most `maxConcurrent` at a time, at most `maxPerMinute` accepted per
 * rolling minute, at most `maxQueued` waiting; what does not fit is dropped and counted. Scores go to the store as
 * rows of their own, keyed by the event's request id and time, since the event is written before scoring ends.
 */
export class OnlineEvaluationScheduler {
  private readonly options: OnlineEvaluationSchedulerOptions;
  private readonly clock: Clock;
  private readonly waiting: OnlineSample[] = [];
  /** When the samples of the last minute were accepted, oldest first (at most `maxPerMinute`). */
  private readonly acceptedAt: number[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly counts: Omit<OnlineEvaluationStats, 'running' | 'waiting'> = {
    accepted: 0,
    scored: 0,
    failed: 0,
    dropped: { budget: 0, queue_full: 0, closed: 0 },
  };
  private closed = false;

  constructor(options: OnlineEvaluationSchedulerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  /** Whether a request is in the sample (a hash of its id against the sample rate): decided before it runs. */
  isSampled(requestId: string): boolean {
    return isRequestSampled(requestId, this.options.sampleRate);
  }

  /** Queues a sample for scoring, or drops it (counted) when the budget or the queue is full. Returns at once. */
  submit(sample: OnlineSample): boolean {
    const reason = this.refusal();
    if (reason) {
      this.counts.dropped[reason] += 1;
      this.tell((observer) => observer.dropped(sample, reason));
      return false;
    }
    this.acceptedAt.push(this.clock.now());
    this.counts.accepted += 1;
    this.waiting.push(sample);
    this.pump();
    return true;
  }

  stats(): OnlineEvaluationStats {
    return {
      ...this.counts,
      dropped: { ...this.counts.dropped },
      running: this.inFlight.size,
      waiting: this.waiting.length,
    };
  }

  /** Resolves when nothing is waiting or being scored. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Stops accepting, drops what waits (counted as `closed`), gives running scorings `graceMs` then aborts them. */
  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    for (const sample of this.waiting.splice(0)) {
      this.counts.dropped.closed += 1;
      this.tell((observer) => observer.dropped(sample, 'closed'));
    }
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([this.idle(), grace]);
    clearTimeout(timer);
    this.abort.abort(new LlmopsError('unavailable', 'online evaluation stopped: the server is closing'));
    await this.idle();
  }

  private refusal(): OnlineDropReason | undefined {
    if (this.closed) return 'closed';
    const now = this.clock.now();
    while (this.acceptedAt.length > 0 && (this.acceptedAt[0] as number) <= now - minuteMs) this.acceptedAt.shift();
    if (this.acceptedAt.length >= this.options.maxPerMinute) return 'budget';
    if (this.waiting.length >= this.options.maxQueued) return 'queue_full';
    return undefined;
  }

  private pump(): void {
    while (this.inFlight.size < this.options.maxConcurrent && this.waiting.length > 0) {
      const sample = this.waiting.shift() as OnlineSample;
      const running: Promise<void> = this.score(sample).finally(() => {
        this.inFlight.delete(running);
        this.pump();
      });
      this.inFlight.add(running);
    }
  }

  private async score(sample: OnlineSample): Promise<void> {
    // Scoring starts on a later turn of the event loop, never inside the request that submitted the sample.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const evaluation = await this.options.evaluator.evaluate(sample, { signal: this.abort.signal });
      const scoredAt = this.clock.now();
      await this.options.store.appendScores(
        Object.entries(evaluation.scores)
          .filter(([, score]) => Number.isFinite(score))
          .map(([metric, score]) => ({
            requestId: sample.requestId,
            eventAt: sample.eventAt,
            metric,
            score,
            judge: evaluation.judge,
            scoredAt,
            judgeKind: evaluation.judgeKind,
            ...(sample.traceId === undefined ? {} : { traceId: sample.traceId }),
          })),
      );
      this.counts.scored += 1;
      this.tell((observer) => observer.scored(sample, evaluation));
    } catch (error) {
      this.counts.failed += 1;
      this.tell((observer) => observer.failed(sample, error));
      try {
        this.options.onError?.(error);
      } catch {
        // Reporting must not break online evaluation.
      }
    }
  }

  private tell(notify: (observer: OnlineEvaluationObserver) => void): void {
    if (!this.options.observer) return;
    try {
      notify(this.options.observer);
    } catch {
      // Metrics are best effort.
    }
  }
}
