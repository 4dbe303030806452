/** A score or mean with 3 decimals, or an en dash for none. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** A signed delta (`+0.120`, `-0.040`). */
export function formatDelta(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
}

/** A time (ISO string or epoch milliseconds) as `2026-11-30 07:10:02`, in UTC so every reader sees the same. */
export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('T', ' ').slice(0, 19);
}

/** Milliseconds as `412 ms` or `1.20 s`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** US dollars with enough decimals for fractions of a cent. */
export function formatCost(usd: number | null | undefined): string {
  return usd === null || usd === undefined ? '–' : `$${usd < 0.01 ? usd.toFixed(6) : usd.toFixed(4)}`;
}

/** A text cut to `length` characters with an ellipsis. */
export function truncate(text: string | null | undefined, length: number): string {
  if (!text) return '';
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
