/**
 * Numbers as people read them in the CLI's human output (the quickstart's story, the monitoring tables): scores and
 * rates with two decimals, milliseconds whole, counts with thousands separators, signed changes with a real minus
 * sign, statistics to a few significant digits, p-values as `< 0.001` or two significant digits. Never exponent
 * notation. JSON output and reports keep the full values; only these renderings round.
 */

/** Below this a statistic or a p-value is printed as `< 0.001`: its digits would say nothing more to a reader. */
const smallest = 0.001;

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

/**
 * A measured statistic (a KS distance, a chi-square, an AUC, a signal against its threshold) to `digits` significant
 * digits in plain decimals: `0.312`, `12.3`, `1,230`; `0` when zero, `< 0.001` (or `> −0.001`) when closer to it.
 */
export function significant(value: number, digits = 3): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  if (Math.abs(value) < smallest) return value > 0 ? `< ${smallest}` : `> \u2212${smallest}`;
  const text = Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumSignificantDigits: digits });
  return text.replace('-', '\u2212');
}

/** A ratio in [0, 1] as a percentage to `digits` significant digits: `3.33%`, `10%`, `0%`, `< 0.001%`. */
export function percentage(ratio: number, digits = 3): string {
  return `${significant(ratio * 100, digits)}%`;
}

/** A p-value: `< 0.001` below a thousandth, else two significant digits (`0.031`, `0.5`, `1`). */
export function pValue(value: number): string {
  return value < smallest ? `< ${smallest}` : significant(value, 2);
}
