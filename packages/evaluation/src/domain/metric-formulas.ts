import type { StatementVerdict } from './judgement.js';

type Verdicts = readonly Pick<StatementVerdict, 'verdict'>[];

/**
 * The verdicts a binary metric counts: DeepEval's contextual relevancy, precision and recall ask their
 * judge for `yes` or `no` only, so an `idk` (the judge abstained) carries no information for them and
 * is dropped, from the numerator and the denominator alike.
 */
export function decidedVerdicts<V extends Pick<StatementVerdict, 'verdict'>>(verdicts: readonly V[]): V[] {
  return verdicts.filter((verdict) => verdict.verdict !== 'idk');
}

function shareOf(verdicts: Verdicts, counts: (verdict: Pick<StatementVerdict, 'verdict'>) => boolean): number | null {
  if (verdicts.length === 0) return null;
  return verdicts.filter(counts).length / verdicts.length;
}

/**
 * DeepEval's contextual relevancy: relevant statements of the retrieval context (verdict `yes`) over
 * the statements judged `yes` or `no` (`idk` dropped). `null` (undefined) when there are none.
 */
export function contextualRelevancyScore(verdicts: Verdicts): number | null {
  return shareOf(decidedVerdicts(verdicts), (verdict) => verdict.verdict === 'yes');
}

/**
 * DeepEval's faithfulness: truthful claims of the output over all its claims. A claim is truthful
 * unless its verdict is `no` (the context contradicts it or gives no support for it); `idk` (the judge
 * cannot tell) counts as truthful, as in DeepEval. `null` (undefined) when the output makes no claims
 * (DeepEval says 1, Ragas NaN: a refusal is neither faithful nor unfaithful).
 */
export function faithfulnessScore(verdicts: Verdicts): number | null {
  return shareOf(verdicts, (verdict) => verdict.verdict !== 'no');
}

/**
 * DeepEval's answer relevancy: relevant statements of the output over all its statements
 * (`idk`, an ambiguous statement, counts as relevant, as in DeepEval); `null` when there are no statements.
 */
export function answerRelevancyScore(verdicts: Verdicts): number | null {
  return shareOf(verdicts, (verdict) => verdict.verdict !== 'no');
}

/**
 * DeepEval's contextual precision (Ragas's context precision@K, the same formula) over the retrieved
 * contexts in rank order, `idk` verdicts dropped: Σ_k (precision@k × v_k) / (number of useful
 * contexts), where v_k is 1 when the context at rank k is useful (`yes`) and precision@k the share of
 * useful contexts in the top k. 0 when no context is useful; `null` when no verdict is `yes` or `no`.
 */
export function contextPrecisionScore(verdicts: Verdicts): number | null {
  const decided = decidedVerdicts(verdicts);
  if (decided.length === 0) return null;
  let useful = 0;
  let sum = 0;
  decided.forEach((verdict, index) => {
    if (verdict.verdict !== 'yes') return;
    useful += 1;
    sum += useful / (index + 1);
  });
  return useful === 0 ? 0 : sum / useful;
}

/**
 * DeepEval's contextual recall (Ragas's context recall): claims of the reference attributable to the
 * retrieval context (verdict `yes`) over the claims judged `yes` or `no` (`idk` dropped). `null` when
 * there are none (the reference makes no claims: DeepEval says 0, Ragas NaN).
 */
export function contextRecallScore(verdicts: Verdicts): number | null {
  return shareOf(decidedVerdicts(verdicts), (verdict) => verdict.verdict === 'yes');
}

/**
 * DeepEval's hallucination: the share of the contexts the output contradicts (verdict `no`) over all
 * contexts; lower is better. `null` when there are no contexts.
 */
export function hallucinationScore(verdicts: Verdicts): number | null {
  return shareOf(verdicts, (verdict) => verdict.verdict === 'no');
}

/**
 * DeepEval's strict mode: a score counts only when it reaches the best value (1 for higher-is-better
 * metrics, 0 otherwise), else it becomes the worst; `null` stays `null`.
 */
export function strictScore(score: number | null, higherIsBetter: boolean): number | null {
  if (score === null) return null;
  if (higherIsBetter) return score >= 1 ? 1 : 0;
  return score <= 0 ? 0 : 1;
}
