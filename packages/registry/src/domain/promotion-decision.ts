import { LlmopsError } from '@llmops/kernel';
import type { EvaluationRecord } from './evaluation-record.js';
import type { ComparisonOperator, PromotionPolicy } from './promotion-policy.js';

/** How one criterion of a policy came out on one dataset. */
export interface CriterionOutcome {
  /**
   * The criterion as text (`faithfulness.mean >= 0.9`, `latency.p95 not worse than champion by more than 50`),
   * prefixed with `on <dataset>: ` when the policy names several datasets.
   */
  criterion: string;
  /** The dataset whose evidence the criterion was checked on. */
  dataset: string;
  metric: string;
  operator: ComparisonOperator;
  /** The threshold compared with; null when it depends on champion evidence that is missing. */
  threshold: number | null;
  /** The candidate's value; null when there is no evidence for it. */
  value: number | null;
  passed: boolean;
  /** Why it passed or failed, in words. */
  reason: string;
}

/** The decision of a promotion policy on a candidate (and the current champion). */
export interface PromotionDecision {
  allowed: boolean;
  policy: string;
  /** The datasets the evidence was required on, in the policy's order. */
  datasets: string[];
  /** The candidate, and the run of its evidence on each dataset (null where there is none). */
  candidate: { ref: string; runIds: Record<string, string | null> };
  champion: { ref: string; runIds: Record<string, string | null> } | null;
  outcomes: CriterionOutcome[];
  /** What evidence was needed and not found, one sentence each. */
  missingEvidence: string[];
}

/** A model version and its latest evaluation on each dataset of the policy that has one. */
export interface PromotionSubject {
  ref: string;
  evaluations: readonly EvaluationRecord[];
}

/** The input of {@link evaluatePromotion}. */
export interface PromotionEvaluationInput {
  policy: PromotionPolicy;
  /** The candidate, as `name/version`, and its latest evaluation on each of the policy's datasets. */
  candidate: PromotionSubject;
  /** The version the target alias points to now (as `name/version`) and its evaluations. */
  champion?: PromotionSubject;
}

const tolerance = 1e-9;

function compare(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case '>=':
      return value >= threshold - tolerance;
    case '>':
      return value > threshold;
    case '<=':
      return value <= threshold + tolerance;
    case '<':
      return value < threshold;
    case '==':
      return Math.abs(value - threshold) <= tolerance;
  }
}

const operatorWords: Record<ComparisonOperator, string> = {
  '>=': 'is below',
  '>': 'is not above',
  '<=': 'is above',
  '<': 'is not below',
  '==': 'is not equal to',
};

function metricOf(evaluation: EvaluationRecord, metric: string): number | null {
  const value = evaluation.metrics[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function evaluationOn(subject: PromotionSubject | undefined, dataset: string): EvaluationRecord | undefined {
  return subject?.evaluations.find((evaluation) => evaluation.dataset === dataset);
}

function runIdsOf(subject: PromotionSubject, datasets: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(datasets.map((dataset) => [dataset, evaluationOn(subject, dataset)?.runId ?? null]));
}

/** The outcomes of every criterion and no-regression rule of a policy on one dataset. */
function judgeOnDataset(
  input: PromotionEvaluationInput,
  dataset: string,
  missingEvidence: string[],
): CriterionOutcome[] {
  const { policy, candidate, champion } = input;
  const label = (text: string) => (policy.datasets.length > 1 ? `on ${dataset}: ${text}` : text);
  const candidateEvaluation = evaluationOn(candidate, dataset);
  const championEvaluation = evaluationOn(champion, dataset);
  const outcomes: CriterionOutcome[] = [];
  if (!candidateEvaluation) missingEvidence.push(`no evaluation of ${candidate.ref} on dataset "${dataset}" was found`);

  for (const criterion of policy.criteria) {
    const base = {
      criterion: label(criterion.text),
      dataset,
      metric: criterion.metric,
      operator: criterion.operator,
      threshold: criterion.threshold,
    };
    if (!candidateEvaluation) {
      outcomes.push({ ...base, value: null, passed: false, reason: 'no evidence' });
      continue;
    }
    const value = metricOf(candidateEvaluation, criterion.metric);
    if (value === null) {
      const missing = `run ${candidateEvaluation.runId} of ${candidate.ref} has no metric ${criterion.metric}`;
      missingEvidence.push(missing);
      outcomes.push({ ...base, value: null, passed: false, reason: `no evidence: ${missing}` });
      continue;
    }
    const passed = compare(value, criterion.operator, criterion.threshold);
    const reason = passed
      ? `${value} passes`
      : `${value} ${operatorWords[criterion.operator]} the threshold ${criterion.threshold}`;
    outcomes.push({ ...base, value, passed, reason });
  }

  if (champion && !championEvaluation && policy.notWorseThanChampion.length > 0)
    missingEvidence.push(`no evaluation of the current champion ${champion.ref} on dataset "${dataset}" was found`);
  for (const rule of policy.notWorseThanChampion) {
    const operator: ComparisonOperator = rule.higherIsBetter ? '>=' : '<=';
    const criterion = label(`${rule.metric} not worse than the champion by more than ${rule.by}`);
    const candidateValue = candidateEvaluation ? metricOf(candidateEvaluation, rule.metric) : null;
    const base = { criterion, dataset, metric: rule.metric, operator, value: candidateValue };
    if (!champion) {
      outcomes.push({ ...base, threshold: null, passed: true, reason: 'no current champion to compare with' });
      continue;
    }
    if (!championEvaluation) {
      outcomes.push({ ...base, threshold: null, passed: false, reason: 'no evidence for the champion' });
      continue;
    }
    const championValue = metricOf(championEvaluation, rule.metric);
    if (championValue === null) {
      const missing = `run ${championEvaluation.runId} of the champion ${champion.ref} has no metric ${rule.metric}`;
      missingEvidence.push(missing);
      outcomes.push({ ...base, threshold: null, passed: false, reason: `no evidence: ${missing}` });
      continue;
    }
    const threshold = rule.higherIsBetter ? championValue - rule.by : championValue + rule.by;
    if (candidateValue === null) {
      outcomes.push({
        ...base,
        threshold,
        passed: false,
        reason: `no evidence: no value of ${rule.metric} for ${candidate.ref}`,
      });
      continue;
    }
    const passed = compare(candidateValue, operator, threshold);
    const reason = passed
      ? `${candidateValue} passes (champion ${champion.ref}: ${championValue})`
      : `${candidateValue} ${operatorWords[operator]} ${threshold} (champion ${champion.ref}: ${championValue}, allowed worsening ${rule.by})`;
    outcomes.push({ ...base, threshold, passed, reason });
  }
  return outcomes;
}

/**
 * Judges a candidate against a promotion policy: on each of the policy's datasets, every threshold
 * criterion on the candidate's evidence and every no-regression rule against the current champion's
 * evidence. Missing evidence fails the criteria that need it; it never passes silently.
 */
export function evaluatePromotion(input: PromotionEvaluationInput): PromotionDecision {
  const { policy, candidate, champion } = input;
  const missingEvidence: string[] = [];
  const outcomes = policy.datasets.flatMap((dataset) => judgeOnDataset(input, dataset, missingEvidence));
  return {
    allowed: outcomes.every((outcome) => outcome.passed),
    policy: policy.name,
    datasets: policy.datasets,
    candidate: { ref: candidate.ref, runIds: runIdsOf(candidate, policy.datasets) },
    champion: champion ? { ref: champion.ref, runIds: runIdsOf(champion, policy.datasets) } : null,
    outcomes,
    missingEvidence: [...new Set(missingEvidence)],
  };
}

/** The policy's datasets in words: `dataset "a"` or `datasets "a" and "b"`. */
export function describeDatasets(datasets: readonly string[]): string {
  const quoted = datasets.map((dataset) => `"${dataset}"`);
  if (quoted.length === 1) return `dataset ${quoted[0]}`;
  return `datasets ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/**
 * The error of a refused promotion: `gate_failed`, listing each failed criterion with its value and
 * threshold, and the missing evidence; the decision is in `details`.
 */
export function promotionRefusedError(decision: PromotionDecision, alias: string): LlmopsError {
  const failed = decision.outcomes.filter((outcome) => !outcome.passed);
  const lines = [
    `promotion of ${decision.candidate.ref} to "${alias}" refused by policy "${decision.policy}": ` +
      `${failed.length} of ${decision.outcomes.length} criteria failed`,
    ...failed.map((outcome) => `  - ${outcome.criterion}: ${outcome.reason}`),
  ];
  if (decision.missingEvidence.length > 0) {
    lines.push('missing evidence:', ...decision.missingEvidence.map((sentence) => `  - ${sentence}`));
    // "Evaluate first" is the advice only when the candidate has no run somewhere; a run that lacks a metric (its
    // judge failed on every example) or a champion without a run needs another evaluation, not a first one.
    const unevaluated = Object.values(decision.candidate.runIds).some((runId) => runId === null);
    lines.push(
      unevaluated
        ? `evaluate ${decision.candidate.ref} on ${describeDatasets(decision.datasets)} first, or promote with --force --reason TEXT`
        : 'evaluate again what is listed above (a run lacks a metric it did not compute, or one its judge failed on every example), or promote with --force --reason TEXT',
    );
  }
  return new LlmopsError('gate_failed', lines.join('\n'), { details: decision });
}
