/** Small descriptive statistics of a numeric sample that several drift measures share. */

/** The values in ascending order, in a typed array (the input is left untouched). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** The arithmetic mean; NaN for an empty sample. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[index];
  return sum / values.length;
}

/** The population standard deviation (divisor n, as numpy.std's default). */
export function populationStandardDeviation(values: ArrayLike<number>): number {
  const average = mean(values);
  let squares = 0;
  for (let index = 0; index < values.length; index++) squares += (values[index] - average) ** 2;
  return Math.sqrt(squares / values.length);
}

/** The quantile at `fraction` of sorted values by linear interpolation between order statistics (numpy's default). */
export function quantileOfSorted(sorted: ArrayLike<number>, fraction: number): number {
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** How many distinct values a sample holds. */
export function distinctCount(values: ArrayLike<number>): number {
  return new Set(Array.from(values)).size;
}
