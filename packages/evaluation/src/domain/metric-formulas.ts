import type { StatementVerdict } from './judgement.js';

/**
 * DeepEval's contextual relevancy: relevant statements of the retrieval context (verdict `yes`) over
 * all its statements; 0 when there are no statements.
 */
export function contextualRelevancyScore(verdicts: readonly Pick<StatementVerdict, 'verdict'>[]): number {
  if (verdicts.length === 0) return 0;
  return verdicts.filter((verdict) => verdict.verdict === 'yes').length / verdicts.length;
}

/**
 * DeepEval's faithfulness: truthful claims of the output over all its claims. A claim is truthful
 * unless its verdict is `no` (the context contradicts it or gives no support for it); `idk` (the judge
 * cannot tell) counts as truthful, as in DeepEval. 1 when the output makes no claims.
 */
export function faithfulnessScore(verdicts: readonly Pick<StatementVerdict, 'verdict'>[]): number {
  if (verdicts.length === 0) return 1;
  return verdicts.filter((verdict) => verdict.verdict !== 'no').length / verdicts.length;
}

/**
 * DeepEval's answer relevancy: relevant statements of the output over all its statements
 * (`idk`, an ambiguous statement, counts as relevant, as in DeepEval); 1 when there are no statements.
 */
export function answerRelevancyScore(verdicts: readonly Pick<StatementVerdict, 'verdict'>[]): number {
  if (verdicts.length === 0) return 1;
  return verdicts.filter((verdict) => verdict.verdict !== 'no').length / verdicts.length;
}

/**
 * Ragas's context precision@K over the retrieved contexts in rank order:
 * Σ_k (precision@k × v_k) / (number of useful contexts in the top K), where v_k is 1 when the context
 * at rank k is useful (`yes`) and precision@k the share of useful contexts in the top k.
 * 0 when no context is useful (or there are none).
 */
export function contextPrecisionScore(verdicts: readonly Pick<StatementVerdict, 'verdict'>[]): number {
  let useful = 0;
  let sum = 0;
  verdicts.forEach((verdict, index) => {
    if (verdict.verdict !== 'yes') return;
    useful += 1;
    sum += useful / (index + 1);
  });
  return useful === 0 ? 0 : sum / useful;
}

/**
 * Ragas's context recall: claims of the reference that can be attributed to the retrieval context
 * (verdict `yes`) over all claims of the reference. `null` when the reference has no claims (undefined).
 */
export function contextRecallScore(verdicts: readonly Pick<StatementVerdict, 'verdict'>[]): number | null {
  if (verdicts.length === 0) return null;
  return verdicts.filter((verdict) => verdict.verdict === 'yes').length / verdicts.length;
}
