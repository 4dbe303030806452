import fc from 'fast-check';
import { populationStabilityIndex, populationStabilityLevel } from './population-stability-index.js';
import { modularSequence, sampleA, sampleB, tiedC, tiedD } from './__fixtures__/samples.js';

// scipy has no PSI; the expected values were computed with numpy 2.4.6 by the same definition, on the inputs of
// __fixtures__/samples.ts:
//   edges = numpy.unique(numpy.quantile(reference, [0.1, …, 0.9]))
//   shares = numpy.bincount(numpy.searchsorted(edges, sample, side="left"), minlength=len(edges) + 1) / len(sample)
//   shares[shares == 0] = 1e-4;  psi = sum((current − reference) · ln(current / reference))

describe('populationStabilityIndex', () => {
  it('matches numpy on shifted samples of 24 and 20, with the reference deciles as edges', () => {
    const result = populationStabilityIndex(sampleA, sampleB);
    expect(result.statistic).toBeCloseTo(3.5065515160593477, 12);
    expect(result.edges.map((edge) => Number(edge.toFixed(12)))).toEqual([
      -0.796, -0.628, -0.466, 0.052, 0.33, 0.486, 0.613, 1.066, 1.541,
    ]);
    expect(result.level).toBe('significant');
  });

  it('matches numpy on samples of 200 and 300', () => {
    const result = populationStabilityIndex(
      modularSequence({ size: 200, multiplier: 7919, modulus: 10007 }),
      modularSequence({ size: 300, multiplier: 104729, modulus: 10009, shift: 0.1 }),
    );
    expect(result.statistic).toBeCloseTo(0.27199447639136165, 12);
  });

  it('merges repeated edges of a discrete feature and matches numpy', () => {
    const result = populationStabilityIndex(tiedC, tiedD);
    expect(result.edges.map((edge) => Number(edge.toFixed(12)))).toEqual([1.9, 2, 2.7, 3, 3.4, 4, 4.2, 5]);
    expect(result.statistic).toBeCloseTo(2.3599128937104052, 12);
  });

  it('reads the customary thresholds 0.1 and 0.25', () => {
    expect([0.05, 0.1, 0.2, 0.25, 1].map(populationStabilityLevel)).toEqual([
      'stable',
      'moderate',
      'moderate',
      'significant',
      'significant',
    ]);
  });

  it('is zero for a sample against itself and never negative', () => {
    const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(sample, sample, (reference, current) => {
        return (
          populationStabilityIndex(reference, reference).statistic === 0 &&
          populationStabilityIndex(reference, current).statistic >= 0
        );
      }),
    );
  });
});
