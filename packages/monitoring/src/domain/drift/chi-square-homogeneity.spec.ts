import fc from 'fast-check';
import { chiSquareHomogeneityTest } from './chi-square-homogeneity.js';
import { chiSquareSurvival } from './gamma-functions.js';

// Expected values: scipy 1.17.1 `scipy.stats.chi2_contingency([reference_counts, current_counts])` (default
// correction=True, which scipy applies only when dof == 1) and `scipy.stats.chi2.sf(x, dof)`.

/** A sample holding each category as many times as its count. */
function sampleOf(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([category, count]) => new Array<string>(count).fill(category));
}

interface ContingencyRow {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  expected: { statistic: number; degreesOfFreedom: number; pValue: number };
}

describe('chiSquareHomogeneityTest', () => {
  it.each<ContingencyRow>([
    {
      name: 'two categories, Yates-corrected',
      reference: { a: 30, b: 70 },
      current: { a: 45, b: 55 },
      expected: { statistic: 4.181333333333333, degreesOfFreedom: 1, pValue: 0.04087153408900628 },
    },
    {
      name: 'two categories closer than half a count',
      reference: { a: 10, b: 10 },
      current: { a: 10, b: 11 },
      expected: { statistic: 0, degreesOfFreedom: 1, pValue: 1 },
    },
    {
      name: 'four categories, no correction',
      reference: { a: 20, b: 15, c: 30, d: 35 },
      current: { a: 25, b: 30, c: 20, d: 25 },
      expected: { statistic: 9.222222222222221, degreesOfFreedom: 3, pValue: 0.02647767598259056 },
    },
    {
      name: 'three categories, far tail',
      reference: { a: 500, b: 300, c: 200 },
      current: { a: 350, b: 420, c: 230 },
      expected: { statistic: 48.56361149110808, degreesOfFreedom: 2, pValue: 2.8480378326012132e-11 },
    },
  ])('matches scipy on $name', ({ reference, current, expected }) => {
    const { statistic, degreesOfFreedom, pValue } = expected;
    const result = chiSquareHomogeneityTest(sampleOf(reference), sampleOf(current));
    expect(result.statistic).toBeCloseTo(statistic, 10);
    expect(result.degreesOfFreedom).toBe(degreesOfFreedom);
    expect(result.yatesCorrected).toBe(degreesOfFreedom === 1);
    expect(Math.abs(result.pValue - pValue)).toBeLessThanOrEqual(1e-10 * pValue);
  });

  it('counts a category seen only in the current sample', () => {
    const result = chiSquareHomogeneityTest(sampleOf({ a: 10 }), sampleOf({ a: 5, b: 5 }));
    expect(result.degreesOfFreedom).toBe(1);
    expect(result.pValue).toBeLessThan(0.05);
  });

  it('has nothing to test with one category on both sides', () => {
    expect(chiSquareHomogeneityTest(['a', 'a'], ['a'])).toEqual({
      statistic: 0,
      degreesOfFreedom: 0,
      pValue: 1,
      yatesCorrected: false,
    });
  });

  it('refuses an empty sample', () => {
    expect(() => chiSquareHomogeneityTest([], ['a'])).toThrow(RangeError);
  });

  it('gives p = 1 for identical samples and a p-value in [0, 1] otherwise', () => {
    const sample = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(sample, sample, (reference, current) => {
        const result = chiSquareHomogeneityTest(reference, current);
        return chiSquareHomogeneityTest(reference, reference).pValue === 1 && result.pValue >= 0 && result.pValue <= 1;
      }),
    );
  });
});

describe('chiSquareSurvival (scipy.stats.chi2.sf)', () => {
  it.each([
    [3.2, 1, 0.07363827012030258],
    [150, 4, 2.035764090974152e-31],
    [0.5, 7, 0.9994464813904249],
    [40, 25, 0.02916439562315211],
  ])('P(χ² ≥ %d | dof %d) matches scipy', (statistic, degreesOfFreedom, expected) => {
    expect(Math.abs(chiSquareSurvival(statistic, degreesOfFreedom) - expected)).toBeLessThanOrEqual(1e-11 * expected);
  });
});
