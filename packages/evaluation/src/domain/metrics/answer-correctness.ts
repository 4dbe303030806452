import { tokenF1 } from '../text-normalization.js';
import type { Metric } from './metric.js';
import { refusalExpected } from './metric-context.js';

/**
 * Answer correctness against the example's `expected_output`: SQuAD's token F1 (lower case,
 * punctuation and articles removed). Deterministic, no judge. Applies to examples with a non-empty
 * expected output that do not expect a refusal.
 */
export const answerCorrectness: Metric<'answer_correctness'> = {
  descriptor: {
    name: 'answer_correctness',
    description:
      'token F1 of the output against the expected output (SQuAD normalisation: case, punctuation, articles)',
    unit: 'score',
    higherIsBetter: true,
    judged: false,
  },
  appliesTo: (context) => !refusalExpected(context) && (context.example.expected_output ?? '').trim() !== '',
  async score(context) {
    const value = tokenF1(context.answer.output, context.example.expected_output ?? '');
    return { score: value, reason: `token F1 ${value.toFixed(3)} against the expected output` };
  },
};
