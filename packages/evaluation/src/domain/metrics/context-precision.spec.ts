import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { contextPrecision } from './context-precision.js';

describe('context_precision appliesTo', () => {
  it('applies to examples with reference contexts, and scores 0 without asking the judge when nothing was retrieved', async () => {
    const withReference = context({ example: { reference_contexts: ['ground truth'] } });
    expect(contextPrecision.appliesTo(withReference)).toBe(true);
    expect(contextPrecision.appliesTo(context({ answer: { retrievalContext: ['passage'] } }))).toBe(false);
    await expect(contextPrecision.score(withReference)).resolves.toEqual({ score: 0, reason: 'nothing was retrieved' });
  });
});
