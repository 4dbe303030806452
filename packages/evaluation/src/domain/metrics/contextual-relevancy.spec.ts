import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { contextualRelevancy } from './contextual-relevancy.js';

describe('contextual_relevancy appliesTo', () => {
  it('applies to examples with a retrieval context that do not expect a refusal', () => {
    expect(contextualRelevancy.appliesTo(context({ answer: { retrievalContext: ['passage'] } }))).toBe(true);
    expect(contextualRelevancy.appliesTo(context({ answer: { retrievalContext: [] } }))).toBe(false);
    const unanswerable = context({ example: { tags: ['unanswerable'] }, answer: { retrievalContext: ['passage'] } });
    expect(contextualRelevancy.appliesTo(unanswerable)).toBe(false);
  });
});
