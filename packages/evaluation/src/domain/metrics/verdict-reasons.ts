import { LlmopsError } from '@llmops/kernel';
import type { StatementVerdict } from '../judgement.js';

/** `3 of 4`. */
export function share(count: number, total: number): string {
  return `${count} of ${total}`;
}

/** The first two statements with the given verdict, quoted (shortened) with the judge's reasons. */
export function listed(verdicts: readonly StatementVerdict[], wanted: StatementVerdict['verdict']): string {
  const items = verdicts.filter((verdict) => verdict.verdict === wanted).slice(0, 2);
  return items
    .map(
      (item) =>
        `"${item.statement.length > 90 ? `${item.statement.slice(0, 87)}...` : item.statement}" (${item.reason})`,
    )
    .join('; ');
}

/** How many verdicts have a verdict other than `no` (`yes` and `idk`). */
export function notNo(verdicts: readonly StatementVerdict[]): number {
  return verdicts.filter((verdict) => verdict.verdict !== 'no').length;
}

/** How many verdicts are `yes`. */
export function yeses(verdicts: readonly StatementVerdict[]): number {
  return verdicts.filter((verdict) => verdict.verdict === 'yes').length;
}

/** `; <label>: <listed>` for the verdicts `no`, or nothing when there are none. */
export function rejectedSuffix(verdicts: readonly StatementVerdict[], label: string): string {
  const rejected = listed(verdicts, 'no');
  return rejected ? `; ${label}: ${rejected}` : '';
}

/** ` (<n> idk verdicts dropped)` when the judge abstained on some items, or nothing. */
export function abstainedSuffix(verdicts: readonly StatementVerdict[]): string {
  const abstained = verdicts.filter((verdict) => verdict.verdict === 'idk').length;
  return abstained === 0 ? '' : ` (${abstained} idk verdict${abstained === 1 ? '' : 's'} dropped)`;
}

/**
 * Checks that the judge gave one verdict per item.
 * @throws LlmopsError `upstream_error` when it gave another number (the metric records it as a judge error).
 */
export function checkVerdictCount(verdicts: readonly StatementVerdict[], expected: number, what: string): void {
  if (verdicts.length !== expected) {
    throw new LlmopsError(
      'upstream_error',
      `the judge gave ${verdicts.length} verdicts for ${expected} ${what}; expected one each`,
    );
  }
}
