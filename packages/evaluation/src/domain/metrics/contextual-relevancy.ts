import { contextualRelevancyScore } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { questionOf, refusalExpected, retrievedContexts } from './metric-context.js';
import { checkVerdictCount, rejectedSuffix, share, yeses } from './verdict-reasons.js';

/**
 * DeepEval's contextual relevancy: the share of the statements of the retrieval context that are
 * relevant to the input. Applies to examples with a retrieval context that do not expect a refusal.
 */
export const contextualRelevancy: Metric<'contextual_relevancy'> = {
  descriptor: {
    name: 'contextual_relevancy',
    description:
      'share of the statements of the retrieval context that are relevant to the input (DeepEval); 0 without statements',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  appliesTo: (context) => !refusalExpected(context) && retrievedContexts(context).length > 0,
  async score(context) {
    const extracted = await Promise.all(
      retrievedContexts(context).map((text) => context.judge({ kind: 'statements', text, purpose: 'statements' })),
    );
    const statements = extracted.flatMap((item) => item.statements);
    if (statements.length === 0) return { score: 0, reason: 'the retrieval context has no statements' };
    const { verdicts } = await context.judge({ kind: 'relevance', input: questionOf(context), statements });
    checkVerdictCount(verdicts, statements.length, 'statements');
    return {
      score: contextualRelevancyScore(verdicts),
      reason: `${share(yeses(verdicts), statements.length)} statements of the retrieval context are relevant to the input${rejectedSuffix(verdicts, 'irrelevant')}`,
    };
  },
};
