import { contextRecallScore, decidedVerdicts } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { referenceAnswer, referenceContexts, retrievedContexts } from './metric-context.js';
import { abstainedSuffix, checkVerdictCount, rejectedSuffix, share, yeses } from './verdict-reasons.js';

/**
 * DeepEval's contextual recall (Ragas's context recall): the share of the claims of the reference the
 * retrieval context supports, `idk` verdicts dropped. Applies to examples with `reference_contexts`;
 * undefined (`null`) when the reference makes no claims (DeepEval says 0, Ragas NaN).
 */
export const contextRecall: Metric<'context_recall'> = {
  descriptor: {
    name: 'context_recall',
    description:
      'share of the claims of the reference supported by the retrieval context (DeepEval, Ragas); idk dropped, undefined without claims',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  appliesTo: (context) => referenceContexts(context).length > 0,
  async score(context) {
    const { statements: claims } = await context.judge({
      kind: 'statements',
      text: referenceAnswer(context),
      purpose: 'claims',
    });
    if (claims.length === 0) return { score: null, reason: 'undefined: the reference makes no claims' };
    const contexts = retrievedContexts(context);
    if (contexts.length === 0)
      return { score: 0, reason: `nothing was retrieved; 0 of ${claims.length} claims of the reference are supported` };
    const { verdicts } = await context.judge({ kind: 'support', claims, contexts });
    checkVerdictCount(verdicts, claims.length, 'claims');
    const score = contextRecallScore(verdicts);
    if (score === null)
      return { score, reason: `undefined: the judge could not tell for any of the ${claims.length} claims` };
    return {
      score,
      reason: `${share(yeses(verdicts), decidedVerdicts(verdicts).length)} claims of the reference are supported by the retrieval context${abstainedSuffix(verdicts)}${rejectedSuffix(verdicts, 'missing')}`,
    };
  },
};
