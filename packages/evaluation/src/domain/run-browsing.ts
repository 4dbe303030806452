import type { EvaluationRunRecord, RunStatus } from './evaluation-run.js';
import type { ExampleResult } from './example-result.js';
import { examplePassed } from './example-verdict.js';
import { isMetricName, metricCatalog, metricNames } from './metric-catalog.js';
import type { MetricName } from './metric-catalog.js';

/** One page of a longer list, and how long the whole list is. */
export interface Page<Item> {
  items: Item[];
  total: number;
}

/** The gate verdicts a run list can be filtered by: passed, failed, or no gate at all. */
export const runVerdicts = ['passed', 'failed', 'none'] as const;

/** Filters and page of a search of runs (newest first). */
export interface RunSearch {
  /** A registered model name (`support-rag`), version (`support-rag/2`) or the reference evaluated (`support-rag@champion`). */
  model?: string;
  /** The dataset's name. */
  dataset?: string;
  verdict?: (typeof runVerdicts)[number];
  status?: RunStatus;
  /** Text the run's name contains (case-insensitive for ASCII letters). */
  text?: string;
  limit: number;
  offset: number;
}

/** The gate verdict of a run: `passed`, `failed`, or `null` without a gate. */
export function runVerdict(record: Pick<EvaluationRunRecord, 'gates'>): 'passed' | 'failed' | null {
  if (!record.gates) return null;
  return record.gates.passed ? 'passed' : 'failed';
}

/** Lower-case of ASCII letters only, as SQLite's `lower()`, so both stores match text the same way. */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** Whether a run matches a search's filters (the page is not applied). */
export function runMatches(record: EvaluationRunRecord, search: Omit<RunSearch, 'limit' | 'offset'>): boolean {
  const { target } = record;
  if (search.model !== undefined) {
    const version = target.modelName && target.modelVersion ? `${target.modelName}/${target.modelVersion}` : undefined;
    if (![target.modelName, version, target.modelRef].includes(search.model)) return false;
  }
  if (search.dataset !== undefined && record.dataset.name !== search.dataset) return false;
  if (search.status !== undefined && record.status !== search.status) return false;
  if (search.verdict !== undefined && (runVerdict(record) ?? 'none') !== search.verdict) return false;
  if (search.text !== undefined && !asciiLowerCase(record.name).includes(asciiLowerCase(search.text))) return false;
  return true;
}

/** The orders an example list can be sorted in. */
export const sortOrders = ['asc', 'desc'] as const;

/** Filters, order and page of a run's examples. */
export interface ExampleQuery {
  /** `index` (the dataset's order) or a metric's name (examples without its score last). */
  sort: 'index' | MetricName;
  order: (typeof sortOrders)[number];
  /** Text the input, output or expected output contains (case-insensitive for ASCII letters). */
  text?: string;
  /** Only failed examples (`true`) or only examples that did not fail (`false`), by {@link examplePassed}. */
  failed?: boolean;
  limit: number;
  offset: number;
}

/** The keys an example list can be sorted by: `index` and every metric of the catalog. */
export const exampleSortKeys: readonly string[] = ['index', ...metricNames];

/** True when `key` is a key examples can be sorted by. */
export function isExampleSortKey(key: string): key is ExampleQuery['sort'] {
  return key === 'index' || isMetricName(key);
}

/** An example's result with its position in the run (0-based) and its verdict. */
export interface IndexedExample {
  index: number;
  result: ExampleResult;
  passed: boolean | null;
}

function matchesText(result: ExampleResult, text: string): boolean {
  const wanted = asciiLowerCase(text);
  return [result.input, result.output, result.expectedOutput ?? ''].some((field) =>
    asciiLowerCase(field).includes(wanted),
  );
}

/**
 * One page of a run's examples, filtered and sorted in memory (for stores that cannot do it themselves; the SQLite store
 * does the same in SQL). Ties and examples without the sorted metric's score keep the dataset's order, the latter last.
 */
export function queryExamples(results: readonly ExampleResult[], query: ExampleQuery): Page<IndexedExample> {
  let rows: IndexedExample[] = results.map((result, index) => ({ index, result, passed: examplePassed(result) }));
  if (query.text !== undefined) rows = rows.filter((row) => matchesText(row.result, query.text as string));
  if (query.failed !== undefined) rows = rows.filter((row) => (row.passed === false) === query.failed);
  const direction = query.order === 'desc' ? -1 : 1;
  if (query.sort === 'index') {
    if (direction === -1) rows.reverse();
  } else {
    const metric = query.sort;
    const scoreOf = (row: IndexedExample) => row.result.metrics[metric]?.score ?? null;
    rows.sort((left, right) => {
      const a = scoreOf(left);
      const b = scoreOf(right);
      if (a === null || b === null) return a === b ? left.index - right.index : a === null ? 1 : -1;
      return (a - b) * direction || left.index - right.index;
    });
  }
  return { items: rows.slice(query.offset, query.offset + query.limit), total: rows.length };
}

/** The distribution of one metric's scores: `bins` counts between `bins + 1` edges. */
export interface MetricHistogram {
  edges: number[];
  counts: number[];
}

/**
 * The edges of a metric's histogram: [0, 1] cut in `bins` for scores and rates, [min, max] otherwise (a range of 1 from
 * min when every value is the same).
 */
export function histogramEdges(metric: MetricName, range: { min: number; max: number }, bins: number): number[] {
  const { unit } = metricCatalog[metric];
  const low = unit === 'score' || unit === 'rate' ? 0 : range.min;
  const high = unit === 'score' || unit === 'rate' ? 1 : range.max > range.min ? range.max : range.min + 1;
  return Array.from({ length: bins + 1 }, (_, position) => low + ((high - low) * position) / bins);
}

/**
 * The bin of a value between edges: the last bin whose lower edge it reaches (values on an inner edge go to the bin
 * above it; below the first edge, the first bin; the last edge and above, the last bin). Stores that count in SQL
 * count the same ranges (`score >= lower edge AND score < next edge`).
 */
export function histogramBin(value: number, edges: readonly number[]): number {
  let bin = 0;
  for (let next = 1; next < edges.length - 1 && value >= (edges[next] as number); next += 1) bin = next;
  return bin;
}

/** The histogram of every metric with at least one score in `results`. */
export function histogramsOf(
  results: readonly ExampleResult[],
  bins: number,
): Partial<Record<MetricName, MetricHistogram>> {
  const histograms: Partial<Record<MetricName, MetricHistogram>> = {};
  for (const metric of metricNames) {
    const scores = results
      .map((result) => result.metrics[metric]?.score)
      .filter((score): score is number => typeof score === 'number');
    if (scores.length === 0) continue;
    const range = scores.reduce(
      (bounds, score) => ({ min: Math.min(bounds.min, score), max: Math.max(bounds.max, score) }),
      { min: Infinity, max: -Infinity },
    );
    const edges = histogramEdges(metric, range, bins);
    const counts = new Array<number>(bins).fill(0);
    for (const score of scores) {
      const bin = histogramBin(score, edges);
      counts[bin] = (counts[bin] as number) + 1;
    }
    histograms[metric] = { edges, counts };
  }
  return histograms;
}
