import { contextPrecisionScore } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { questionOf, referenceAnswer, referenceContexts, retrievedContexts } from './metric-context.js';
import { checkVerdictCount } from './verdict-reasons.js';

/**
 * Ragas's context precision@K: are the useful contexts ranked first. Applies to examples with
 * `reference_contexts`; 0 when nothing was retrieved.
 */
export const contextPrecision: Metric<'context_precision'> = {
  descriptor: {
    name: 'context_precision',
    description: 'Ragas context precision@K: mean of precision@k over the ranks k of useful contexts',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  appliesTo: (context) => referenceContexts(context).length > 0,
  async score(context) {
    const contexts = retrievedContexts(context);
    if (contexts.length === 0) return { score: 0, reason: 'nothing was retrieved' };
    const { verdicts } = await context.judge({
      kind: 'usefulness',
      input: questionOf(context),
      reference: referenceAnswer(context),
      contexts,
    });
    checkVerdictCount(verdicts, contexts.length, 'contexts');
    const ranks = verdicts.flatMap((verdict, index) => (verdict.verdict === 'yes' ? [index + 1] : []));
    return {
      score: contextPrecisionScore(verdicts),
      reason:
        ranks.length === 0
          ? `none of the ${contexts.length} retrieved contexts is useful for the reference`
          : `useful contexts at rank ${ranks.join(', ')} of ${contexts.length}`,
    };
  },
};
