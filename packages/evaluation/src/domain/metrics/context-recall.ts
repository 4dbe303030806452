import { contextRecallScore } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { referenceAnswer, referenceContexts, retrievedContexts } from './metric-context.js';
import { checkVerdictCount, rejectedSuffix, share, yeses } from './verdict-reasons.js';

/**
 * Ragas's context recall: the share of the claims of the reference the retrieval context supports.
 * Applies to examples with `reference_contexts`; 1 when the reference makes no claims.
 */
export const contextRecall: Metric<'context_recall'> = {
  descriptor: {
    name: 'context_recall',
    description: 'Ragas context recall: share of the claims of the reference supported by the retrieval context',
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
    if (claims.length === 0) return { score: 1, reason: 'the reference makes no claims' };
    const contexts = retrievedContexts(context);
    if (contexts.length === 0)
      return { score: 0, reason: `nothing was retrieved; 0 of ${claims.length} claims of the reference are supported` };
    const { verdicts } = await context.judge({ kind: 'support', claims, contexts });
    checkVerdictCount(verdicts, claims.length, 'claims');
    return {
      score: contextRecallScore(verdicts) ?? 1,
      reason: `${share(yeses(verdicts), claims.length)} claims of the reference are supported by the retrieval context${rejectedSuffix(verdicts, 'missing')}`,
    };
  },
};
