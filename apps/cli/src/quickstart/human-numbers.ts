/**
 * Numbers as people read them in the quickstart's story: scores and rates with two decimals, milliseconds whole,
 * counts with thousands separators, signed changes with a real minus sign.
 */

/** A score or rate in [0, 1] (or any small quantity): two decimals, `0.46`. */
export function score(value: number): string {
  return value.toFixed(2);
}

/** A change: `+0.35`, `−0.01`, `0.00`; milliseconds as whole numbers (`+12 ms`). */
export function change(value: number, unit: 'score' | 'ms' = 'score'): string {
  const rounded = unit === 'ms' ? Math.round(value) : Number(value.toFixed(2));
  const text = unit === 'ms' ? `${Math.abs(rounded)} ms` : Math.abs(rounded).toFixed(2);
  if (rounded === 0) return text;
  return `${rounded > 0 ? '+' : '\u2212'}${text}`;
}

/** Milliseconds, whole: `553 ms`; seconds with one decimal from 10 s on: `12.3 s`. */
export function duration(milliseconds: number): string {
  return milliseconds >= 10_000 ? `${(milliseconds / 1000).toFixed(1)} s` : `${Math.round(milliseconds)} ms`;
}

/** A count: `1,332`. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
