import { LlmopsError } from '@llmops/kernel';
import type { RetrievalTune } from '@llmops/kernel';
import { dottedMetrics } from '@llmops/evaluation';
import type { ReevaluationDataset, RetrievalTrial, RetrievalTuning } from '@llmops/monitoring';
import type { PromotionPolicy } from '@llmops/registry';
import { startEvaluation } from '../evaluation/run-evaluation.js';
import type { EvaluationWorkspace } from '../evaluation/run-evaluation.js';

/** The run tag that marks a rebuild's tuning trial. */
export const rebuildTuningPurpose = 'rebuild-tuning';

/** Scores closer than this are a tie. */
const tieTolerance = 1e-9;

/** What trials are ranked by: the promotion policy's first criterion's metric and its direction. */
export interface TuningCriterion {
  metric: string;
  higherIsBetter: boolean;
}

/**
 * The metric a rebuild's trials are ranked by: the promotion policy's **first criterion** (the shipped policy's
 * `contextual_relevancy.mean >= 0.90`, the seed's headline target), higher better for `>`/`>=`, lower for `<`/`<=`.
 * @throws LlmopsError `invalid_input` when that criterion is an equality, which ranks nothing.
 */
export function tuningCriterionOf(policy: PromotionPolicy): TuningCriterion {
  const [first] = policy.criteria;
  if (!first || first.operator === '==') {
    throw new LlmopsError(
      'invalid_input',
      `policy "${policy.name}": a rebuild ranks its tuning trials by the policy's first criterion, and "${first?.text ?? '(none)'}" is not a >, >=, < or <= threshold`,
    );
  }
  return { metric: first.metric, higherIsBetter: first.operator.startsWith('>') };
}

/** The values tried: the tune list in its order, then the spec's own value when the list does not hold it. */
export function trialValues(tune: RetrievalTune, specValue: number): number[] {
  return tune.k.includes(specValue) ? [...tune.k] : [...tune.k, specValue];
}

/**
 * A trial's score: its **worst** dataset's value, because the promotion policy requires every criterion on each of
 * its datasets (a setting that wins on one corpus and loses on the other is judged by the loss). Null when a
 * dataset's run did not compute the metric.
 */
export function trialScore(scores: Record<string, number | null>, criterion: TuningCriterion): number | null {
  const values = Object.values(scores);
  if (values.length === 0 || values.some((value) => value === null)) return null;
  const numbers = values as number[];
  return criterion.higherIsBetter ? Math.min(...numbers) : Math.max(...numbers);
}

/**
 * The value registered: the trial with the best score; ties (within 1e-9) go to the spec's own value, else to the
 * earlier value of the tune list; trials without a score never win over one with a score, and when none has a score
 * the spec's own value stays.
 */
export function chooseTrial(trials: readonly RetrievalTrial[], options: TuningCriterion & { specValue: number }) {
  const better = (left: number, right: number) =>
    options.higherIsBetter ? left > right + tieTolerance : left < right - tieTolerance;
  let best: RetrievalTrial | undefined;
  for (const trial of trials) {
    if (trial.score === null) continue;
    if (best === undefined || best.score === null || better(trial.score, best.score)) {
      best = trial;
      continue;
    }
    const tied = !better(best.score, trial.score);
    if (tied && trial.value === options.specValue) best = trial;
  }
  return best?.value ?? options.specValue;
}

/** Options of {@link tuneRetrieval}. */
export interface TuneRetrievalOptions {
  evaluation: EvaluationWorkspace;
  judge: string;
  concurrency: number;
  /** The registered version whose spec is tuned (`support-rag/1`). */
  reference: string;
  tune: RetrievalTune;
  /** The spec's own `k`. */
  specValue: number;
  datasets: readonly ReevaluationDataset[];
  criterion: TuningCriterion;
  /** Why (the alert), kept in each trial run's tags. */
  reason: string;
}

/**
 * Re-tunes `retrieval.k`: evaluates the version with each value on each dataset (over the dataset's corpus when it
 * names one; gates are not checked, the value is what is compared), one run after another, and chooses by
 * {@link chooseTrial}. Trial runs are tagged `llmops.purpose=rebuild-tuning` and name the value; they belong to no
 * registered version, so they are never promotion evidence.
 */
export async function tuneRetrieval(options: TuneRetrievalOptions): Promise<RetrievalTuning> {
  const trials: RetrievalTrial[] = [];
  for (const value of trialValues(options.tune, options.specValue)) {
    const scores: Record<string, number | null> = {};
    const runIds: Record<string, string> = {};
    for (const entry of options.datasets) {
      const running = await startEvaluation(options.evaluation, {
        name: `${options.reference} trial retrieval.k=${value} on ${entry.dataset}`,
        target: {
          kind: 'model',
          reference: options.reference,
          retrieval: { k: value },
          ...(entry.corpus === undefined ? {} : { corpus: entry.corpus }),
        },
        dataset: entry.dataset,
        judge: options.judge,
        concurrency: options.concurrency,
        tags: {
          'llmops.purpose': rebuildTuningPurpose,
          'llmops.tune.setting': 'retrieval.k',
          'llmops.tune.value': String(value),
          'llmops.reason': options.reason,
        },
      });
      const report = await running.done;
      runIds[entry.dataset] = report.record.id;
      scores[entry.dataset] = dottedMetrics(report.record.summary)[options.criterion.metric] ?? null;
    }
    trials.push({ value, scores, score: trialScore(scores, options.criterion), runIds });
  }
  return {
    setting: 'retrieval.k',
    metric: options.criterion.metric,
    higherIsBetter: options.criterion.higherIsBetter,
    specValue: options.specValue,
    chosen: chooseTrial(trials, { ...options.criterion, specValue: options.specValue }),
    trials,
  };
}

/** The trials in a few words, for a tag, a description and an audit reason (`3: 0.612, 5: 0.63 (chosen)`). */
export function describeTrials(tuning: RetrievalTuning): string {
  return tuning.trials
    .map((trial) => {
      const score = trial.score === null ? 'n/a' : String(Math.round(trial.score * 10_000) / 10_000);
      return `${trial.value}: ${score}${trial.value === tuning.chosen ? ' (chosen)' : ''}`;
    })
    .join(', ');
}
