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
 * DeepEval's hallucination: the contexts the output contradicts (verdict `no`) over the contexts judged
 * `yes` (agrees) or `no`; lower is better. DeepEval's judge says only `yes` or `no`, so an `idk` is
 * dropped as in the other binary metrics. `null` (undefined) when no context was judged (DeepEval 0).
 */
export function hallucinationScore(verdicts: Verdicts): number | null {
  return shareOf(decidedVerdicts(verdicts), (verdict) => verdict.verdict === 'no');
}

/** The counts of Ragas's answer-correctness classification. */
export interface CorrectnessCounts {
  /** Items of the output the reference supports. */
  truePositives: number;
  /** Items of the output the reference does not support. */
  falsePositives: number;
  /** Items of the reference the output leaves out. */
  falseNegatives: number;
}

/**
 * Counts Ragas's TP, FP and FN from the verdicts on the output's items (`yes` TP, `no` FP) and on the
 * reference's items (`no` FN); `idk` verdicts are dropped (Ragas's classifier has no such class).
 */
export function correctnessCounts(output: Verdicts, reference: Verdicts): CorrectnessCounts {
  const count = (verdicts: Verdicts, wanted: 'yes' | 'no') =>
    verdicts.filter((verdict) => verdict.verdict === wanted).length;
  return {
    truePositives: count(output, 'yes'),
    falsePositives: count(output, 'no'),
    falseNegatives: count(reference, 'no'),
  };
}

/**
 * Ragas's factual F1 of answer correctness: TP / (TP + 0.5 × (FP + FN)); 0 when nothing is a true
 * positive, 1 when neither text has an item (Ragas skips the classification then and scores 1). Over
 * SQuAD tokens counted with multiplicity it is exactly SQuAD's token F1 (2 × shared / (|output| + |reference|)).
 */
export function factualF1Score(counts: CorrectnessCounts): number {
  const { truePositives, falsePositives, falseNegatives } = counts;
  if (truePositives + falsePositives + falseNegatives === 0) return 1;
  if (truePositives === 0) return 0;
  return truePositives / (truePositives + 0.5 * (falsePositives + falseNegatives));
}

/** Ragas's default weights of answer correctness: factual F1 and semantic similarity. */
export const answerCorrectnessWeights = { factuality: 0.75, similarity: 0.25 } as const;

/** Ragas's answer correctness: the weighted mean of factual F1 and semantic similarity (0.75 / 0.25 by default). */
export function answerCorrectnessScore(
  factualF1: number,
  similarity: number,
  weights: { factuality: number; similarity: number } = answerCorrectnessWeights,
): number {
  return (weights.factuality * factualF1 + weights.similarity * similarity) / (weights.factuality + weights.similarity);
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
