import { answerRelevancyScore } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { questionOf, refusalExpected } from './metric-context.js';
import { checkVerdictCount, notNo, rejectedSuffix, share } from './verdict-reasons.js';

/**
 * DeepEval's answer relevancy: the share of the statements of the output that are relevant to the
 * input; undefined (`null`) when the output makes no statements. Applies to examples that do not expect a refusal.
 */
export const answerRelevancy: Metric<'answer_relevancy'> = {
  descriptor: {
    name: 'answer_relevancy',
    description:
      'share of the statements of the output that are relevant to the input (DeepEval); undefined without statements',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  appliesTo: (context) => !refusalExpected(context),
  async score(context) {
    const { statements } = await context.judge({
      kind: 'statements',
      text: context.answer.output,
      purpose: 'statements',
    });
    if (statements.length === 0) return { score: null, reason: 'undefined: the output makes no statements' };
    const { verdicts } = await context.judge({ kind: 'relevance', input: questionOf(context), statements });
    checkVerdictCount(verdicts, statements.length, 'statements');
    return {
      score: answerRelevancyScore(verdicts),
      reason: `${share(notNo(verdicts), statements.length)} statements of the output are relevant to the input${rejectedSuffix(verdicts, 'irrelevant')}`,
    };
  },
};
