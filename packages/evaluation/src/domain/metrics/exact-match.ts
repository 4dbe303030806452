import { answersMatch } from '../text-normalization.js';
import type { Metric } from './metric.js';
import { hasExpectedOutput } from './metric-context.js';

/** 1 when the output equals the expected output after normalisation; on examples with an `expected_output`. */
export const exactMatch: Metric<'exact_match'> = {
  descriptor: {
    name: 'exact_match',
    description: 'output equals the expected output after normalisation (case, punctuation, whitespace, citations)',
    unit: 'score',
    higherIsBetter: true,
    judged: false,
    informational: true,
  },
  appliesTo: hasExpectedOutput,
  async score(context) {
    const match = answersMatch(context.answer.output, context.example.expected_output ?? '');
    return {
      score: match ? 1 : 0,
      reason: match ? 'the output equals the expected output' : 'the output differs from the expected output',
    };
  },
};
