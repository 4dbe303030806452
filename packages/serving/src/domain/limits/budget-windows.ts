/** The budget windows a moment falls in (UTC): the day and the calendar month, and when each ends. */
export interface BudgetWindows {
  /** `day:2025-06-30`. */
  day: string;
  /** `month:2025-06`. */
  month: string;
  /** When the day ends, in ms since the epoch. */
  dayEndsAtMs: number;
  /** When the month ends, in ms since the epoch. */
  monthEndsAtMs: number;
}

/** The UTC day and month windows of `nowMs`. */
export function budgetWindows(nowMs: number): BudgetWindows {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const date = now.getUTCDate();
  const iso = now.toISOString();
  return {
    day: `day:${iso.slice(0, 10)}`,
    month: `month:${iso.slice(0, 7)}`,
    dayEndsAtMs: Date.UTC(year, month, date + 1),
    monthEndsAtMs: Date.UTC(year, month + 1, 1),
  };
}
