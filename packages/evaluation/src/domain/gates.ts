import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import { aggregateStatistics, aggregateValue } from './aggregates.js';
import type { AggregateStatistic, EvaluationSummary } from './aggregates.js';
import { isMetricName, metricNames } from './metric-catalog.js';
import type { MetricName } from './metric-catalog.js';

/** The comparison operators of gate criteria. */
export const gateOperators = ['>=', '<=', '>', '<', '==', '!='] as const;

/** A comparison operator of a gate criterion. */
export type GateOperator = (typeof gateOperators)[number];

/**
 * What a gate can check besides the metrics: `error_rate`, the share of the run's examples whose target
 * failed (`mean`; `count` is their number).
 */
export const runQuantities = ['error_rate'] as const;

/** A quantity of the run itself that a gate can check. */
export type RunQuantity = (typeof runQuantities)[number];

/** What a gate criterion checks: a metric of the catalog or a quantity of the run. */
export type GateMetric = MetricName | RunQuantity;

/** The share of failed examples a run may have unless its gate says otherwise: 1 %. */
export const defaultMaxErrorRate = 0.01;

function isGateMetric(name: string): name is GateMetric {
  return isMetricName(name) || (runQuantities as readonly string[]).includes(name);
}

/** One criterion of a gate: `metric.statistic operator threshold`, for example `latency.p95 <= 500`. */
export interface GateCriterion {
  metric: GateMetric;
  statistic: AggregateStatistic;
  operator: GateOperator;
  threshold: number;
}

/** The verdict of one criterion on a run: the value it found, the threshold, and whether it passed. */
export interface GateVerdict extends GateCriterion {
  /** The criterion as text, for example `faithfulness.mean >= 0.9`. */
  criterion: string;
  /** The value of `metric.statistic` in the run; `null` when the run did not compute it. */
  value: number | null;
  passed: boolean;
  /** Why it passed or failed, in words. */
  reason: string;
}

/** The verdicts of all criteria of a gate; the gate passes when every criterion passes. */
export interface GateReport {
  passed: boolean;
  verdicts: GateVerdict[];
}

/**
 * Values within this distance of the threshold count as equal, so that a mean computed as
 * 0.8999999999999999 passes `>= 0.9` and `harmful_rate == 0` is not failed by rounding.
 */
export const gateTolerance = 1e-9;

const criterionPattern =
  /^\s*([a-z0-9_]+)(?:\.([a-z0-9]+))?\s*(>=|<=|==|!=|>|<)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

/** The text form of a criterion: `metric.statistic operator threshold`. */
export function formatCriterion(criterion: GateCriterion): string {
  return `${criterion.metric}.${criterion.statistic} ${criterion.operator} ${criterion.threshold}`;
}

/**
 * Reads a criterion such as `contextual_relevancy.mean >= 0.90`, `latency.p95 <= 500` or
 * `harmful_rate == 0` (the statistic is `mean` when left out).
 * @throws LlmopsError `invalid_input` saying which part is wrong and what is expected.
 */
export function parseCriterion(text: string): GateCriterion {
  const match = criterionPattern.exec(text);
  if (!match) {
    throw new LlmopsError(
      'invalid_input',
      `gate criterion "${text}" is not of the form <metric>[.<statistic>] <operator> <number>, for example "faithfulness.mean >= 0.9"`,
    );
  }
  const [, metric = '', statistic = 'mean', operator = '', threshold = ''] = match;
  if (!isGateMetric(metric))
    throw new LlmopsError(
      'invalid_input',
      `gate criterion "${text}": unknown metric "${metric}"; known metrics: ${[...metricNames, ...runQuantities].join(', ')}`,
    );
  if (metric === 'error_rate' && statistic !== 'mean' && statistic !== 'count') {
    throw new LlmopsError(
      'invalid_input',
      `gate criterion "${text}": error_rate has the statistics mean (the share of failed examples) and count; got "${statistic}"`,
    );
  }
  if (!(aggregateStatistics as readonly string[]).includes(statistic)) {
    throw new LlmopsError(
      'invalid_input',
      `gate criterion "${text}": unknown statistic "${statistic}"; expected one of ${aggregateStatistics.join(', ')}`,
    );
  }
  return {
    metric,
    statistic: statistic as AggregateStatistic,
    operator: operator as GateOperator,
    threshold: Number(threshold),
  };
}

function compare(value: number, criterion: GateCriterion): boolean {
  const { threshold } = criterion;
  const equal = Math.abs(value - threshold) <= gateTolerance * Math.max(1, Math.abs(threshold));
  switch (criterion.operator) {
    case '>=':
      return value > threshold || equal;
    case '<=':
      return value < threshold || equal;
    case '>':
      return value > threshold && !equal;
    case '<':
      return value < threshold && !equal;
    case '==':
      return equal;
    case '!=':
      return !equal;
  }
}

/**
 * A value as people read it: three significant digits (`0.462`, `554`), more only when the rounded value would read
 * as the threshold it failed (0.8996 against `>= 0.9` shows `0.8996`, not `0.9`).
 */
function formatNumber(value: number, threshold: number): string {
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value) >= 1 ? Math.floor(Math.log10(Math.abs(value))) + 1 : 0;
  let digits = Math.max(3, magnitude);
  while (digits < 12 && Number(value.toPrecision(digits)) === threshold) digits += 1;
  return String(Number(value.toPrecision(digits)));
}

/** The value a criterion checks in a run: a metric's statistic, or a quantity of the run; `null` when not computed. */
function gateValue(
  summary: Pick<EvaluationSummary, 'aggregates' | 'examples' | 'targetErrors'>,
  criterion: GateCriterion,
) {
  if (criterion.metric !== 'error_rate') return aggregateValue(summary, criterion.metric, criterion.statistic);
  if (criterion.statistic === 'count') return summary.targetErrors;
  return summary.examples === 0 ? null : summary.targetErrors / summary.examples;
}

/**
 * A run's gate criteria with the error-rate criterion every run has: the criteria as given when one of them
 * checks `error_rate` already, else those plus `error_rate.mean <= maxErrorRate` (1 % by default).
 */
export function withErrorRateCriterion(
  criteria: readonly GateCriterion[],
  maxErrorRate: number = defaultMaxErrorRate,
): GateCriterion[] {
  if (criteria.some((criterion) => criterion.metric === 'error_rate')) return [...criteria];
  return [...criteria, { metric: 'error_rate', statistic: 'mean', operator: '<=', threshold: maxErrorRate }];
}

/** Checks every criterion against a run's aggregates; a criterion whose metric was not computed fails. */
export function evaluateGates(
  criteria: readonly GateCriterion[],
  summary: Pick<EvaluationSummary, 'aggregates' | 'examples' | 'targetErrors'>,
): GateReport {
  const verdicts = criteria.map((criterion): GateVerdict => {
    const text = formatCriterion(criterion);
    const value = gateValue(summary, criterion);
    if (value === null) {
      return {
        ...criterion,
        criterion: text,
        value: null,
        passed: false,
        reason: `${criterion.metric} was not computed in this run (no example it applies to, or every one failed)`,
      };
    }
    const passed = compare(value, criterion);
    const shown = `${criterion.metric}.${criterion.statistic} is ${formatNumber(value, criterion.threshold)}`;
    return {
      ...criterion,
      criterion: text,
      value,
      passed,
      reason: passed
        ? `${shown}, meets ${criterion.operator} ${criterion.threshold}`
        : `${shown}; expected ${criterion.operator} ${criterion.threshold}`,
    };
  });
  return { passed: verdicts.every((verdict) => verdict.passed), verdicts };
}

const criterionObjectSchema = z.strictObject({
  metric: z.enum([...metricNames, ...runQuantities]),
  statistic: z.enum(aggregateStatistics).default('mean'),
  operator: z.enum(gateOperators),
  threshold: z.number(),
});

/** One criterion as written in a gate file: text (`latency.p95 <= 500`) or `{metric, statistic, operator, threshold}`. */
export const gateCriterionSchema = z.unknown().transform((value, context): GateCriterion => {
  if (typeof value === 'string') {
    try {
      return parseCriterion(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message, input: value });
      return z.NEVER;
    }
  }
  const result = criterionObjectSchema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    context.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value });
  return z.NEVER;
});

/**
 * The gate file (`confs/gates.yaml`): `gates:` a list of criteria, each a string
 * (`faithfulness.mean >= 0.9`) or a mapping `{metric, statistic, operator, threshold}`.
 */
export const gateFileSchema = z.strictObject({
  gates: z.array(gateCriterionSchema).min(1, 'expected at least one criterion'),
});

/** The content of a gate file. */
export type GateFile = z.infer<typeof gateFileSchema>;
