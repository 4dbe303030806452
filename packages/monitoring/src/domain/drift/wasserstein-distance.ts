import { populationStandardDeviation, sortedCopy } from './numeric-sample.js';

/**
 * The first Wasserstein (earth mover's) distance between two numeric samples, as
 * scipy.stats.wasserstein_distance with equal weights: the area between the two empirical distribution functions.
 * @throws RangeError when either sample is empty
 */
export function wassersteinDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length === 0 || current.length === 0) {
    throw new RangeError('the Wasserstein distance needs at least one value in each sample');
  }
  const first = sortedCopy(reference);
  const second = sortedCopy(current);
  let i = 0;
  let j = 0;
  let area = 0;
  let previous = Math.min(first[0], second[0]);
  while (i < first.length || j < second.length) {
    const next = Math.min(i < first.length ? first[i] : Infinity, j < second.length ? second[j] : Infinity);
    area += Math.abs(i / first.length - j / second.length) * (next - previous);
    while (i < first.length && first[i] === next) i++;
    while (j < second.length && second[j] === next) j++;
    previous = next;
  }
  return area;
}

/** Evidently's floor on the reference's standard deviation, so a constant reference does not divide by zero. */
export const WASSERSTEIN_MIN_NORM = 0.001;

/**
 * The Wasserstein distance divided by the reference's population standard deviation (floored at 0.001), as
 * Evidently normalises it, so one threshold (0.1 by default: a shift of a tenth of a standard deviation) fits
 * features of any scale.
 */
export function normalizedWassersteinDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const norm = Math.max(populationStandardDeviation(reference), WASSERSTEIN_MIN_NORM);
  return wassersteinDistance(reference, current) / norm;
}
