import { LlmopsError, parseWithSchema } from '@llmops/kernel';
import { z } from 'zod';

/** A comparison a criterion makes between a metric value and its threshold. */
export type ComparisonOperator = '>=' | '>' | '<=' | '<' | '==';

/** One threshold criterion of a promotion policy, for example `faithfulness.mean >= 0.9`. */
export interface ThresholdCriterion {
  metric: string;
  operator: ComparisonOperator;
  threshold: number;
  /** The criterion as text, for messages. */
  text: string;
}

const metricPattern = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const criterionPattern = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(>=|<=|==|>|<)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

/**
 * Reads a criterion written as `<metric> <operator> <number>` (operators `>=`, `>`, `<=`, `<`, `==`).
 * @throws LlmopsError `invalid_input` showing the expected form.
 */
export function parseCriterion(text: string): ThresholdCriterion {
  const match = criterionPattern.exec(text);
  if (!match || !metricPattern.test(match[1] as string)) {
    throw new LlmopsError(
      'invalid_input',
      `criterion "${text}" is not of the form <metric> <operator> <number>, e.g. "faithfulness.mean >= 0.9" (operators >= > <= < ==)`,
    );
  }
  const metric = match[1] as string;
  const operator = match[2] as ComparisonOperator;
  const threshold = Number(match[3]);
  return { metric, operator, threshold, text: `${metric} ${operator} ${threshold}` };
}

/** One threshold criterion: `"<metric> <operator> <number>"` or `{metric, operator, threshold}`. */
export const promotionCriterionSchema = z
  .preprocess(
    (value, context) => {
      if (typeof value !== 'string') return value;
      try {
        const { metric, operator, threshold } = parseCriterion(value);
        return { metric, operator, threshold };
      } catch (error) {
        context.issues.push({ code: 'custom', message: LlmopsError.fromUnknown(error).message, input: value });
        return z.NEVER;
      }
    },
    z.strictObject(
      {
        metric: z.string().regex(metricPattern, 'expected a metric name such as faithfulness.mean'),
        operator: z.enum(['>=', '>', '<=', '<', '==']),
        threshold: z.number(),
      },
      {
        error: (issue) =>
          issue.code === 'invalid_type'
            ? 'expected "<metric> <operator> <number>" or {metric, operator, threshold}'
            : undefined,
      },
    ),
  )
  .transform((criterion): ThresholdCriterion => ({
    ...criterion,
    text: `${criterion.metric} ${criterion.operator} ${criterion.threshold}`,
  }));

/** A "not worse than the current champion by more than `by`" rule for one metric. */
const regressionRuleSchema = z.strictObject({
  metric: z.string().regex(metricPattern, 'expected a metric name such as contextual_relevancy.mean'),
  /** The largest allowed worsening, in the metric's own unit (0.02 for a score, 50 for milliseconds). */
  by: z.number().min(0),
  /** Whether larger values are better; taken from a threshold criterion on the same metric when absent. */
  higherIsBetter: z.boolean().optional(),
});

const datasetNameSchema = z.string().min(1, 'expected the evaluation dataset name the evidence must come from');

/**
 * A promotion policy, as written in `confs/promotion-policy.yaml`: the evaluation dataset (or
 * datasets) the evidence must come from, threshold criteria, and optional no-regression rules
 * against the champion. With several datasets every criterion must hold on each of them.
 */
export const promotionPolicySchema = z
  .strictObject({
    name: z.string().min(1).default('default'),
    /** The evaluation dataset, or list of datasets, the candidate's (and champion's) evidence must be measured on. */
    dataset: z.union([datasetNameSchema, z.array(datasetNameSchema).min(1, 'expected at least one dataset name')], {
      error: (issue) =>
        issue.code === 'invalid_union' ? 'expected a dataset name or a list of dataset names' : undefined,
    }),
    criteria: z
      .array(promotionCriterionSchema)
      .min(1, 'a policy needs at least one criterion, e.g. "faithfulness.mean >= 0.9"'),
    notWorseThanChampion: z.array(regressionRuleSchema).default([]),
  })
  .transform((policy, context) => {
    const notWorseThanChampion = policy.notWorseThanChampion.map((rule, index) => {
      const related = policy.criteria.find((criterion) => criterion.metric === rule.metric);
      const higherIsBetter = rule.higherIsBetter ?? (related ? related.operator.startsWith('>') : undefined);
      if (higherIsBetter === undefined) {
        context.issues.push({
          code: 'custom',
          path: ['notWorseThanChampion', index, 'higherIsBetter'],
          message: `metric ${rule.metric} has no threshold criterion to tell its direction; set higherIsBetter: true or false`,
          input: rule,
        });
        return { ...rule, higherIsBetter: true };
      }
      return { ...rule, higherIsBetter };
    });
    const { dataset, ...rest } = policy;
    const datasets = [...new Set(typeof dataset === 'string' ? [dataset] : dataset)];
    return { ...rest, datasets, notWorseThanChampion };
  });

/** A promotion policy as written (before defaults and parsing). */
export type PromotionPolicyInput = z.input<typeof promotionPolicySchema>;
/** A validated promotion policy. */
export type PromotionPolicy = z.output<typeof promotionPolicySchema>;
/** A validated no-regression rule of a policy. */
export type RegressionRule = PromotionPolicy['notWorseThanChampion'][number];

/**
 * Validates a promotion policy.
 * @throws LlmopsError `invalid_input` naming `where` and each bad field.
 */
export function parsePromotionPolicy(value: unknown, where = 'promotion policy'): PromotionPolicy {
  return parseWithSchema(promotionPolicySchema, value, { where });
}
