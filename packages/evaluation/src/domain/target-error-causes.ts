import type { ExampleResult } from './example-result.js';
import { failedExamples } from './worst-examples.js';

/** The examples that failed with one same error: how many, and the first of them in dataset order. */
export interface TargetErrorCause {
  /** The recorded error, `code: message` (messages from providers never hold the API key). */
  error: string;
  count: number;
  firstExampleId: string;
}

/** The target errors of a run grouped by their error text, most frequent first (ties in order of first failure). */
export function targetErrorCauses(results: readonly ExampleResult[]): TargetErrorCause[] {
  return groupByError(failedExamples(results));
}

/**
 * The scores a judge could not give (each metric of each example whose judge failed: a model call that failed, or
 * output that stayed invalid after the judge's retries), grouped by their error text as {@link targetErrorCauses}
 * groups failed examples, so a run can say why its judged metrics have errors without opening a report.
 */
export function judgeErrorCauses(results: readonly ExampleResult[]): TargetErrorCause[] {
  return groupByError(
    results.flatMap((result) =>
      Object.values(result.metrics).flatMap((metric) =>
        metric?.error === undefined ? [] : [{ exampleId: result.exampleId, error: metric.error }],
      ),
    ),
  );
}

/** How many scores of a run a judge was asked for (`judged`) and how many it could not give (`failed`). */
export interface JudgedScoreCounts {
  judged: number;
  failed: number;
}

/**
 * Counts the judged scores of a run (every metric result a judge produced or failed to produce) and the failed ones,
 * so a caller can tell a run whose judge never answered (`failed === judged > 0`) from a partial failure.
 */
export function judgedScoreCounts(results: readonly ExampleResult[]): JudgedScoreCounts {
  let judged = 0;
  let failed = 0;
  for (const result of results)
    for (const metric of Object.values(result.metrics)) {
      if (metric?.judge === undefined && metric?.error === undefined) continue;
      judged += 1;
      if (metric.error !== undefined) failed += 1;
    }
  return { judged, failed };
}

/** Errors grouped by their text, most frequent first; equal counts keep the order of their first occurrence. */
function groupByError(errors: Iterable<{ exampleId: string; error: string }>): TargetErrorCause[] {
  const causes = new Map<string, TargetErrorCause>();
  for (const { exampleId, error } of errors) {
    const cause = causes.get(error);
    if (cause) cause.count += 1;
    else causes.set(error, { error, count: 1, firstExampleId: exampleId });
  }
  // Array.prototype.sort is stable: equal counts keep the order of their first occurrence.
  return [...causes.values()].sort((left, right) => right.count - left.count);
}
