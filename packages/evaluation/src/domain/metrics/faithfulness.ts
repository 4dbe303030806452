import { faithfulnessScore } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { retrievedContexts } from './metric-context.js';
import { checkVerdictCount, notNo, rejectedSuffix, share } from './verdict-reasons.js';

/**
 * DeepEval's faithfulness: the share of the claims of the output the retrieval context does not
 * contradict; undefined (`null`) when the output makes no claims. Applies to examples with a retrieval context and a non-empty output.
 */
export const faithfulness: Metric<'faithfulness'> = {
  descriptor: {
    name: 'faithfulness',
    description:
      'share of the claims of the output that the retrieval context does not contradict (DeepEval); undefined without claims',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  appliesTo: (context) => retrievedContexts(context).length > 0 && context.answer.output.trim() !== '',
  async score(context) {
    const { statements: claims } = await context.judge({
      kind: 'statements',
      text: context.answer.output,
      purpose: 'claims',
    });
    if (claims.length === 0) return { score: null, reason: 'undefined: the output makes no claims' };
    const { verdicts } = await context.judge({ kind: 'support', claims, contexts: retrievedContexts(context) });
    checkVerdictCount(verdicts, claims.length, 'claims');
    return {
      score: faithfulnessScore(verdicts),
      reason: `${share(notNo(verdicts), claims.length)} claims of the output are supported by the retrieval context${rejectedSuffix(verdicts, 'not supported')}`,
    };
  },
};
