import { countCategories } from './category-counts.js';
import { chiSquareSurvival } from './gamma-functions.js';

/** Pearson's chi-square test that two categorical samples come from one distribution. */
export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Whether Yates' continuity correction was applied (only with one degree of freedom, as scipy does). */
  yatesCorrected: boolean;
}

/**
 * The chi-square test of homogeneity on the 2 × k table of category counts (reference, current), as
 * scipy.stats.chi2_contingency with its default `correction=True`: Yates' correction moves each observed count
 * half a unit towards its expected count (never past it) when, and only when, there is one degree of freedom.
 * With a single category in both samples there is nothing to test: statistic 0, p-value 1.
 * @throws RangeError when either sample is empty
 */
export function chiSquareHomogeneityTest(reference: Iterable<string>, current: Iterable<string>): ChiSquareResult {
  const counts = countCategories(reference, current);
  const referenceTotal = counts.reference.reduce((sum, count) => sum + count, 0);
  const currentTotal = counts.current.reduce((sum, count) => sum + count, 0);
  if (referenceTotal === 0 || currentTotal === 0) {
    throw new RangeError('the chi-square test needs at least one value in each sample');
  }
  const degreesOfFreedom = counts.categories.length - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, degreesOfFreedom, pValue: 1, yatesCorrected: false };
  const total = referenceTotal + currentTotal;
  const yatesCorrected = degreesOfFreedom === 1;
  let statistic = 0;
  for (const [rowCounts, rowTotal] of [
    [counts.reference, referenceTotal],
    [counts.current, currentTotal],
  ] as const) {
    for (let index = 0; index < counts.categories.length; index++) {
      const expected = (rowTotal * (counts.reference[index] + counts.current[index])) / total;
      let deviation = Math.abs(rowCounts[index] - expected);
      if (yatesCorrected) deviation -= Math.min(0.5, deviation);
      statistic += (deviation * deviation) / expected;
    }
  }
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom), yatesCorrected };
}
