import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { inputTokens } from './input-tokens.js';

describe('input_tokens', () => {
  it('applies when the target reported its usage', async () => {
    const usage = { inputTokens: 10, outputTokens: 4 };
    expect(inputTokens.appliesTo(context({ answer: { usage } }))).toBe(true);
    expect(inputTokens.appliesTo(context({ answer: { usage: null } }))).toBe(false);
    await expect(inputTokens.score(context({ answer: { usage } }))).resolves.toEqual({
      score: 10,
      reason: '10 input tokens',
    });
  });
});
