import { contextualRelevancyScore, decidedVerdicts } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { questionOf, refusalExpected, retrievedContexts } from './metric-context.js';
import { abstainedSuffix, checkVerdictCount, rejectedSuffix, share, yeses } from './verdict-reasons.js';

/**
 * DeepEval's contextual relevancy: the share of the statements of the retrieval context that are
 * relevant to the input, `idk` verdicts dropped; undefined (`null`) without statements. Applies to examples with a retrieval context that do not expect a refusal.
 */
export const contextualRelevancy: Metric<'contextual_relevancy'> = {
  descriptor: {
    name: 'contextual_relevancy',
    description:
      'share of the statements of the retrieval context that are relevant to the input (DeepEval); idk verdicts dropped, undefined without statements',
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
    if (statements.length === 0) return { score: null, reason: 'undefined: the retrieval context has no statements' };
    const { verdicts } = await context.judge({ kind: 'relevance', input: questionOf(context), statements });
    checkVerdictCount(verdicts, statements.length, 'statements');
    const decided = decidedVerdicts(verdicts).length;
    return {
      score: contextualRelevancyScore(verdicts),
      reason: `${share(yeses(verdicts), decided)} statements of the retrieval context are relevant to the input${abstainedSuffix(verdicts)}${rejectedSuffix(verdicts, 'irrelevant')}`,
    };
  },
};
