import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { similarity } from './similarity.js';

describe('similarity', () => {
  it('applies to examples with an expected output', () => {
    expect(similarity.appliesTo(context({ example: { expected_output: 'answer.' } }))).toBe(true);
    expect(similarity.appliesTo(context())).toBe(false);
  });

  it('scores identical texts 1, naming the embedder', async () => {
    const same = context({
      example: { expected_output: 'refunds take five days' },
      answer: { output: 'refunds take five days' },
    });
    const scored = await similarity.score(same);
    expect(scored.score).toBeCloseTo(1);
    expect(scored.reason).toMatch(/^cosine similarity 1\.000 \(/);
  });
});
