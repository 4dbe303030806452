import { judgeChallenger } from './challenger-verdict.js';
import type { MetricComparison } from './run-comparison.js';

/** A comparison of `metric` whose paired change is `delta` with the 95 % interval `[low, high]`. */
function comparison(
  metric: MetricComparison['metric'],
  delta: number,
  [low, high, higherIsBetter = true]: [number, number, boolean?],
): MetricComparison {
  const better = higherIsBetter ? low > 0 : high < 0;
  const worse = higherIsBetter ? high < 0 : low > 0;
  return {
    metric,
    higherIsBetter,
    meanA: 0.5,
    meanB: 0.5 + delta,
    pairs: 50,
    delta,
    interval: { low, high, level: 0.95 },
    verdict: better ? 'improved' : worse ? 'regressed' : 'unchanged',
  };
}

describe('judgeChallenger', () => {
  it('lets a challenger win that improves one gated metric and loses none beyond its interval, listing every drop', () => {
    const verdict = judgeChallenger(
      [
        {
          dataset: 'help',
          metrics: [
            comparison('contextual_relevancy', 0.35, [0.28, 0.43]),
            comparison('hit_rate_at_1', -0.01, [-0.04, 0]),
            comparison('recall_at_k', -0.03, [-0.06, -0.01]),
          ],
        },
        { dataset: 'manual', metrics: [comparison('latency', 12, [-40, 60, false])] },
      ],
      ['contextual_relevancy', 'hit_rate_at_1', 'latency', 'harmful_rate'],
    );
    expect(verdict.wins).toBe(true);
    expect(verdict.improved.map((entry) => [entry.dataset, entry.comparison.metric])).toEqual([
      ['help', 'contextual_relevancy'],
    ]);
    expect(
      verdict.worse.map((entry) => [entry.dataset, entry.comparison.metric, entry.gated, entry.significant]),
    ).toEqual([
      ['help', 'hit_rate_at_1', true, false],
      ['help', 'recall_at_k', false, true],
      ['manual', 'latency', true, false],
    ]);
    expect(verdict.unmeasured).toEqual(['harmful_rate']);
  });

  it('refuses a challenger with one gated metric worse beyond its interval on one dataset, however much it improves elsewhere', () => {
    const verdict = judgeChallenger(
      [
        { dataset: 'help', metrics: [comparison('contextual_relevancy', 0.35, [0.28, 0.43])] },
        { dataset: 'manual', metrics: [comparison('answer_rate', -0.1, [-0.15, -0.05])] },
      ],
      ['contextual_relevancy', 'answer_rate'],
    );
    expect(verdict.wins).toBe(false);
    expect(verdict.worse).toMatchObject([{ dataset: 'manual', gated: true, significant: true }]);
  });

  it('refuses a challenger that is merely no worse: winning needs one improvement beyond its interval', () => {
    const verdict = judgeChallenger(
      [{ dataset: 'help', metrics: [comparison('faithfulness', 0.01, [-0.02, 0.04])] }],
      ['faithfulness'],
    );
    expect(verdict.wins).toBe(false);
  });
});
