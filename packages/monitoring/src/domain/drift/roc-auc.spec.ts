import { randomClassifierAucPercentile95, rocAuc } from './roc-auc.js';

describe('rocAuc', () => {
  it('matches scipy with ties across classes', () => {
    // scipy 1.17.1: scipy.stats.mannwhitneyu(positives, negatives).statistic / (5 · 6) = 0.6333333333333333
    expect(rocAuc([0.9, 0.5, 0.45, 0.7, 0.3], [0.1, 0.4, 0.35, 0.8, 0.5, 0.5])).toBeCloseTo(0.6333333333333333, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, 1/2 when every score ties', () => {
    expect(rocAuc([3, 4], [1, 2])).toBe(1);
    expect(rocAuc([1, 2], [3, 4])).toBe(0);
    expect(rocAuc([1, 1], [1, 1, 1])).toBe(0.5);
  });

  it('refuses an empty class', () => {
    expect(() => rocAuc([], [1])).toThrow(RangeError);
  });
});

describe('randomClassifierAucPercentile95', () => {
  it('agrees with the 95th percentile of simulated random classifiers', () => {
    // numpy 2.4.6, 5,000 uniform random scorings (default_rng(42)), AUC by scipy's mannwhitneyu:
    // 50 vs 50 → 0.5936, 200 vs 300 → 0.54267, 500 vs 500 → 0.5292074
    expect(randomClassifierAucPercentile95(50, 50)).toBeCloseTo(0.5936, 2);
    expect(randomClassifierAucPercentile95(300, 200)).toBeCloseTo(0.54267, 2);
    expect(randomClassifierAucPercentile95(500, 500)).toBeCloseTo(0.5292074, 2);
  });
});
