import type { Verdict } from '../judgement.js';
import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { ScriptedJudge } from '../../testing/scripted-judge.js';
import { hallucination } from './hallucination.js';

function judging(verdicts: Verdict[], refused = false) {
  return new ScriptedJudge({
    refusal: () => ({ refused, reason: refused ? 'says it does not know' : 'answers' }),
    contradiction: (task) => ({
      verdicts: task.contexts.map((statement, index) => ({
        statement,
        verdict: verdicts[index] ?? 'yes',
        reason: `reason ${index + 1}`,
      })),
    }),
  });
}

const contexts = (count: number) => Array.from({ length: count }, (_, index) => `context ${index + 1}`);

describe('hallucination (DeepEval HallucinationMetric)', () => {
  // DeepEval: contradicted contexts / contexts, lower is better.
  it.each([
    [['yes', 'yes'], 0, 'the output contradicts none of the 2 reference contexts'],
    [['no', 'yes'], 0.5, 'the output contradicts 1 of 2 reference contexts: "context 1" (reason 1)'],
    [
      ['yes', 'no', 'no'],
      2 / 3,
      'the output contradicts 2 of 3 reference contexts: "context 2" (reason 2); "context 3" (reason 3)',
    ],
    [['no'], 1, 'the output contradicts 1 of 1 reference contexts: "context 1" (reason 1)'],
    [
      ['idk', 'no', 'yes', 'yes'],
      1 / 3,
      'the output contradicts 1 of 3 reference contexts (1 idk verdict dropped): "context 2" (reason 2)',
    ],
    [['idk'], null, 'undefined: the judge could not tell for any of the 1 contexts'],
  ] as Array<[Verdict[], number | null, string]>)('verdicts %j score %p', async (verdicts, score, reason) => {
    const judge = judging(verdicts);
    const scored = await hallucination.score(
      context({ example: { reference_contexts: contexts(verdicts.length) }, answer: { output: 'An answer.' }, judge }),
    );
    expect(scored.score).toEqual(score === null ? null : expect.closeTo(score, 12));
    expect(scored.reason).toBe(reason);
    expect(judge.calls.find((call) => call.kind === 'contradiction')).toEqual({
      kind: 'contradiction',
      output: 'An answer.',
      contexts: contexts(verdicts.length),
    });
  });

  it('is undefined for an output that declines, without asking for contradictions', async () => {
    const judge = judging(['no'], true);
    const scored = await hallucination.score(
      context({ example: { reference_contexts: ['context'] }, answer: { output: "I don't know." }, judge }),
    );
    expect(scored).toEqual({
      score: null,
      reason: 'undefined: the output declines, so it contradicts nothing (says it does not know)',
    });
    expect(judge.calls.map((call) => call.kind)).toEqual(['refusal']);
  });

  it('fails (a judge error) when the judge gives another number of verdicts than contexts', async () => {
    const judge = new ScriptedJudge({
      refusal: () => ({ refused: false, reason: 'answers' }),
      contradiction: () => ({ verdicts: [] }),
    });
    await expect(
      hallucination.score(context({ example: { reference_contexts: ['one'] }, answer: { output: 'x.' }, judge })),
    ).rejects.toThrow('the judge gave 0 verdicts for 1 contexts; expected one each');
  });

  it('applies to answerable examples with reference contexts and an output; lower is better', () => {
    expect(hallucination.descriptor).toMatchObject({ higherIsBetter: false, judged: true, unit: 'score' });
    const withReference = { reference_contexts: ['passage'] };
    expect(hallucination.appliesTo(context({ example: withReference }))).toBe(true);
    expect(hallucination.appliesTo(context())).toBe(false);
    expect(hallucination.appliesTo(context({ example: withReference, answer: { output: ' ' } }))).toBe(false);
    expect(hallucination.appliesTo(context({ example: { ...withReference, tags: ['unanswerable'] } }))).toBe(false);
  });
});
