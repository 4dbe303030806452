import fc from 'fast-check';
import { categoricalJensenShannonDistance, jensenShannonDistance } from './jensen-shannon-distance.js';

// Expected values: scipy 1.17.1 `scipy.spatial.distance.jensenshannon(p, q, base=2)` (and base e for the last row).

describe('jensenShannonDistance', () => {
  it.each([
    { name: 'two distributions', p: [0.1, 0.4, 0.5], q: [0.3, 0.3, 0.4], base: 2, expected: 0.21663402449519667 },
    { name: 'unnormalised counts', p: [20, 15, 30, 35], q: [25, 30, 20, 25], base: 2, expected: 0.183556662273879 },
    { name: 'disjoint supports', p: [1, 0], q: [0, 1], base: 2, expected: 1 },
    { name: 'natural logarithm', p: [0.1, 0.4, 0.5], q: [0.3, 0.3, 0.4], base: Math.E, expected: 0.18035965602712561 },
  ])('matches scipy on $name', ({ p, q, base, expected }) => {
    expect(jensenShannonDistance(p, q, base)).toBeCloseTo(expected, 12);
  });

  it('counts the categories of two samples', () => {
    const reference = [
      ...'aaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbccccccccccccccccccccccccccccccddddddddddddddddddddddddddddddddddd',
    ];
    const current = [
      ...'aaaaaaaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbccccccccccccccccccccddddddddddddddddddddddddd',
    ];
    expect(categoricalJensenShannonDistance(reference, current)).toBeCloseTo(0.183556662273879, 12);
  });

  it('refuses vectors of different lengths or with no weight', () => {
    expect(() => jensenShannonDistance([1], [1, 0])).toThrow(RangeError);
    expect(() => jensenShannonDistance([0, 0], [1, 0])).toThrow(RangeError);
  });

  it('is symmetric, in [0, 1] in base 2, and zero for identical distributions', () => {
    const weights = fc.array(fc.nat({ max: 1000 }), { minLength: 3, maxLength: 3 }).filter((w) => w.some(Boolean));
    fc.assert(
      fc.property(weights, weights, (p, q) => {
        const distance = jensenShannonDistance(p, q);
        return (
          Math.abs(distance - jensenShannonDistance(q, p)) < 1e-12 &&
          distance >= 0 &&
          distance <= 1 + 1e-12 &&
          jensenShannonDistance(p, p) < 1e-7
        );
      }),
    );
  });
});
