import { quantileOfSorted, sortedCopy } from './numeric-sample.js';

/** The customary reading of a PSI value: below 0.1 stable, from 0.1 a moderate shift, from 0.25 a significant one. */
export type PopulationStabilityLevel = 'stable' | 'moderate' | 'significant';

/** PSI of a numeric feature, with the bins it used. */
export interface PopulationStabilityResult {
  statistic: number;
  level: PopulationStabilityLevel;
  /** Interior bin edges (ascending, distinct): bin i holds values in (edge[i−1], edge[i]]. */
  edges: number[];
  referenceShares: number[];
  currentShares: number[];
}

/** Options of {@link populationStabilityIndex}. */
export interface PopulationStabilityOptions {
  /** Number of quantile bins of the reference (10 by default: deciles). */
  bins?: number;
  /** Share that replaces an empty bin's zero so the logarithm stays finite (0.0001 by default, as Evidently). */
  epsilon?: number;
}

export const PSI_MODERATE_THRESHOLD = 0.1;
export const PSI_SIGNIFICANT_THRESHOLD = 0.25;

/** Which level a PSI value falls in. */
export function populationStabilityLevel(statistic: number): PopulationStabilityLevel {
  if (statistic >= PSI_SIGNIFICANT_THRESHOLD) return 'significant';
  if (statistic >= PSI_MODERATE_THRESHOLD) return 'moderate';
  return 'stable';
}

function binShares(sorted: Float64Array, edges: number[], epsilon: number): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (const value of sorted) {
    while (bin < edges.length && value > edges[bin]) bin++;
    counts[bin]++;
  }
  return counts.map((count) => (count === 0 ? epsilon : count / sorted.length));
}

/**
 * The population stability index Σ (cᵢ − rᵢ) · ln(cᵢ / rᵢ) over bins cut at the reference's quantiles
 * (numpy's linear interpolation; repeated edges merged, so a discrete feature gets fewer, non-empty bins).
 * @throws RangeError when either sample is empty
 */
export function populationStabilityIndex(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: PopulationStabilityOptions = {},
): PopulationStabilityResult {
  if (reference.length === 0 || current.length === 0) {
    throw new RangeError('the population stability index needs at least one value in each sample');
  }
  const bins = options.bins ?? 10;
  const epsilon = options.epsilon ?? 0.0001;
  const sortedReference = sortedCopy(reference);
  const edges: number[] = [];
  for (let index = 1; index < bins; index++) {
    const edge = quantileOfSorted(sortedReference, index / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  const referenceShares = binShares(sortedReference, edges, epsilon);
  const currentShares = binShares(sortedCopy(current), edges, epsilon);
  let statistic = 0;
  for (let index = 0; index < referenceShares.length; index++) {
    const difference = currentShares[index] - referenceShares[index];
    statistic += difference * Math.log(currentShares[index] / referenceShares[index]);
  }
  return { statistic, level: populationStabilityLevel(statistic), edges, referenceShares, currentShares };
}
