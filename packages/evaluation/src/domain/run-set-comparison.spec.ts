import { summarizeResults } from './aggregates.js';
import type { EvaluationRunRecord } from './evaluation-run.js';
import type { ExampleResult } from './example-result.js';
import { compareResults, comparisonVerdict } from './run-comparison.js';
import { evaluateGates, parseCriterion } from './gates.js';
import { compareRunSet, comparisonGrid, withScores } from './run-set-comparison.js';
import type { RunWithResults } from './run-set-comparison.js';

function result(id: string, faithfulness: number, output = `answer ${id}`): ExampleResult {
  return {
    exampleId: id,
    input: `question ${id}`,
    tags: [],
    output,
    retrievalContext: [],
    latencyMs: 100,
    usage: null,
    costUsd: null,
    metrics: { faithfulness: { score: faithfulness, reason: 'scripted' } },
  };
}

function run(id: string, datasetHash: string, results: ExampleResult[]): RunWithResults {
  const record = {
    id,
    name: id,
    status: 'finished',
    startedAt: 0,
    target: { kind: 'static', name: id },
    dataset: { name: 'qa', source: 'qa.jsonl', hash: datasetHash, digest: datasetHash, examples: results.length },
    judge: 'scripted',
    metrics: ['faithfulness'],
    summary: summarizeResults(results),
    judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
    tags: {},
    artifacts: {},
  } satisfies EvaluationRunRecord;
  return { record, results };
}

const ids = Array.from({ length: 40 }, (_, index) => `e${index}`);
const baseline = run(
  'base',
  'h1',
  ids.map((id, index) => result(id, index % 2 === 0 ? 0.4 : 0.6)),
);
const better = run(
  'better',
  'h1',
  ids.map((id, index) => result(id, index % 2 === 0 ? 0.8 : 0.9)),
);
const elsewhere = run(
  'elsewhere',
  'h2',
  ids.map((id) => result(`${id}-other`, 0.5)),
);

describe('compareRunSet', () => {
  it('gives each run its mean and each candidate the same paired delta and interval as eval compare', () => {
    const [faithfulness] = compareRunSet([baseline, better].map(withScores));
    expect(faithfulness?.metric).toBe('faithfulness');
    expect(faithfulness?.means).toEqual([
      { runId: 'base', mean: 0.5 },
      { runId: 'better', mean: expect.closeTo(0.85, 10) },
    ]);
    const single = compareResults(baseline.results, better.results).metrics.find((m) => m.metric === 'faithfulness');
    expect(faithfulness?.deltas).toEqual([
      {
        runId: 'better',
        delta: single?.delta,
        low: single?.interval?.low,
        high: single?.interval?.high,
        level: 0.95,
        paired: true,
        verdict: 'improved',
      },
    ]);
    expect(single?.verdict).toBe('improved');
    expect(faithfulness?.deltas[0]?.low).toBeGreaterThan(0);
  });

  it("says better, worse or within noise by the interval and the metric's direction, as eval compare does", () => {
    // Hallucination: lower is better, so a rise beyond the interval is a regression.
    const withHallucination = (from: RunWithResults, score: number): RunWithResults => ({
      record: from.record,
      results: from.results.map((entry, index) => ({
        ...entry,
        metrics: { ...entry.metrics, hallucination: { score: score + (index % 2) * 0.1, reason: 'scripted' } },
      })),
    });
    const metrics = compareRunSet(
      [withHallucination(baseline, 0.1), withHallucination(better, 0.5), withHallucination(elsewhere, 0.1)].map(
        withScores,
      ),
    );
    const verdicts = Object.fromEntries(
      metrics.map((metric) => [metric.metric, metric.deltas.map((delta) => delta.verdict)]),
    );
    // Faithfulness rose (better); hallucination rose (worse); the other dataset's run is within noise of both.
    expect(verdicts).toEqual({ faithfulness: ['improved', 'unchanged'], hallucination: ['regressed', 'unchanged'] });
    expect(
      compareResults(withHallucination(baseline, 0.1).results, withHallucination(better, 0.5).results).metrics.map(
        (m) => m.verdict,
      ),
    ).toEqual(['improved', 'regressed']);
    expect(comparisonVerdict(null, true)).toBe('no_data');
    expect(comparisonVerdict({ low: -0.1, high: 0.2 }, false)).toBe('unchanged');
    expect(comparisonVerdict({ low: -0.3, high: -0.1 }, false)).toBe('improved');
  });

  it('compares runs over another dataset unpaired: the difference of means, an interval around it', () => {
    const [faithfulness] = compareRunSet([baseline, better, elsewhere].map(withScores));
    const unpaired = faithfulness?.deltas[1];
    expect(unpaired?.paired).toBe(false);
    expect(unpaired?.delta).toBeCloseTo(0, 10);
    expect(unpaired?.low).toBeLessThan(0);
    expect(unpaired?.high).toBeGreaterThan(0);
  });
});

describe('comparisonGrid', () => {
  it('matches examples on ids over one dataset and marks where the runs disagree', () => {
    const close = run(
      'close',
      'h1',
      ids.map((id, index) => result(id, index % 2 === 0 ? 0.45 : 0.6)),
    );
    const grid = comparisonGrid([baseline, better, close], { sort: 'index', limit: 2, offset: 0 });
    expect(grid.total).toBe(40);
    const [first] = grid.items;
    expect(first?.key).toBe('e0');
    expect(first?.cells.map((cell) => [cell.runId, cell.passed, cell.scores.faithfulness])).toEqual([
      ['base', false, 0.4],
      ['better', true, 0.8],
      ['close', false, 0.45],
    ]);
    expect(first?.disagree).toBe(true);
    const agreeing = comparisonGrid([baseline, close], { sort: 'index', disagree: false, limit: 50, offset: 0 });
    expect(agreeing.total).toBe(40);
    expect(comparisonGrid([baseline, close], { sort: 'index', disagree: true, limit: 50, offset: 0 }).total).toBe(0);
  });

  it('matches examples on their input text when the datasets differ, leaving cells empty where a run lacks one', () => {
    const renamed = run('renamed', 'h3', [{ ...result('other-id', 0.4), input: 'question e1' }]);
    const grid = comparisonGrid([baseline, renamed], { sort: 'faithfulness', limit: 50, offset: 0 });
    expect(grid.total).toBe(40);
    const [widest] = grid.items;
    expect(widest?.key).toBe('question e1');
    expect(widest?.cells[1]).toEqual({
      runId: 'renamed',
      output: 'answer other-id',
      passed: false,
      scores: { faithfulness: 0.4 },
    });
    expect(grid.items[1]?.cells[1]).toEqual({ runId: 'renamed', output: null, passed: null, scores: {} });
  });

  it("judges each run's cells by its own gate's thresholds, and by the default 0.5 for a run without a gate", () => {
    // Scores 0.4 / 0.6 (base, no gate) and 0.8 / 0.9 (better, gated at faithfulness.mean >= 0.85, latency.p95 <= 90).
    const gated = (criteria: string[], source: RunWithResults): RunWithResults => ({
      ...source,
      record: {
        ...source.record,
        gates: evaluateGates(criteria.map(parseCriterion), source.record.summary),
      },
    });
    const strict = gated(['faithfulness.mean >= 0.85'], better);
    const grid = comparisonGrid([baseline, strict], { sort: 'index', limit: 2, offset: 0 });
    // e0: base 0.4 < 0.5 fails, better 0.8 < 0.85 fails; e1: base 0.6 >= 0.5 passes, better 0.9 >= 0.85 passes.
    expect(grid.items.map((row) => row.cells.map((cell) => cell.passed))).toEqual([
      [false, false],
      [true, true],
    ]);
    expect(grid.items.map((row) => row.disagree)).toEqual([true, true]);
    // A `<=` criterion on latency (ms, never judged by the default rule) holds every example to it: 100 ms > 90 ms.
    const timed = run(
      'timed',
      'h1',
      ids.map((id) => {
        const base = result(id, 0.9);
        return { ...base, metrics: { ...base.metrics, latency: { score: 100, reason: 'ms' } } };
      }),
    );
    const slow = gated(['latency.p95 <= 90'], timed);
    const [first] = comparisonGrid([baseline, slow], { sort: 'index', limit: 1, offset: 0 }).items;
    expect(first?.cells.map((cell) => cell.passed)).toEqual([false, false]);
  });
});
