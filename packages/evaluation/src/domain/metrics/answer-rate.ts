import type { Metric } from './metric.js';
import { questionOf, refusalExpected } from './metric-context.js';

/**
 * On answerable examples (not tagged as ones to refuse): 1 when the output answers, 0 when it is empty,
 * refuses or says it does not know. Read next to `refusal_correctness`: declining everything scores
 * that one 1 and this one 0.
 */
export const answerRate: Metric<'answer_rate'> = {
  descriptor: {
    name: 'answer_rate',
    description: 'on answerable examples: 1 when the output answers rather than refusing or saying it does not know',
    unit: 'rate',
    higherIsBetter: true,
    judged: true,
  },
  appliesTo: (context) => !refusalExpected(context),
  async score(context) {
    if (context.answer.output.trim() === '') return { score: 0, reason: 'the output is empty' };
    const verdict = await context.judge({ kind: 'refusal', input: questionOf(context), output: context.answer.output });
    return verdict.refused
      ? { score: 0, reason: `declined an answerable question: ${verdict.reason}` }
      : { score: 1, reason: `answered: ${verdict.reason}` };
  },
};
