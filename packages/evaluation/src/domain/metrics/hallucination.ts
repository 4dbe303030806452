import { decidedVerdicts, hallucinationScore } from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { questionOf, referenceContexts, refusalExpected } from './metric-context.js';
import { abstainedSuffix, checkVerdictCount, listed, share } from './verdict-reasons.js';

/**
 * DeepEval's hallucination: the share of the example's reference contexts (DeepEval's `context`, the
 * ideal passages) that the output contradicts; lower is better. Applies to answerable examples with
 * reference contexts and a non-empty output. An output that declines or says it does not know is
 * undefined (`null`): it neither agrees with nor contradicts a context (DeepEval's judge, told to
 * forgive missing detail, would score it 0, so a model that declines everything would look perfect;
 * `answer_rate` measures declining). Undefined too when no context gets a `yes` or `no` verdict.
 */
export const hallucination: Metric<'hallucination'> = {
  descriptor: {
    name: 'hallucination',
    description:
      'share of the reference contexts the output contradicts (DeepEval); lower is better, undefined for a refusal',
    unit: 'score',
    higherIsBetter: false,
    judged: true,
  },
  appliesTo: (context) =>
    referenceContexts(context).length > 0 && !refusalExpected(context) && context.answer.output.trim() !== '',
  async score(context) {
    const output = context.answer.output;
    const refusal = await context.judge({ kind: 'refusal', input: questionOf(context), output });
    if (refusal.refused)
      return { score: null, reason: `undefined: the output declines, so it contradicts nothing (${refusal.reason})` };
    const contexts = referenceContexts(context);
    const { verdicts } = await context.judge({ kind: 'contradiction', output, contexts });
    checkVerdictCount(verdicts, contexts.length, 'contexts');
    const score = hallucinationScore(verdicts);
    if (score === null)
      return { score, reason: `undefined: the judge could not tell for any of the ${contexts.length} contexts` };
    const contradicted = verdicts.filter((verdict) => verdict.verdict === 'no').length;
    return {
      score,
      reason:
        contradicted === 0
          ? `the output contradicts none of the ${decidedVerdicts(verdicts).length} reference contexts${abstainedSuffix(verdicts)}`
          : `the output contradicts ${share(contradicted, decidedVerdicts(verdicts).length)} reference contexts${abstainedSuffix(verdicts)}: ${listed(verdicts, 'no')}`,
    };
  },
};
