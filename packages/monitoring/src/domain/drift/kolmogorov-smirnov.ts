import { kolmogorovSurvival } from './kolmogorov-distribution.js';
import { sortedCopy } from './numeric-sample.js';

/** Which distribution gave a two-sample Kolmogorov–Smirnov p-value. */
export type KolmogorovSmirnovMethod = 'exact' | 'asymptotic';

/** The two-sample Kolmogorov–Smirnov test of two numeric samples (two-sided). */
export interface KolmogorovSmirnovResult {
  /** D: the largest distance between the two empirical distribution functions, in [0, 1]. */
  statistic: number;
  pValue: number;
  method: KolmogorovSmirnovMethod;
}

/** Above this larger sample size the exact distribution is too costly and the asymptotic one is used (scipy's rule). */
export const KOLMOGOROV_SMIRNOV_EXACT_MAX_SIZE = 10_000;
const int32Max = 2_147_483_647;

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** D = sup |F₁(t) − F₂(t)| by one merge walk over the two sorted samples. */
function largestDistance(first: Float64Array, second: Float64Array): number {
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < first.length && j < second.length) {
    const value = Math.min(first[i], second[j]);
    while (i < first.length && first[i] === value) i++;
    while (j < second.length && second[j] === value) j++;
    const distance = Math.abs(i / first.length - j / second.length);
    if (distance > largest) largest = distance;
  }
  return largest;
}

/**
 * P(D ≥ h / lcm(m, n)) under the null hypothesis, exactly: the share of monotone lattice paths from (0, 0) to
 * (m, n) that touch |x·n/g − y·m/g| ≥ h, computed directly (not as 1 − p) as a weighted average over the
 * two ways into each point, so small p-values keep their precision.
 */
function exactTwoSidedPValue(m: number, n: number, h: number): number {
  const g = greatestCommonDivisor(m, n);
  const mg = m / g;
  const ng = n / g;
  // touched[y] holds, for the current x, the share of paths to (x, y) that have touched the boundary.
  const touched = new Float64Array(n + 1);
  for (let x = 0; x <= m; x++) {
    for (let y = 0; y <= n; y++) {
      if (Math.abs(x * ng - y * mg) >= h) {
        touched[y] = 1;
      } else if (x === 0 && y === 0) {
        touched[y] = 0;
      } else {
        const fromLeft = x > 0 ? x * touched[y] : 0;
        const fromBelow = y > 0 ? y * touched[y - 1] : 0;
        touched[y] = (fromLeft + fromBelow) / (x + y);
      }
    }
  }
  return touched[n];
}

/**
 * The two-sample Kolmogorov–Smirnov test, as scipy.stats.ks_2samp with its defaults (two-sided, method "auto"):
 * the exact distribution when the larger sample has at most 10,000 values, otherwise the Kolmogorov distribution
 * of size round(m·n / (m + n)). The samples must hold finite numbers (the drift report drops the others first).
 * The exact p-value costs O(m·n): about 250 ms at 10,000 × 10,000.
 * @throws RangeError when either sample is empty
 */
export function kolmogorovSmirnovTest(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): KolmogorovSmirnovResult {
  if (reference.length === 0 || current.length === 0) {
    throw new RangeError('the Kolmogorov–Smirnov test needs at least one value in each sample');
  }
  const first = sortedCopy(reference);
  const second = sortedCopy(current);
  const m = first.length;
  const n = second.length;
  const statistic = largestDistance(first, second);
  const g = greatestCommonDivisor(m, n);
  const exactIsFeasible = Math.max(m, n) <= KOLMOGOROV_SMIRNOV_EXACT_MAX_SIZE && m / g < int32Max / (n / g);
  if (exactIsFeasible) {
    const lcm = (m / g) * n;
    const h = Math.round(statistic * lcm);
    const pValue = h === 0 ? 1 : exactTwoSidedPValue(m, n, h);
    if (pValue >= 0 && pValue <= 1) return { statistic: h / lcm, pValue, method: 'exact' };
  }
  const effectiveSize = Math.round((m * n) / (m + n));
  return { statistic, pValue: kolmogorovSurvival(effectiveSize, statistic), method: 'asymptotic' };
}
