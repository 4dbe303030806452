import { ManualClock } from '@llmops/kernel';
import type { OnlineEvaluation, OnlineEvaluator, OnlineSample, OnlineScore } from '../../ports.js';
import { OnlineEvaluationScheduler } from './online-evaluation-scheduler.js';
import type { OnlineEvaluationSchedulerOptions } from './online-evaluation-scheduler.js';
import { isRequestSampled } from './request-sampling.js';

function sample(requestId: string): OnlineSample {
  return {
    requestId,
    eventAt: 1_000,
    modelName: 'support-rag',
    modelVersion: 2,
    question: 'How do I reset my password?',
    answer: 'Open Settings, then Security.',
    retrievalContext: ['To reset your password, open Settings > Security.'],
  };
}

/** An evaluator whose scorings end only when the test releases them, in any order. */
function heldEvaluator() {
  const pending = new Map<string, (evaluation: OnlineEvaluation) => void>();
  const started: string[] = [];
  const evaluator: OnlineEvaluator = {
    evaluate: (one) =>
      new Promise((resolve) => {
        started.push(one.requestId);
        pending.set(one.requestId, resolve);
      }),
  };
  const release = (requestId: string, score = 0.8) => {
    pending.get(requestId)?.({ scores: { contextual_relevancy: score }, judge: 'test-judge', judgeKind: 'code' });
    pending.delete(requestId);
  };
  return { evaluator, started, release };
}

/** Lets queued callbacks (setImmediate) and promise chains run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Waits (event-loop turns, at most 5 s) until `condition` holds: a busy machine may need more than one turn. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1_000 && !condition(); turn += 1) await settle();
}

function scheduler(
  overrides: Partial<OnlineEvaluationSchedulerOptions> & Pick<OnlineEvaluationSchedulerOptions, 'evaluator'>,
) {
  const stored: OnlineScore[] = [];
  const scheduler = new OnlineEvaluationScheduler({
    store: { appendScores: async (scores) => void stored.push(...scores) },
    sampleRate: 1,
    maxConcurrent: 2,
    maxPerMinute: 60,
    maxQueued: 100,
    ...overrides,
  });
  return { scheduler, stored };
}

describe('isRequestSampled', () => {
  it('takes none at 0, all at 1, the same answer for the same id, and about the rate on many ids', () => {
    const ids = Array.from({ length: 10_000 }, (_, index) => `request-${index}`);
    expect(ids.some((id) => isRequestSampled(id, 0))).toBe(false);
    expect(ids.every((id) => isRequestSampled(id, 1))).toBe(true);
    const taken = ids.filter((id) => isRequestSampled(id, 0.1));
    expect(taken.length).toBeGreaterThan(900);
    expect(taken.length).toBeLessThan(1_100);
    expect(ids.filter((id) => isRequestSampled(id, 0.1))).toEqual(taken);
    // A larger rate keeps every id a smaller one took (the sample grows, it does not reshuffle).
    expect(taken.every((id) => isRequestSampled(id, 0.2))).toBe(true);
  });
});

describe('OnlineEvaluationScheduler', () => {
  it('returns from submit before scoring starts, scores at most maxConcurrent at once, and stores the scores', async () => {
    const held = heldEvaluator();
    const { scheduler: online, stored } = scheduler({ evaluator: held.evaluator });
    for (const id of ['a', 'b', 'c']) expect(online.submit(sample(id))).toBe(true);
    // Nothing has started inside submit: scoring begins on a later turn of the event loop.
    expect(held.started).toEqual([]);
    await until(() => held.started.length === 2);
    expect(held.started).toEqual(['a', 'b']);
    expect(online.stats()).toMatchObject({ accepted: 3, running: 2, waiting: 1, scored: 0 });
    held.release('b', 0.5);
    await until(() => held.started.length === 3);
    expect(held.started).toEqual(['a', 'b', 'c']);
    held.release('a');
    held.release('c');
    await online.idle();
    expect(online.stats()).toMatchObject({ scored: 3, failed: 0, running: 0, waiting: 0 });
    expect(stored.map((score) => [score.requestId, score.metric, score.score, score.judge])).toEqual([
      ['b', 'contextual_relevancy', 0.5, 'test-judge'],
      ['a', 'contextual_relevancy', 0.8, 'test-judge'],
      ['c', 'contextual_relevancy', 0.8, 'test-judge'],
    ]);
  });

  it('drops past the per-minute budget, counted, and accepts again once the minute has rolled on', async () => {
    const clock = new ManualClock(1_000_000);
    const dropped: string[] = [];
    const { scheduler: online } = scheduler({
      evaluator: { evaluate: async () => ({ scores: { contextual_relevancy: 1 }, judge: 'j', judgeKind: 'code' }) },
      maxPerMinute: 3,
      clock,
      observer: {
        scored: () => undefined,
        failed: () => undefined,
        dropped: (one, reason) => dropped.push(`${one.requestId}:${reason}`),
      },
    });
    const accepted = ['1', '2', '3', '4', '5'].map((id) => online.submit(sample(id)));
    expect(accepted).toEqual([true, true, true, false, false]);
    clock.advance(59_999);
    expect(online.submit(sample('6'))).toBe(false);
    clock.advance(1);
    expect(online.submit(sample('7'))).toBe(true);
    await online.idle();
    expect(online.stats()).toMatchObject({ accepted: 4, scored: 4, dropped: { budget: 3, queue_full: 0 } });
    expect(dropped).toEqual(['4:budget', '5:budget', '6:budget']);
  });

  it('drops when maxQueued samples already wait, and counts a failed scoring without stopping the rest', async () => {
    const held = heldEvaluator();
    const errors: unknown[] = [];
    const failing: OnlineEvaluator = {
      evaluate: (one) =>
        one.requestId === 'bad' ? Promise.reject(new Error('judge down')) : held.evaluator.evaluate(one),
    };
    const { scheduler: online } = scheduler({
      evaluator: failing,
      maxConcurrent: 1,
      maxQueued: 2,
      onError: (error) => errors.push(error),
    });
    expect(['bad', 'w1', 'w2', 'w3'].map((id) => online.submit(sample(id)))).toEqual([true, true, true, false]);
    await until(() => held.started.length === 1);
    expect(held.started).toEqual(['w1']);
    held.release('w1');
    await until(() => held.started.length === 2);
    held.release('w2');
    await online.idle();
    expect(online.stats()).toMatchObject({ scored: 2, failed: 1, dropped: { queue_full: 1 } });
    expect(errors).toHaveLength(1);
  });

  it('on close drops what waits and aborts a scoring that outlives the grace period', async () => {
    let aborted = false;
    const never: OnlineEvaluator = {
      evaluate: (_one, call) =>
        new Promise((_resolve, reject) => {
          call?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(call.signal?.reason);
          });
        }),
    };
    const { scheduler: online } = scheduler({ evaluator: never, maxConcurrent: 1 });
    online.submit(sample('running'));
    online.submit(sample('waiting'));
    await until(() => online.stats().running === 1);
    await online.close(10);
    expect(aborted).toBe(true);
    expect(online.submit(sample('late'))).toBe(false);
    expect(online.stats()).toMatchObject({ failed: 1, dropped: { closed: 2 } });
  });
});
