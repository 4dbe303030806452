import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { contextRecall } from './context-recall.js';

describe('context_recall appliesTo', () => {
  it('applies to examples with reference contexts only', () => {
    expect(contextRecall.appliesTo(context({ example: { reference_contexts: ['ground truth'] } }))).toBe(true);
    expect(contextRecall.appliesTo(context({ example: { expected_output: 'answer.' } }))).toBe(false);
  });
});
