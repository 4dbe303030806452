import type { EvaluationRunRecord } from './evaluation-run.js';
import type { ExampleResult } from './example-result.js';
import { examplePassed, exampleThresholdsOfRun } from './example-verdict.js';
import { metricCatalog, metricNames } from './metric-catalog.js';
import { comparisonVerdict } from './run-comparison.js';
import type { ComparisonVerdict } from './run-comparison.js';
import type { MetricName } from './metric-catalog.js';
import type { Page } from './run-browsing.js';
import { pairScores, runScoresOf, scoredValues } from './run-scores.js';
import type { RunScores } from './run-scores.js';
import { bootstrapMeanDifferenceInterval, bootstrapMeanInterval, mean } from './statistics.js';
import type { BootstrapOptions } from './statistics.js';

/** A run with its per-example results. */
export interface RunWithResults {
  record: EvaluationRunRecord;
  results: readonly ExampleResult[];
}

/** A run with its scores in columns: what {@link compareRunSet} reads. */
export interface RunWithScores {
  record: EvaluationRunRecord;
  scores: RunScores;
}

/** How a candidate run's metric differs from the baseline's. */
export interface MetricDelta {
  runId: string;
  /** Mean of candidate − baseline: of the paired differences when paired, of the two means otherwise. */
  delta: number | null;
  low: number | null;
  high: number | null;
  level: number;
  /** True when the runs used the same dataset (same content hash) and the delta is over paired examples. */
  paired: boolean;
  /** Better, worse or within noise by the interval and the metric's direction ({@link comparisonVerdict}). */
  verdict: ComparisonVerdict;
}

/** One metric across the runs compared. */
export interface MetricAcrossRuns {
  metric: MetricName;
  means: Array<{ runId: string; mean: number | null }>;
  /** One per run after the baseline. */
  deltas: MetricDelta[];
}

/** Two runs are paired when their datasets have the same content: their examples are then matched on ids. */
export function sameDataset(left: EvaluationRunRecord, right: EvaluationRunRecord): boolean {
  return left.dataset.hash === right.dataset.hash;
}

/** A run's record with its results' scores in columns. */
export function withScores(run: RunWithResults): RunWithScores {
  return { record: run.record, scores: runScoresOf(run.results) };
}

/**
 * Compares runs with the first (the baseline), metric by metric: each run's mean, and each other run's delta with a
 * percentile bootstrap confidence interval, the same statistics as `llmops eval compare` (`compareResults`: the same
 * pairing, `pairScores`, and the same bootstrap) when the two runs share their dataset (paired on example ids), an
 * unpaired bootstrap of the difference of means otherwise. Every example is resampled: nothing is subsampled.
 */
export function compareRunSet(runs: readonly RunWithScores[], options: BootstrapOptions = {}): MetricAcrossRuns[] {
  const [baseline, ...candidates] = runs;
  if (!baseline) return [];
  const level = options.level ?? 0.95;
  const compared: MetricAcrossRuns[] = [];
  for (const metric of metricNames) {
    const scores = runs.map((run) => scoredValues(run.scores, metric));
    if (scores.every((list) => list.length === 0)) continue;
    const baselineScores = scores[0] as Float64Array;
    const { higherIsBetter } = metricCatalog[metric];
    compared.push({
      metric,
      means: runs.map((run, position) => ({ runId: run.record.id, mean: mean(scores[position] as Float64Array) })),
      deltas: candidates.map((candidate, position) => {
        const runId = candidate.record.id;
        if (sameDataset(baseline.record, candidate.record)) {
          const { differences } = pairScores(baseline.scores, candidate.scores, metric);
          const interval = bootstrapMeanInterval(differences, options);
          return {
            runId,
            delta: mean(differences),
            low: interval?.low ?? null,
            high: interval?.high ?? null,
            level,
            paired: true,
            verdict: comparisonVerdict(interval, higherIsBetter),
          };
        }
        const candidateScores = scores[position + 1] as Float64Array;
        const interval = bootstrapMeanDifferenceInterval(baselineScores, candidateScores, options);
        const meanA = mean(baselineScores);
        const meanB = mean(candidateScores);
        return {
          runId,
          delta: meanA === null || meanB === null ? null : meanB - meanA,
          low: interval?.low ?? null,
          high: interval?.high ?? null,
          level,
          paired: false,
          verdict: comparisonVerdict(interval, higherIsBetter),
        };
      }),
    });
  }
  return compared;
}

/** A score metric whose per-example scores differ by more than this across runs makes the runs disagree. */
export const disagreementScoreGap = 0.2;

/** One run's answer to one example in the comparison grid (all `null` when the run has no such example). */
export interface ComparisonCell {
  runId: string;
  output: string | null;
  passed: boolean | null;
  scores: Partial<Record<MetricName, number | null>>;
}

/** One example across the runs compared. */
export interface ComparisonRow {
  /** The example's id when the runs share their dataset, else its input text. */
  key: string;
  input: string;
  cells: ComparisonCell[];
  /** True when the runs' verdicts differ, or a score metric differs by more than {@link disagreementScoreGap}. */
  disagree: boolean;
}

/** Filter, order and page of the comparison grid. */
export interface ComparisonGridQuery {
  disagree?: boolean;
  /** `index` (the baseline's order, then examples only later runs have) or a metric: the widest spread first. */
  sort: 'index' | MetricName;
  limit: number;
  offset: number;
}

function spreadOf(row: ComparisonRow, metric: MetricName): number | null {
  const scores = row.cells
    .map((cell) => cell.scores[metric])
    .filter((score): score is number => typeof score === 'number');
  return scores.length < 2 ? null : Math.max(...scores) - Math.min(...scores);
}

function disagrees(cells: readonly ComparisonCell[]): boolean {
  const verdicts = new Set(cells.map((cell) => cell.passed).filter((passed) => passed !== null));
  if (verdicts.size > 1) return true;
  const row = { key: '', input: '', cells: [...cells], disagree: false };
  return metricNames.some((metric) => {
    const { unit } = metricCatalog[metric];
    if (unit !== 'score' && unit !== 'rate') return false;
    return (spreadOf(row, metric) ?? 0) > disagreementScoreGap;
  });
}

/**
 * The per-example grid of runs (example × run, as promptfoo's matrix): examples matched on their ids when every run
 * used the baseline's dataset, on their input text otherwise; each cell passes or fails by its run's gate thresholds
 * ({@link exampleThresholdsOfRun}); each row says whether the runs disagree.
 */
export function comparisonGrid(runs: readonly RunWithResults[], query: ComparisonGridQuery): Page<ComparisonRow> {
  const [baseline] = runs;
  if (!baseline) return { items: [], total: 0 };
  const byId = runs.every((run) => sameDataset(baseline.record, run.record));
  const keyOf = (result: ExampleResult) => (byId ? result.exampleId : result.input);
  const keys: string[] = [];
  const inputs = new Map<string, string>();
  const perRun = runs.map((run) => {
    const byKey = new Map<string, ExampleResult>();
    for (const result of run.results) {
      const key = keyOf(result);
      if (byKey.has(key)) continue;
      byKey.set(key, result);
      if (!inputs.has(key)) {
        inputs.set(key, result.input);
        keys.push(key);
      }
    }
    return byKey;
  });
  // Each run's examples pass or fail by its own gate's thresholds (the default rule where it has none).
  const thresholds = runs.map((run) => exampleThresholdsOfRun(run.record));
  let rows: ComparisonRow[] = keys.map((key) => {
    const cells = runs.map((run, position): ComparisonCell => {
      const result = perRun[position]?.get(key);
      if (!result) return { runId: run.record.id, output: null, passed: null, scores: {} };
      const scores: ComparisonCell['scores'] = {};
      for (const [metric, value] of Object.entries(result.metrics) as Array<[MetricName, { score: number | null }]>)
        scores[metric] = value.score;
      return {
        runId: run.record.id,
        output: result.output,
        passed: examplePassed(result, thresholds[position]),
        scores,
      };
    });
    return { key, input: inputs.get(key) as string, cells, disagree: disagrees(cells) };
  });
  if (query.disagree !== undefined) rows = rows.filter((row) => row.disagree === query.disagree);
  if (query.sort !== 'index') {
    const metric = query.sort;
    const spreads = new Map(rows.map((row) => [row, spreadOf(row, metric)]));
    rows = [...rows].sort((left, right) => (spreads.get(right) ?? -1) - (spreads.get(left) ?? -1));
  }
  return { items: rows.slice(query.offset, query.offset + query.limit), total: rows.length };
}
