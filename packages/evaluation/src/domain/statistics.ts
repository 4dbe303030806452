import { LlmopsError } from '@llmops/kernel';

/** The arithmetic mean; `null` for no values. */
export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) sum += values[index] as number;
  return sum / values.length;
}

/**
 * The `q`-th percentile (q in [0, 100]) by linear interpolation between the closest ranks (NumPy's
 * default): for sorted values v of length n, the rank is (n - 1)·q/100. `null` for no values.
 * @throws LlmopsError `invalid_input` when q is outside [0, 100].
 */
export function percentile(values: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 100)) throw new LlmopsError('invalid_input', `percentile ${q} is outside [0, 100]`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return percentileOfSorted(sorted, q);
}

/** {@link percentile} of values already sorted ascending (no copy, no sort). */
export function percentileOfSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = ((sorted.length - 1) * q) / 100;
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (rank - below);
}

/**
 * A seeded pseudo-random generator (mulberry32) returning numbers in [0, 1): the same seed gives the
 * same sequence, so bootstrap intervals are reproducible.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A confidence interval. */
export interface ConfidenceInterval {
  low: number;
  high: number;
  /** The confidence level, for example 0.95. */
  level: number;
}

/** Options of {@link bootstrapMeanInterval}. */
export interface BootstrapOptions {
  /** Resamples; 2000 by default. */
  resamples?: number;
  /** Confidence level in (0, 1); 0.95 by default. */
  level?: number;
  /** Seed of the resampling; 7 by default, so intervals are reproducible. */
  seed?: number;
}

/**
 * The percentile bootstrap confidence interval of the mean of `values`: resample the values with
 * replacement `resamples` times, take each resample's mean, and return the (1-level)/2 and
 * (1+level)/2 percentiles of those means. `null` for no values.
 */
export function bootstrapMeanInterval(
  values: ArrayLike<number>,
  options: BootstrapOptions = {},
): ConfidenceInterval | null {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new LlmopsError('invalid_input', `bootstrap level ${level} is outside (0, 1)`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new LlmopsError('invalid_input', `bootstrap resamples ${resamples}; expected a whole number >= 1`);
  const count = values.length;
  if (count === 0) return null;
  const random = seededRandom(options.seed ?? 7);
  const means = new Float64Array(resamples);
  for (let resample = 0; resample < resamples; resample += 1) {
    let sum = 0;
    for (let draw = 0; draw < count; draw += 1) sum += values[Math.floor(random() * count)] as number;
    means[resample] = sum / count;
  }
  means.sort();
  const sorted = Array.from(means);
  return {
    low: percentileOfSorted(sorted, ((1 - level) / 2) * 100) as number,
    high: percentileOfSorted(sorted, ((1 + level) / 2) * 100) as number,
    level,
  };
}

/**
 * The area under the ROC curve of scores against binary labels: the probability that a randomly
 * chosen positive scores higher than a randomly chosen negative, ties counting one half
 * (the Mann–Whitney U statistic over positives × negatives). `null` without both classes.
 */
export function areaUnderRoc(samples: ReadonlyArray<{ score: number; positive: boolean }>): number | null {
  const positives = samples.filter((sample) => sample.positive).length;
  const negatives = samples.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const sorted = [...samples].sort((left, right) => left.score - right.score);
  // Average ranks (1-based) for ties, then U = sum of positive ranks - P(P+1)/2.
  let positiveRankSum = 0;
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (
      end + 1 < sorted.length &&
      (sorted[end + 1] as { score: number }).score === (sorted[start] as { score: number }).score
    )
      end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index += 1)
      if ((sorted[index] as { positive: boolean }).positive) positiveRankSum += averageRank;
    start = end + 1;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The percentile bootstrap confidence interval of `mean(b) − mean(a)` for two independent samples (runs over different
 * datasets, whose examples cannot be paired): each resample draws `a` and `b` again with replacement, separately.
 * `null` when either sample is empty.
 */
export function bootstrapMeanDifferenceInterval(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions = {},
): ConfidenceInterval | null {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new LlmopsError('invalid_input', `bootstrap level ${level} is outside (0, 1)`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new LlmopsError('invalid_input', `bootstrap resamples ${resamples}; expected a whole number >= 1`);
  if (a.length === 0 || b.length === 0) return null;
  const random = seededRandom(options.seed ?? 7);
  const resampledMean = (values: ArrayLike<number>) => {
    let sum = 0;
    for (let draw = 0; draw < values.length; draw += 1) sum += values[Math.floor(random() * values.length)] as number;
    return sum / values.length;
  };
  const differences = new Float64Array(resamples);
  for (let resample = 0; resample < resamples; resample += 1)
    differences[resample] = resampledMean(b) - resampledMean(a);
  differences.sort();
  const sorted = Array.from(differences);
  return {
    low: percentileOfSorted(sorted, ((1 - level) / 2) * 100) as number,
    high: percentileOfSorted(sorted, ((1 + level) / 2) * 100) as number,
    level,
  };
}
