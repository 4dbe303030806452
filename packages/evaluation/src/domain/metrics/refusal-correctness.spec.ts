import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { refusalCorrectness } from './refusal-correctness.js';

describe('refusal_correctness appliesTo', () => {
  it('applies only to examples tagged as ones to refuse (case-insensitive)', () => {
    expect(refusalCorrectness.appliesTo(context({ example: { tags: ['Unanswerable'] } }))).toBe(true);
    expect(refusalCorrectness.appliesTo(context({ example: { tags: ['answerable'] } }))).toBe(false);
  });
});
