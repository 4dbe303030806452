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
  const causes = new Map<string, TargetErrorCause>();
  for (const { exampleId, error } of failedExamples(results)) {
    const cause = causes.get(error);
    if (cause) cause.count += 1;
    else causes.set(error, { error, count: 1, firstExampleId: exampleId });
  }
  // Array.prototype.sort is stable: equal counts keep the order of their first failure.
  return [...causes.values()].sort((left, right) => right.count - left.count);
}
