import fc from 'fast-check';
import { buildDriftReport } from './drift-report.js';
import type { DriftFeature } from './feature-drift.js';
import { seededRandom } from './seeded-random.js';
import { sampleA, sampleB } from './__fixtures__/samples.js';

/** `size` draws of a normal variable (Box–Muller) from a seeded generator. */
function normal(options: { size: number; mean: number; deviation: number; seed: number }): number[] {
  const random = seededRandom(options.seed);
  return Array.from({ length: options.size }, () => {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    return options.mean + options.deviation * radius * Math.cos(2 * Math.PI * random());
  });
}

/** `size` labels drawn with the given weights from a seeded generator. */
function labels(options: { size: number; weights: Record<string, number>; seed: number }): string[] {
  const random = seededRandom(options.seed);
  const entries = Object.entries(options.weights);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  return Array.from({ length: options.size }, () => {
    let draw = random() * total;
    for (const [label, weight] of entries) {
      draw -= weight;
      if (draw < 0) return label;
    }
    return entries[entries.length - 1][0];
  });
}

const cacheWeights = { hit: 3, miss: 6, bypass: 1 };

describe('buildDriftReport', () => {
  it('chooses KS and chi-square for small references and reports their p-values', () => {
    const report = buildDriftReport(
      [
        { name: 'latency', kind: 'numeric', reference: sampleA, current: sampleB },
        {
          name: 'cache',
          kind: 'categorical',
          reference: labels({ size: 200, weights: cacheWeights, seed: 1 }),
          current: labels({ size: 200, weights: cacheWeights, seed: 2 }),
        },
      ],
      { minimumSampleSize: { numeric: 20 } },
    );
    const [latency, cache] = report.features;
    // scipy.stats.ks_2samp(sampleA, sampleB) → D 0.55, p 0.0014525582939974176
    expect(latency).toMatchObject({ method: 'kolmogorov_smirnov', statistic: 0.55, thresholdOn: 'p_value' });
    expect(latency.pValue).toBeCloseTo(0.0014525582939974176, 12);
    expect(latency.verdict).toBe('drift');
    expect(cache).toMatchObject({ method: 'chi_square', thresholdOn: 'p_value', threshold: 0.05, verdict: 'no_drift' });
    expect(report).toMatchObject({ testedFeatures: 2, driftedFeatures: 1, driftShare: 0.5, verdict: 'drift' });
  });

  it('chooses normalised Wasserstein and Jensen–Shannon above 1000 reference values', () => {
    const report = buildDriftReport([
      {
        name: 'tokens_in',
        kind: 'numeric',
        reference: normal({ size: 2000, mean: 300, deviation: 50, seed: 1 }),
        current: normal({ size: 2000, mean: 310, deviation: 50, seed: 2 }),
      },
      {
        name: 'cache',
        kind: 'categorical',
        reference: labels({ size: 2000, weights: cacheWeights, seed: 3 }),
        current: labels({ size: 2000, weights: { hit: 1, miss: 8, bypass: 1 }, seed: 4 }),
      },
    ]);
    const [tokens, cache] = report.features;
    expect(tokens).toMatchObject({ method: 'wasserstein', threshold: 0.1, pValue: null, verdict: 'drift' });
    // A shift of 10 on a deviation of 50 is about 0.2 reference standard deviations.
    expect(tokens.statistic).toBeGreaterThan(0.15);
    expect(tokens.statistic).toBeLessThan(0.25);
    expect(cache).toMatchObject({ method: 'jensen_shannon', threshold: 0.1, verdict: 'drift' });
    expect(report.verdict).toBe('drift');
  });

  it('tests a numeric feature with at most 5 distinct reference values as categorical', () => {
    const report = buildDriftReport([
      {
        name: 'citations',
        kind: 'numeric',
        reference: labels({ size: 300, weights: { 0: 1, 1: 2, 2: 2, 3: 1 }, seed: 5 }).map(Number),
        current: labels({ size: 300, weights: { 0: 1, 1: 2, 2: 2, 3: 1 }, seed: 6 }).map(Number),
      },
    ]);
    expect(report.features[0]).toMatchObject({ kind: 'numeric', method: 'chi_square', verdict: 'no_drift' });
  });

  it('honours a method the feature names, and ignores non-finite numbers', () => {
    const reference = [...normal({ size: 500, mean: 0, deviation: 1, seed: 7 }), Number.NaN, Infinity];
    const current = normal({ size: 500, mean: 1, deviation: 1, seed: 8 });
    const report = buildDriftReport([{ name: 'score', kind: 'numeric', reference, current, method: 'psi' }]);
    expect(report.features[0]).toMatchObject({ method: 'psi', referenceSize: 500, threshold: 0.1, verdict: 'drift' });
    expect(report.features[0].statistic).toBeGreaterThan(0.25);
  });

  it('says "insufficient", not drift, when a side has too few values, and leaves it out of the share', () => {
    const report = buildDriftReport([
      { name: 'latency', kind: 'numeric', reference: sampleA, current: sampleB },
      {
        name: 'refused',
        kind: 'categorical',
        reference: labels({ size: 100, weights: { true: 1, false: 9 }, seed: 9 }),
        current: labels({ size: 100, weights: { true: 1, false: 9 }, seed: 10 }),
      },
    ]);
    expect(report.features[0]).toMatchObject({ verdict: 'insufficient', method: null, statistic: null });
    expect(report.features[0].reason).toBe('needs at least 30 values on each side, has 24 reference and 20 current');
    expect(report).toMatchObject({ testedFeatures: 1, driftedFeatures: 0, driftShare: 0, verdict: 'no_drift' });
  });

  it('is "insufficient" overall when no feature could be tested', () => {
    const report = buildDriftReport([{ name: 'question', kind: 'text', reference: ['a', 'b'], current: ['c', 'd'] }]);
    expect(report).toMatchObject({ testedFeatures: 0, driftShare: null, verdict: 'insufficient' });
  });

  it('runs the domain classifier on text features', () => {
    const topics = [
      ['refund', 'invoice', 'payment', 'charge'],
      ['password', 'login', 'account', 'email'],
    ];
    const texts = (topic: string[], seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 120 }, () =>
        Array.from({ length: 5 }, () => topic[Math.floor(random() * topic.length)]).join(' '),
      );
    };
    const report = buildDriftReport([
      { name: 'question', kind: 'text', reference: texts(topics[0], 1), current: texts(topics[1], 2) },
    ]);
    expect(report.features[0]).toMatchObject({
      method: 'domain_classifier',
      thresholdOn: 'statistic',
      verdict: 'drift',
    });
  });

  it('never finds drift between a sample and itself', () => {
    const numeric = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 30, maxLength: 120 });
    const categorical = fc.array(fc.constantFrom('hit', 'miss', 'bypass'), { minLength: 30, maxLength: 120 });
    fc.assert(
      fc.property(numeric, categorical, (values, categories) => {
        const features: DriftFeature[] = [
          { name: 'n', kind: 'numeric', reference: values, current: [...values].reverse() },
          { name: 'c', kind: 'categorical', reference: categories, current: [...categories].reverse() },
        ];
        const report = buildDriftReport(features);
        return report.verdict === 'no_drift' && report.driftedFeatures === 0;
      }),
    );
  });
});
