import type { ExampleResult } from './example-result.js';
import { isMetricName } from './metric-catalog.js';
import type { MetricName } from './metric-catalog.js';

/**
 * A run's scores in columns, all a comparison reads: the example ids in the run's order and, per metric, one score per
 * position (`NaN` where the example has no score for it). Stores build it from an index without reading whole results.
 */
export interface RunScores {
  exampleIds: readonly string[];
  scores: Partial<Record<MetricName, Float64Array>>;
}

/** An empty score column of `length` positions (every score missing). */
export function emptyScoreColumn(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

/** The scores of results in columns (the reference the stores' own {@link RunScores} must equal). */
export function runScoresOf(results: readonly ExampleResult[]): RunScores {
  const scores: RunScores['scores'] = {};
  results.forEach((result, position) => {
    for (const [metric, value] of Object.entries(result.metrics)) {
      if (!isMetricName(metric) || typeof value?.score !== 'number') continue;
      const column = (scores[metric] ??= emptyScoreColumn(results.length));
      column[position] = value.score;
    }
  });
  return { exampleIds: results.map((result) => result.exampleId), scores };
}

/** A metric's scores of a run, in the run's order, without the examples it did not score. */
export function scoredValues(run: RunScores, metric: MetricName): Float64Array {
  const column = run.scores[metric];
  if (!column) return new Float64Array(0);
  return column.filter((score) => !Number.isNaN(score));
}

/** The examples two runs both scored on a metric, matched on ids, and B − A for each. */
export interface PairedScores {
  differences: Float64Array;
  /** Where each pair's examples are in run A and in run B. */
  positionsA: Int32Array;
  positionsB: Int32Array;
}

/**
 * Pairs run B's examples with run A's on their ids, in B's order (an id A holds twice pairs with A's last), keeping the
 * pairs both runs scored on `metric`: the one pairing rule of `llmops eval compare` and of the console's compare.
 */
export function pairScores(a: RunScores, b: RunScores, metric: MetricName): PairedScores {
  const columnA = a.scores[metric];
  const columnB = b.scores[metric];
  const empty = { differences: new Float64Array(0), positionsA: new Int32Array(0), positionsB: new Int32Array(0) };
  if (!columnA || !columnB) return empty;
  const positionOfId = new Map<string, number>();
  a.exampleIds.forEach((id, position) => positionOfId.set(id, position));
  const differences = new Float64Array(columnB.length);
  const positionsA = new Int32Array(columnB.length);
  const positionsB = new Int32Array(columnB.length);
  let pairs = 0;
  for (let positionB = 0; positionB < columnB.length; positionB += 1) {
    const scoreB = columnB[positionB] as number;
    const positionA = positionOfId.get(b.exampleIds[positionB] as string);
    if (Number.isNaN(scoreB) || positionA === undefined) continue;
    const scoreA = columnA[positionA] as number;
    if (Number.isNaN(scoreA)) continue;
    differences[pairs] = scoreB - scoreA;
    positionsA[pairs] = positionA;
    positionsB[pairs] = positionB;
    pairs += 1;
  }
  return {
    differences: differences.subarray(0, pairs),
    positionsA: positionsA.subarray(0, pairs),
    positionsB: positionsB.subarray(0, pairs),
  };
}
