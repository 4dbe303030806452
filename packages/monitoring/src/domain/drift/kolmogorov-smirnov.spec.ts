import fc from 'fast-check';
import { kolmogorovSurvival } from './kolmogorov-distribution.js';
import { kolmogorovSmirnovTest } from './kolmogorov-smirnov.js';
import { modularSequence, sampleA, sampleB, tiedC, tiedD } from './__fixtures__/samples.js';

// Expected values: scipy 1.17.1, `scipy.stats.ks_2samp(x, y)` (defaults: two-sided, method="auto") and
// `scipy.stats.kstwo.sf(x, n)`, on the inputs of __fixtures__/samples.ts.

function expectClose(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-300);
}

describe('kolmogorovSmirnovTest', () => {
  it.each([
    { name: 'shifted samples of 24 and 20', reference: sampleA, current: sampleB, d: 0.55, p: 0.0014525582939974176 },
    { name: 'the same samples swapped', reference: sampleB, current: sampleA, d: 0.55, p: 0.0014525582939974176 },
    { name: 'ties within and across samples', reference: tiedC, current: tiedD, d: 0.3, p: 0.7869297884777761 },
    {
      name: 'samples of 200 and 300',
      reference: modularSequence({ size: 200, multiplier: 7919, modulus: 10007 }),
      current: modularSequence({ size: 300, multiplier: 104729, modulus: 10009, shift: 0.1 }),
      d: 0.10333333333333333,
      p: 0.1469143786743388,
    },
    {
      name: 'two samples of 40',
      reference: modularSequence({ size: 40, multiplier: 7919, modulus: 10007 }),
      current: modularSequence({ size: 40, multiplier: 104729, modulus: 10009, shift: 0.25 }),
      d: 0.275,
      p: 0.09707484379785862,
    },
  ])('matches scipy exactly on $name', ({ reference, current, d, p }) => {
    const result = kolmogorovSmirnovTest(reference, current);
    expect(result.method).toBe('exact');
    expectClose(result.statistic, d, 1e-12);
    expectClose(result.pValue, p, 1e-12);
  });

  it('switches to the asymptotic distribution above 10,000 values and still matches scipy', () => {
    const result = kolmogorovSmirnovTest(
      modularSequence({ size: 12_000, multiplier: 7919, modulus: 10007 }),
      modularSequence({ size: 9_000, multiplier: 104729, modulus: 10009, shift: 0.02 }),
    );
    expect(result.method).toBe('asymptotic');
    expectClose(result.statistic, 0.020500000000000074, 1e-9);
    expectClose(result.pValue, 0.02616240895044386, 1e-10);
  });

  it('refuses an empty sample', () => {
    expect(() => kolmogorovSmirnovTest([], [1])).toThrow(RangeError);
  });

  it('gives D in [0, 1], a p-value in [0, 1], and D = 0 with p = 1 for a sample against itself', () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, sample, (reference, current) => {
        const result = kolmogorovSmirnovTest(reference, current);
        const itself = kolmogorovSmirnovTest(reference, [...reference].reverse());
        return (
          result.statistic >= 0 &&
          result.statistic <= 1 &&
          result.pValue >= 0 &&
          result.pValue <= 1 &&
          itself.statistic === 0 &&
          itself.pValue === 1
        );
      }),
    );
  });

  it('is symmetric in its two samples', () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(sample, sample, (reference, current) => {
        const forward = kolmogorovSmirnovTest(reference, current);
        const backward = kolmogorovSmirnovTest(current, reference);
        return forward.statistic === backward.statistic && Math.abs(forward.pValue - backward.pValue) < 1e-12;
      }),
    );
  });
});

describe('kolmogorovSurvival (scipy.stats.kstwo.sf)', () => {
  it.each([
    [5, 0.15, 0.9988, 'Ruben–Gambino, n·x ≤ 1'],
    [5, 0.9, 1.9999999999999978e-5, 'Ruben–Gambino, n·x ≥ n − 1'],
    [10, 0.6, 0.0005681672000000003, 'x ≥ 0.5, twice the one-sided tail'],
    [50, 0.1, 0.6623112704658186, 'Durbin matrix, small n'],
    [50, 0.2, 0.03143877776953241, 'Durbin matrix, small n'],
    [50, 0.35, 5.573523514803185e-6, 'one-sided tail, small n'],
    [1000, 0.01, 0.9999496745370611, 'Durbin matrix, large n, small x'],
    [1000, 0.03, 0.3226902143914636, 'Pelz–Good'],
    [1000, 0.06, 0.001428597887952891, 'one-sided tail, large n'],
    [200_000, 0.002, 0.39995085369038097, 'Pelz–Good, very large n'],
    [5000, 0.05, 2.6523052328711187e-11, 'far tail'],
    [5143, 0.0187, 0.05412950863424992, 'one-sided tail near 0.05'],
  ])('P(D_%d ≥ %d) matches scipy (%s)', (n, x, expected) => {
    expectClose(kolmogorovSurvival(n, x), expected, 1e-10);
  });
});
