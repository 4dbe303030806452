import { LlmopsError } from '@llmops/kernel';
import type { EvaluationRecord } from './evaluation-record.js';
import type { ComparisonOperator, PromotionPolicy } from './promotion-policy.js';

/** How one criterion of a policy came out. */
export interface CriterionOutcome {
  /** The criterion as text (`faithfulness.mean >= 0.9`, `latency.p95 not worse than champion by more than 50`). */
  criterion: string;
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
  dataset: string;
  candidate: { ref: string; runId: string | null };
  champion: { ref: string; runId: string | null } | null;
  outcomes: CriterionOutcome[];
  /** What evidence was needed and not found, one sentence each. */
  missingEvidence: string[];
}

/** The input of {@link evaluatePromotion}. */
export interface PromotionEvaluationInput {
  policy: PromotionPolicy;
  /** The candidate, as `name/version`, and its latest evaluation on the policy's dataset, if any. */
  candidate: { ref: string; evaluation: EvaluationRecord | undefined };
  /** The version the target alias points to now (as `name/version`) and its evaluation, if there is one. */
  champion?: { ref: string; evaluation: EvaluationRecord | undefined };
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

/**
 * Judges a candidate against a promotion policy: every threshold criterion on the candidate's
 * evidence, and every no-regression rule against the current champion's evidence. Missing evidence
 * fails the criteria that need it; it never passes silently.
 */
export function evaluatePromotion(input: PromotionEvaluationInput): PromotionDecision {
  const { policy, candidate, champion } = input;
  const outcomes: CriterionOutcome[] = [];
  const missingEvidence: string[] = [];
  const noCandidateEvidence = `no evaluation of ${candidate.ref} on dataset "${policy.dataset}" was found`;
  if (!candidate.evaluation) missingEvidence.push(noCandidateEvidence);

  for (const criterion of policy.criteria) {
    const base = {
      criterion: criterion.text,
      metric: criterion.metric,
      operator: criterion.operator,
      threshold: criterion.threshold,
    };
    if (!candidate.evaluation) {
      outcomes.push({ ...base, value: null, passed: false, reason: 'no evidence' });
      continue;
    }
    const value = metricOf(candidate.evaluation, criterion.metric);
    if (value === null) {
      const missing = `run ${candidate.evaluation.runId} of ${candidate.ref} has no metric ${criterion.metric}`;
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

  const noChampionEvidence = champion
    ? `no evaluation of the current champion ${champion.ref} on dataset "${policy.dataset}" was found`
    : '';
  if (champion && !champion.evaluation && policy.notWorseThanChampion.length > 0)
    missingEvidence.push(noChampionEvidence);
  for (const rule of policy.notWorseThanChampion) {
    const operator: ComparisonOperator = rule.higherIsBetter ? '>=' : '<=';
    const criterion = `${rule.metric} not worse than the champion by more than ${rule.by}`;
    const candidateValue = candidate.evaluation ? metricOf(candidate.evaluation, rule.metric) : null;
    const base = { criterion, metric: rule.metric, operator, value: candidateValue };
    if (!champion) {
      outcomes.push({ ...base, threshold: null, passed: true, reason: 'no current champion to compare with' });
      continue;
    }
    if (!champion.evaluation) {
      outcomes.push({ ...base, threshold: null, passed: false, reason: 'no evidence for the champion' });
      continue;
    }
    const championValue = metricOf(champion.evaluation, rule.metric);
    if (championValue === null) {
      const missing = `run ${champion.evaluation.runId} of the champion ${champion.ref} has no metric ${rule.metric}`;
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

  return {
    allowed: outcomes.every((outcome) => outcome.passed),
    policy: policy.name,
    dataset: policy.dataset,
    candidate: { ref: candidate.ref, runId: candidate.evaluation?.runId ?? null },
    champion: champion ? { ref: champion.ref, runId: champion.evaluation?.runId ?? null } : null,
    outcomes,
    missingEvidence: [...new Set(missingEvidence)],
  };
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
    lines.push(
      `evaluate ${decision.candidate.ref} on dataset "${decision.dataset}" first, or promote with --force --reason TEXT`,
    );
  }
  return new LlmopsError('gate_failed', lines.join('\n'), { details: decision });
}
