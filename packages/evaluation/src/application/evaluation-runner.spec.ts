import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmopsError, ManualClock } from '@llmops/kernel';
import { createPricingTable } from '@llmops/providers';
import { OfflineHeuristicJudge } from '../adapters/judges/offline-heuristic-judge.js';
import { openEvaluationDatabase } from '../adapters/sqlite/evaluation-database.js';
import { SqliteJudgeCache } from '../adapters/sqlite/sqlite-judge-cache.js';
import { createDataset } from '../domain/dataset.js';
import type { Example } from '../domain/example.js';
import type { JudgeAnswer, JudgeTask, JudgeTaskKind } from '../domain/judgement.js';
import type { Judge } from '../ports.js';
import { StaticTarget } from '../testing/static-target.js';
import { runEvaluation } from './evaluation-runner.js';
import type { ProgressEvent } from './evaluation-runner.js';

const passage = 'Annual subscriptions can be refunded in full within 14 days of purchase.';
const examples: Example[] = Array.from({ length: 12 }, (_, index) => ({
  id: `q${index + 1}`,
  input: index % 4 === 3 ? 'Who is the CEO of Larkspur Labs?' : 'Can annual subscriptions be refunded?',
  expected_output:
    index % 4 === 3
      ? "I don't know based on the provided context."
      : 'Annual subscriptions can be refunded in full within 14 days of purchase.',
  ...(index % 4 === 3 ? { tags: ['unanswerable'] } : { reference_contexts: [passage], tags: ['answerable'] }),
}));
const dataset = createDataset({ examples, source: 'fixture.jsonl', name: 'fixture' });
const answer = (example: Example) =>
  example.tags?.includes('unanswerable')
    ? "I don't know based on the provided context."
    : `${passage.slice(0, -1)} [1].`;
const target = () =>
  new StaticTarget((example) => ({
    output: answer(example),
    retrievalContext: [passage],
    usage: { inputTokens: 100, outputTokens: 20 },
    model: 'gpt-4o-mini',
  }));

/** Counts the calls that reach the judge. */
class CountingJudge implements Judge {
  readonly name = 'offline-heuristic';
  readonly fingerprint = 'counting';
  calls = 0;
  private readonly inner = new OfflineHeuristicJudge();
  async judge<K extends JudgeTaskKind>(task: Extract<JudgeTask, { kind: K }>): Promise<JudgeAnswer<K>> {
    this.calls += 1;
    return this.inner.judge(task);
  }
}

describe('runEvaluation', () => {
  it('scores every example and aggregates, with cost from the pricing table', async () => {
    const pricing = createPricingTable({ 'gpt-4o-mini': { input: 0.15, output: 0.6 } });
    const outcome = await runEvaluation({
      dataset,
      target: target(),
      judge: new OfflineHeuristicJudge(),
      pricing,
      clock: new ManualClock(1_000),
    });
    expect(outcome.status).toBe('finished');
    expect(outcome.results.map((result) => result.exampleId)).toEqual(examples.map((example) => example.id));
    const { aggregates } = outcome.summary;
    expect(aggregates.faithfulness?.mean).toBe(1);
    expect(aggregates.refusal_correctness).toMatchObject({ mean: 1, count: 3 });
    expect(aggregates.harmful_rate).toMatchObject({ mean: 0, count: 12 });
    expect(aggregates.context_precision).toMatchObject({ mean: 1, count: 9 });
    expect(aggregates.exact_match?.mean).toBe(1);
    expect(aggregates.cost_usd?.mean).toBeCloseTo((100 * 0.15 + 20 * 0.6) / 1_000_000, 12);
    expect(outcome.results[0]?.metrics.faithfulness).toMatchObject({ judge: 'offline-heuristic' });
  });

  it('makes zero judge calls on a second identical run with the same SQLite cache', async () => {
    const database = openEvaluationDatabase(join(mkdtempSync(join(tmpdir(), 'llmops-cache-')), 'cache.db'));
    const cache = new SqliteJudgeCache(database);
    const judge = new CountingJudge();
    const first = await runEvaluation({ dataset, target: target(), judge, cache });
    const callsOfFirstRun = judge.calls;
    expect(callsOfFirstRun).toBeGreaterThan(0);
    expect(first.judgeStatistics.calls).toBe(callsOfFirstRun);
    const second = await runEvaluation({ dataset, target: target(), judge, cache });
    expect(judge.calls).toBe(callsOfFirstRun);
    expect(second.judgeStatistics).toEqual({
      calls: 0,
      cacheHits: first.judgeStatistics.calls + first.judgeStatistics.cacheHits,
      errors: 0,
    });
    expect(second.summary.aggregates).toEqual({
      ...first.summary.aggregates,
      latency: second.summary.aggregates.latency,
    });
    database.close();
  });

  it('never has more than `concurrency` examples in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = new StaticTarget(async (example) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { output: answer(example), retrievalContext: [passage] };
    });
    await runEvaluation({ dataset, target: slow, judge: new OfflineHeuristicJudge(), concurrency: 3 });
    expect(most).toBe(3);
  });

  it('records a failing target on its example and goes on', async () => {
    const flaky = new StaticTarget((example) => {
      if (example.id === 'q2') throw new LlmopsError('upstream_error', 'the endpoint answered 502');
      return { output: answer(example), retrievalContext: [passage] };
    });
    const outcome = await runEvaluation({ dataset, target: flaky, judge: new OfflineHeuristicJudge() });
    expect(outcome.status).toBe('finished');
    expect(outcome.summary.targetErrors).toBe(1);
    expect(outcome.results[1]).toMatchObject({
      exampleId: 'q2',
      error: 'upstream_error: the endpoint answered 502',
      metrics: {},
    });
  });

  it('keeps the finished examples when aborted (Ctrl-C) and reports the run interrupted', async () => {
    const controller = new AbortController();
    const events: ProgressEvent[] = [];
    const blocking = new StaticTarget(
      (example, options) =>
        new Promise((resolve, reject) => {
          if (Number(example.id.slice(1)) <= 4)
            return resolve({ output: answer(example), retrievalContext: [passage] });
          options.signal?.addEventListener('abort', () => reject(options.signal?.reason));
        }),
    );
    const running = runEvaluation({
      dataset,
      target: blocking,
      judge: new OfflineHeuristicJudge(),
      concurrency: 2,
      signal: controller.signal,
      onProgress: (event) => {
        events.push(event);
        if (event.done === 4) setTimeout(() => controller.abort(new Error('SIGINT')), 5);
      },
    });
    const outcome = await running;
    expect(outcome.status).toBe('interrupted');
    expect(outcome.results.map((result) => result.exampleId)).toEqual(['q1', 'q2', 'q3', 'q4']);
    expect(outcome.summary.examples).toBe(4);
    expect(events.map((event) => event.done)).toEqual([1, 2, 3, 4]);
  });

  it('rejects a concurrency below 1', async () => {
    await expect(
      runEvaluation({ dataset, target: target(), judge: new OfflineHeuristicJudge(), concurrency: 0 }),
    ).rejects.toThrow('concurrency is 0; expected a whole number >= 1');
  });
});
