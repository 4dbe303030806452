import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { faithfulness } from './faithfulness.js';

describe('faithfulness appliesTo', () => {
  it('applies to examples with a retrieval context and an output, refusals expected or not', () => {
    const retrieved = { retrievalContext: ['passage'] };
    expect(faithfulness.appliesTo(context({ answer: retrieved, example: { tags: ['unanswerable'] } }))).toBe(true);
    expect(faithfulness.appliesTo(context({ answer: { ...retrieved, output: '  ' } }))).toBe(false);
    expect(faithfulness.appliesTo(context())).toBe(false);
  });
});
