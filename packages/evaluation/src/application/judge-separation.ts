import type { Dataset } from '../domain/dataset.js';
import { exampleQuestion } from '../domain/example.js';
import { contextualRelevancyScore } from '../domain/metric-formulas.js';
import { areaUnderRoc, seededRandom } from '../domain/statistics.js';
import type { Judge } from '../ports.js';

/** A question and a passage, labelled relevant or not. */
export interface RelevanceSample {
  input: string;
  context: string;
  relevant: boolean;
}

/** How well a judge separates relevant from irrelevant contexts. */
export interface SeparationResult {
  /** AUC of the contextual relevancy score the judge gives each (input, context) pair. */
  auc: number | null;
  /** AUC of the mean statement score, when the judge gives scores (the offline judge does). */
  scoreAuc: number | null;
  positives: number;
  negatives: number;
  /** Share of relevant pairs scored above 0.5, and of irrelevant pairs scored above 0.5. */
  truePositiveRate: number;
  falsePositiveRate: number;
}

/**
 * Labelled pairs from a dataset's reference contexts: each answerable question with its own
 * reference contexts (relevant) and with `negativesPerExample` reference contexts of other
 * questions chosen at random with a fixed seed (irrelevant).
 */
export function referenceContextSamples(
  dataset: Dataset,
  options: { negativesPerExample?: number; seed?: number } = {},
): RelevanceSample[] {
  const random = seededRandom(options.seed ?? 11);
  const withContexts = dataset.examples.filter((example) => (example.reference_contexts ?? []).length > 0);
  const samples: RelevanceSample[] = [];
  for (const example of withContexts) {
    const input = exampleQuestion(example);
    const own = new Set(example.reference_contexts);
    for (const context of own) samples.push({ input, context, relevant: true });
    const others = withContexts
      .filter((other) => other.id !== example.id)
      .flatMap((other) => other.reference_contexts ?? [])
      .filter((context) => !own.has(context));
    for (let index = 0; index < (options.negativesPerExample ?? 3) && others.length > 0; index += 1) {
      const [picked] = others.splice(Math.floor(random() * others.length), 1);
      if (picked !== undefined) samples.push({ input, context: picked, relevant: false });
    }
  }
  return samples;
}

/**
 * Scores every pair as the `contextual_relevancy` metric does (statements of the context, each judged
 * relevant to the input or not) and measures the AUC of those scores against the labels.
 */
export async function measureJudgeSeparation(
  judge: Judge,
  samples: readonly RelevanceSample[],
): Promise<SeparationResult> {
  const scored: Array<{ score: number; mean: number | null; positive: boolean }> = [];
  for (const sample of samples) {
    const { statements } = await judge.judge({ kind: 'statements', text: sample.context, purpose: 'statements' });
    const { verdicts } =
      statements.length === 0
        ? { verdicts: [] }
        : await judge.judge({ kind: 'relevance', input: sample.input, statements });
    const scores = verdicts
      .map((verdict) => verdict.score)
      .filter((score): score is number => typeof score === 'number');
    scored.push({
      // An undefined score (no statements, every verdict idk) ranks as 0: nothing relevant was found.
      score: contextualRelevancyScore(verdicts) ?? 0,
      mean: scores.length === 0 ? null : scores.reduce((sum, value) => sum + value, 0) / scores.length,
      positive: sample.relevant,
    });
  }
  const positives = scored.filter((item) => item.positive);
  const negatives = scored.filter((item) => !item.positive);
  const withMeans = scored.filter(
    (item): item is { score: number; mean: number; positive: boolean } => item.mean !== null,
  );
  return {
    auc: areaUnderRoc(scored),
    scoreAuc:
      withMeans.length === scored.length
        ? areaUnderRoc(withMeans.map((item) => ({ score: item.mean, positive: item.positive })))
        : null,
    positives: positives.length,
    negatives: negatives.length,
    truePositiveRate:
      positives.length === 0 ? 0 : positives.filter((item) => item.score > 0.5).length / positives.length,
    falsePositiveRate:
      negatives.length === 0 ? 0 : negatives.filter((item) => item.score > 0.5).length / negatives.length,
  };
}
