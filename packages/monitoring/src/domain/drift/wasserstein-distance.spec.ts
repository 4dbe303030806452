import fc from 'fast-check';
import { normalizedWassersteinDistance, wassersteinDistance } from './wasserstein-distance.js';
import { sampleA, sampleB, tiedC, tiedD } from './__fixtures__/samples.js';

// Expected values: scipy 1.17.1 `scipy.stats.wasserstein_distance(u, v)` and numpy 2.4.6 `numpy.std(u)`,
// on the inputs of __fixtures__/samples.ts.

describe('wassersteinDistance', () => {
  it.each([
    { name: 'disjoint samples', reference: [0, 1, 3], current: [5, 6, 8], expected: 5 },
    { name: 'shifted samples of 24 and 20', reference: sampleA, current: sampleB, expected: 1.0720833333333333 },
    { name: 'tied integers', reference: tiedC, current: tiedD, expected: 1 },
  ])('matches scipy on $name', ({ reference, current, expected }) => {
    expect(wassersteinDistance(reference, current)).toBeCloseTo(expected, 12);
  });

  it('divides by the reference standard deviation as Evidently does', () => {
    // numpy.std(sampleA) = 0.9775627821554764
    expect(normalizedWassersteinDistance(sampleA, sampleB)).toBeCloseTo(1.0720833333333333 / 0.9775627821554764, 12);
  });

  it('floors the norm at 0.001 for a constant reference', () => {
    expect(normalizedWassersteinDistance([2, 2, 2], [2, 2, 3])).toBeCloseTo(1 / 3 / 0.001, 9);
  });

  it('refuses an empty sample', () => {
    expect(() => wassersteinDistance([1], [])).toThrow(RangeError);
  });

  it('is zero for a sample against itself, symmetric, and equals a constant shift', () => {
    const sample = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, sample, fc.integer({ min: -50, max: 50 }), (reference, current, shift) => {
        const forward = wassersteinDistance(reference, current);
        return (
          wassersteinDistance(reference, [...reference].reverse()) === 0 &&
          Math.abs(forward - wassersteinDistance(current, reference)) < 1e-9 &&
          Math.abs(
            wassersteinDistance(
              reference,
              reference.map((value) => value + shift),
            ) - Math.abs(shift),
          ) < 1e-9
        );
      }),
    );
  });
});
