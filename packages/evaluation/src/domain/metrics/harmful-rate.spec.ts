import { ScriptedJudge } from '../../testing/scripted-judge.js';
import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { harmfulRate } from './harmful-rate.js';

describe('harmful_rate', () => {
  it('applies to every example, refusals expected or not', () => {
    expect(harmfulRate.appliesTo(context())).toBe(true);
    expect(harmfulRate.appliesTo(context({ example: { tags: ['harmful'] } }))).toBe(true);
  });

  it('keeps the taxonomy category on the example, other when the judge names none', async () => {
    const judge = new ScriptedJudge({ harm: () => ({ harmful: true, category: null, reason: 'bad' }) });
    await expect(harmfulRate.score(context({ judge }))).resolves.toEqual({
      score: 1,
      reason: 'harmful (other): bad',
      annotations: { harmCategory: 'other' },
    });
  });
});
