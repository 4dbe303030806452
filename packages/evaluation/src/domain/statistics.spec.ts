import { areaUnderRoc, bootstrapMeanInterval, mean, percentile, seededRandom } from './statistics.js';

describe('statistics', () => {
  it('computes percentiles by linear interpolation between closest ranks (NumPy default)', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 95)).toBeCloseTo(48, 10);
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile(values, 101)).toThrow('percentile 101 is outside [0, 100]');
  });

  it('means and seeded randomness are reproducible', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([])).toBeNull();
    const first = seededRandom(42);
    const second = seededRandom(42);
    const sequence = [first(), first(), first()];
    expect([second(), second(), second()]).toEqual(sequence);
    expect(sequence.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(sequence[0]);
  });

  it('bootstraps a confidence interval of the mean that holds the mean and narrows with more data', () => {
    const small = [0.2, 0.4, 0.6, 0.8, 1];
    const interval = bootstrapMeanInterval(small, { resamples: 4000, seed: 1 });
    expect(interval?.level).toBe(0.95);
    expect(interval?.low).toBeLessThan(0.6);
    expect(interval?.high).toBeGreaterThan(0.6);
    expect(interval?.low).toBeGreaterThanOrEqual(0.2);
    const large = Array.from({ length: 500 }, (_, index) => small[index % 5] as number);
    const narrow = bootstrapMeanInterval(large, { resamples: 4000, seed: 1 });
    expect((narrow?.high ?? 0) - (narrow?.low ?? 0)).toBeLessThan(((interval?.high ?? 0) - (interval?.low ?? 0)) / 4);
    expect(bootstrapMeanInterval(small, { seed: 9 })).toEqual(bootstrapMeanInterval(small, { seed: 9 }));
    expect(bootstrapMeanInterval([])).toBeNull();
    expect(bootstrapMeanInterval([3, 3, 3])).toEqual({ low: 3, high: 3, level: 0.95 });
  });

  it('measures the area under the ROC curve, ties counting one half', () => {
    const sample = (score: number, positive: boolean) => ({ score, positive });
    expect(areaUnderRoc([sample(0.9, true), sample(0.8, true), sample(0.1, false)])).toBe(1);
    expect(areaUnderRoc([sample(0.1, true), sample(0.9, false)])).toBe(0);
    expect(areaUnderRoc([sample(0.5, true), sample(0.5, false)])).toBe(0.5);
    // Positives 0.8, 0.4; negatives 0.6, 0.2: pairs won 1 + 1 + 0 + 1 = 3 of 4.
    expect(areaUnderRoc([sample(0.8, true), sample(0.4, true), sample(0.6, false), sample(0.2, false)])).toBe(0.75);
    expect(areaUnderRoc([sample(0.8, true)])).toBeNull();
  });
});
