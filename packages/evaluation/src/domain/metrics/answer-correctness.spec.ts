import type { Embedder } from '@llmops/kernel';
import type { CorrectnessClassification, Verdict } from '../judgement.js';
import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { ScriptedJudge } from '../../testing/scripted-judge.js';
import { tokenF1 } from '../text-normalization.js';
import { answerCorrectness } from './answer-correctness.js';

/** An embedder whose output and expected output vectors have the given cosine. */
function embedderWithCosine(cosine: number): Embedder {
  return {
    provider: 'fixed',
    modelId: 'cosine',
    embed: async () => ({
      embeddings: [
        [1, 0],
        [cosine, Math.sqrt(1 - cosine * cosine)],
      ],
      usage: { prompt_tokens: 0, total_tokens: 0 },
    }),
  };
}

function classified(basis: CorrectnessClassification['basis'], output: Verdict[], reference: Verdict[]) {
  const items = (verdicts: Verdict[], side: string) =>
    verdicts.map((verdict, index) => ({ statement: `${side} ${index + 1}`, verdict, reason: `${side} reason` }));
  return new ScriptedJudge({
    correctness: () => ({ basis, output: items(output, 'answer'), reference: items(reference, 'reference') }),
  });
}

const example = {
  input: 'Where and when was Einstein born?',
  expected_output: 'Einstein was born in 1879 in Germany.',
};

describe('answer_correctness', () => {
  it.each([
    ['The Team plan costs $8.', 'Team plan costs $8', 1], // case, punctuation and articles do not count
    ['costs 8 dollars per user', 'the plan costs 8 per user per month', (2 * (4 / 5) * (4 / 7)) / (4 / 5 + 4 / 7)],
    ['per per', 'per', (2 * 0.5 * 1) / 1.5], // shared tokens counted with multiplicity
    ['nothing in common', 'entirely different', 0],
    ['', 'an answer', 0],
    ['a the', 'an', 1], // both empty after normalisation
  ])('SQuAD token F1(%p, %p) = %p', (output, expected, f1) => {
    expect(tokenF1(output, expected)).toBeCloseTo(f1, 12);
  });

  // Ragas's documentation example, hand-computed: TP "born in 1879", FP "born in Spain", FN "born in Germany".
  it.each([
    [1, 0.75 * 0.5 + 0.25 * 1],
    [0.6, 0.75 * 0.5 + 0.25 * 0.6],
    [0, 0.75 * 0.5],
  ])(
    'with statements (an LLM judge) is 0.75 × factual F1 0.5 + 0.25 × similarity %p = %p (Ragas)',
    async (cosine, expected) => {
      const scored = await answerCorrectness.score(
        context({
          example,
          answer: { output: 'Einstein was born in Spain in 1879.' },
          judge: classified('statements', ['yes', 'no'], ['yes', 'no']),
          embedder: embedderWithCosine(cosine),
        }),
      );
      expect(scored.score).toBeCloseTo(expected, 12);
      expect(scored.reason).toMatch(
        /^Ragas answer correctness: 0\.75 × factual F1 0\.500 \(statements: TP 1, FP 1, FN 1\) \+ 0\.25 × similarity \d\.\d{3} \(fixed\/cosine\); not supported by the expected output: "answer 2" \(answer reason\); missing from the output: "reference 2" \(reference reason\)$/,
      );
    },
  );

  it('with tokens (the offline judge) is the factual F1 alone, which is SQuAD token F1, and says so', async () => {
    const scored = await answerCorrectness.score(
      context({
        example,
        answer: { output: 'born in Spain' },
        // 2 of 3 output tokens shared, 2 of 6 reference tokens found: 2 / (2 + 0.5 × (1 + 4)) = 4 / 9
        judge: classified('tokens', ['yes', 'yes', 'no'], ['no', 'no', 'yes', 'no', 'yes', 'no']),
        embedder: embedderWithCosine(1),
      }),
    );
    expect(scored.score).toBeCloseTo(4 / 9, 12);
    expect(scored.reason).toBe(
      'token F1 0.444 against the expected output (SQuAD tokens: 2 shared, 1 only in the output, 4 only in the expected output)',
    );
  });

  it('scores an empty output 0 without asking the judge', async () => {
    const judge = classified('statements', [], []);
    const scored = await answerCorrectness.score(context({ example, answer: { output: '  ' }, judge }));
    expect(scored).toEqual({ score: 0, reason: 'the output is empty' });
    expect(judge.calls).toHaveLength(0);
  });

  it('applies to answerable examples with a non-empty expected output, and is judged', () => {
    expect(answerCorrectness.descriptor.judged).toBe(true);
    expect(answerCorrectness.appliesTo(context({ example: { expected_output: 'x' } }))).toBe(true);
    expect(answerCorrectness.appliesTo(context({ example: { expected_output: ' ' } }))).toBe(false);
    expect(answerCorrectness.appliesTo(context({ example: { expected_output: 'x', tags: ['unanswerable'] } }))).toBe(
      false,
    );
  });
});
