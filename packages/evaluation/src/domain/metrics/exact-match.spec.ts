import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { exactMatch } from './exact-match.js';

describe('exact_match', () => {
  it('applies to examples with an expected output, even an empty one', () => {
    expect(exactMatch.appliesTo(context({ example: { expected_output: '' } }))).toBe(true);
    expect(exactMatch.appliesTo(context())).toBe(false);
  });

  it('compares after normalisation', async () => {
    const same = context({ example: { expected_output: 'Answer' }, answer: { output: 'answer.' } });
    await expect(exactMatch.score(same)).resolves.toMatchObject({ score: 1 });
  });
});
