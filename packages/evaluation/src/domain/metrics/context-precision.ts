import { contextPrecisionScore, decidedVerdicts } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { questionOf, referenceAnswer, referenceContexts, retrievedContexts } from './metric-context.js';
import { abstainedSuffix, checkVerdictCount } from './verdict-reasons.js';

/**
 * DeepEval's contextual precision (Ragas's context precision@K): are the useful contexts ranked first.
 * `idk` verdicts are dropped (their contexts leave the ranking), as DeepEval's judge only says yes or
 * no. Applies to examples with `reference_contexts`; 0 when nothing was retrieved, undefined (`null`)
 * when the judge abstained on every context.
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
    const decided = decidedVerdicts(verdicts);
    const ranks = decided.flatMap((verdict, index) => (verdict.verdict === 'yes' ? [index + 1] : []));
    const score = contextPrecisionScore(verdicts);
    if (score === null)
      return { score, reason: `undefined: the judge could not tell for any of the ${contexts.length} contexts` };
    return {
      score,
      reason:
        (ranks.length === 0
          ? `none of the ${decided.length} judged contexts is useful for the reference`
          : `useful contexts at rank ${ranks.join(', ')} of ${decided.length}`) + abstainedSuffix(verdicts),
    };
  },
};
