import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { outputTokens } from './output-tokens.js';

describe('output_tokens', () => {
  it('applies when the target reported its usage', async () => {
    const usage = { inputTokens: 10, outputTokens: 4 };
    expect(outputTokens.appliesTo(context({ answer: { usage } }))).toBe(true);
    expect(outputTokens.appliesTo(context())).toBe(false);
    await expect(outputTokens.score(context({ answer: { usage } }))).resolves.toEqual({
      score: 4,
      reason: '4 output tokens',
    });
  });
});
