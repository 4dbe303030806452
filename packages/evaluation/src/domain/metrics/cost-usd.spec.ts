import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { costUsd } from './cost-usd.js';

describe('cost_usd', () => {
  it('applies when the call could be priced, a free call included', async () => {
    expect(costUsd.appliesTo(context({ answer: { costUsd: 0 } }))).toBe(true);
    expect(costUsd.appliesTo(context({ answer: { costUsd: null } }))).toBe(false);
    await expect(costUsd.score(context({ answer: { costUsd: 0.0012 } }))).resolves.toEqual({
      score: 0.0012,
      reason: '$0.001200',
    });
  });
});
