import { z } from 'zod';
import { alertsConfigSchema } from '../alerts/alerts-config.js';
import { onlineEvaluationConfigSchema } from '../online/online-evaluation-config.js';
import { parseSinceDuration, sinceDurationPattern } from '../since-duration.js';

const nameSchema = z.string().regex(/^[a-z0-9_.-]+$/, 'expected lower-case letters, digits, "_", "." or "-"');
const rateSchema = z.number().min(0, 'a rate is at least 0').max(1, 'a rate is at most 1');

const latencySloSchema = z.strictObject({
  name: nameSchema,
  kind: z.literal('latency'),
  /** The percentile of request latency that must stay under the threshold (95 for p95). */
  percentile: z.number().gt(0).lt(100).default(95),
  thresholdMs: z.number().positive(),
});

const errorRateSloSchema = z.strictObject({
  name: nameSchema,
  kind: z.literal('error_rate'),
  maxRate: rateSchema,
});

const harmfulOutputSloSchema = z.strictObject({
  name: nameSchema,
  kind: z.literal('harmful_output'),
  /** 0 (the default) means zero tolerance: one harmful output breaches. */
  maxRate: rateSchema.default(0),
});

const refusalRateSloSchema = z
  .strictObject({
    name: nameSchema,
    kind: z.literal('refusal_rate'),
    minRate: rateSchema.default(0),
    maxRate: rateSchema,
  })
  .refine((slo) => slo.minRate <= slo.maxRate, { error: 'minRate must not exceed maxRate', path: ['minRate'] });

const onlineMetricSloSchema = z.strictObject({
  name: nameSchema,
  kind: z.literal('online_metric'),
  /** An evaluation metric scored online on sampled traffic (`contextual_relevancy`). */
  metric: z.string().min(1),
  /** The lowest acceptable mean score. */
  min: z.number(),
});

/** One service level objective as `confs/monitoring.yaml` declares it. */
export const sloSchema = z.discriminatedUnion('kind', [
  latencySloSchema,
  errorRateSloSchema,
  harmfulOutputSloSchema,
  refusalRateSloSchema,
  onlineMetricSloSchema,
]);

/** A rolling window such as `1h` or `24h`: its text and its length in ms. */
export interface SloWindow {
  name: string;
  ms: number;
}

const windowSchema = z
  .string()
  .regex(sinceDurationPattern, 'expected a whole number and a unit s, m, h, d or w, for example 1h or 24h')
  .transform((text): SloWindow => ({ name: text, ms: parseSinceDuration(text) }));

/**
 * The `confs/monitoring.yaml` file: rolling windows, the objectives evaluated over each, the alert rules
 * over the objectives and drift (see `alertsConfigSchema`), and online evaluation (`onlineEvaluationConfigSchema`).
 */
export const monitoringConfSchema = z
  .strictObject({
    /** Rolling windows, each ending now, over which every objective is evaluated. */
    windows: z.array(windowSchema).min(1, 'give at least one window, for example [1h, 24h]').prefault(['1h', '24h']),
    slos: z.array(sloSchema).min(1, 'give at least one objective'),
    /** Alert rules; without the section nothing fires. */
    alerts: alertsConfigSchema.optional(),
    /** Scoring a share of served answers with evaluation metrics; without the section nothing is scored. */
    onlineEvaluation: onlineEvaluationConfigSchema.optional(),
  })
  .superRefine((conf, context) => {
    const seen = new Set<string>();
    conf.slos.forEach((slo, index) => {
      if (seen.has(slo.name))
        context.addIssue({
          code: 'custom',
          message: `duplicate objective name "${slo.name}"`,
          path: ['slos', index, 'name'],
        });
      seen.add(slo.name);
      // An online objective on a metric the section does not score would stay no_data forever.
      const online = conf.onlineEvaluation;
      if (slo.kind === 'online_metric' && online && !online.metrics.includes(slo.metric))
        context.addIssue({
          code: 'custom',
          message: `metric "${slo.metric}" is not scored online (onlineEvaluation.metrics: ${online.metrics.join(', ')})`,
          path: ['slos', index, 'metric'],
        });
    });
    // A rule watching an objective the file does not declare would never fire: say so instead.
    conf.alerts?.rules.forEach((rule, index) => {
      const [source, name] = rule.when.split(':', 2);
      if (source === 'slo' && name !== undefined && !seen.has(name))
        context.addIssue({
          code: 'custom',
          message: `"${rule.when}" names no objective of this file (objectives: ${[...seen].join(', ')})`,
          path: ['alerts', 'rules', index, 'when'],
        });
    });
  });

/** One service level objective (see {@link sloSchema}). */
export type Slo = z.infer<typeof sloSchema>;
/** The kinds of objective. */
export type SloKind = Slo['kind'];
/** A parsed monitoring conf (see {@link monitoringConfSchema}). */
export type MonitoringConf = z.infer<typeof monitoringConfSchema>;
