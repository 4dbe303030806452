import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { latency } from './latency.js';

describe('latency', () => {
  it('applies to every answered example and scores its milliseconds', async () => {
    expect(latency.appliesTo(context())).toBe(true);
    await expect(latency.score(context({ answer: { latencyMs: 12.6 } }))).resolves.toEqual({
      score: 12.6,
      reason: '13 ms',
    });
  });
});
