import type { MetricResult } from './example-result.js';
import {
  defaultExampleThreshold,
  exampleMetricThreshold,
  examplePassed,
  exampleThresholdsOfGate,
  metricPassed,
} from './example-verdict.js';
import { parseCriterion } from './gates.js';

const scored = (score: number | null, error?: string): MetricResult => ({
  score,
  reason: 'scripted',
  ...(error === undefined ? {} : { error }),
});

describe('an example passes a metric', () => {
  it('by the default rule without a gate: >= 0.5 for scores, <= 0 for harmful_rate, no verdict for ms', () => {
    expect(defaultExampleThreshold).toBe(0.5);
    expect(metricPassed('faithfulness', scored(0.5))).toBe(true);
    expect(metricPassed('faithfulness', scored(0.49))).toBe(false);
    expect(metricPassed('harmful_rate', scored(0))).toBe(true);
    expect(metricPassed('harmful_rate', scored(1))).toBe(false);
    expect(metricPassed('latency', scored(5_000))).toBeNull();
    expect(metricPassed('exact_match', scored(0))).toBeNull();
    expect(metricPassed('faithfulness', scored(null, 'judge timed out'))).toBe(false);
    expect(metricPassed('faithfulness', scored(null))).toBeNull();
  });

  it("by the gate's threshold and direction where the gate names the metric, the default elsewhere", () => {
    const thresholds = exampleThresholdsOfGate(
      [
        'faithfulness.min >= 0.6',
        'faithfulness.mean >= 0.7',
        'latency.p95 <= 2000',
        'harmful_rate.mean == 0',
        'answer_relevancy.mean > 0.8',
        'contextual_relevancy.mean != 0.3',
        'error_rate.mean <= 0.01',
      ].map(parseCriterion),
    );
    expect(thresholds).toEqual({
      byMetric: {
        faithfulness: { operator: '>=', value: 0.7 },
        latency: { operator: '<=', value: 2000 },
        harmful_rate: { operator: '<=', value: 0 },
        answer_relevancy: { operator: '>', value: 0.8 },
      },
      fallback: 0.5,
    });
    // faithfulness 0.65: passes the default 0.5, fails the gate's 0.7 (the mean criterion wins over min's 0.6).
    expect(metricPassed('faithfulness', scored(0.65), thresholds)).toBe(false);
    expect(metricPassed('faithfulness', scored(0.7), thresholds)).toBe(true);
    // latency is judged once a gate names it: 1,999 ms passes `<= 2000`, 2,001 ms fails.
    expect(metricPassed('latency', scored(1_999), thresholds)).toBe(true);
    expect(metricPassed('latency', scored(2_001), thresholds)).toBe(false);
    // `>` is strict: 0.8 fails `> 0.8`.
    expect(metricPassed('answer_relevancy', scored(0.8), thresholds)).toBe(false);
    // `!=` implies no per-example threshold: contextual_relevancy keeps the default 0.5.
    expect(exampleMetricThreshold('contextual_relevancy', thresholds)).toEqual({ operator: '>=', value: 0.5 });
    expect(metricPassed('contextual_relevancy', scored(0.3), thresholds)).toBe(false);
  });

  it('so an example passes when every judged metric passes, by the same rule', () => {
    const thresholds = exampleThresholdsOfGate([parseCriterion('faithfulness.mean >= 0.7')]);
    const example = { metrics: { faithfulness: scored(0.6), answer_relevancy: scored(0.9) } };
    expect(examplePassed(example)).toBe(true);
    expect(examplePassed(example, thresholds)).toBe(false);
    expect(examplePassed({ ...example, error: 'upstream_error' })).toBe(false);
    expect(examplePassed({ metrics: { latency: scored(100) } })).toBeNull();
  });
});
