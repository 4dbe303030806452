import { z } from 'zod';

const metricNameSchema = z.string().regex(/^[a-z0-9_]+$/, 'expected a metric name such as contextual_relevancy');

/**
 * The `onlineEvaluation:` section of `confs/monitoring.yaml`: which share of served answers is scored, on which
 * evaluation metrics, by which judge, and the bounds that keep scoring off the requests' path. Without the section
 * nothing is scored.
 */
export const onlineEvaluationConfigSchema = z
  .strictObject({
    /** The share of answered requests scored, in [0, 1]; chosen by a hash of the request id (reproducible). */
    sampleRate: z.number().min(0, 'a rate is at least 0').max(1, 'a rate is at most 1'),
    /** Evaluation metrics that need no ground truth (the question, the answer and the passages it was given). */
    metrics: z.array(metricNameSchema).min(1, 'give at least one metric, for example [contextual_relevancy]'),
    /** The judge: `offline` (the heuristic judge, the default) or a model spec such as `openai/gpt-4o-mini`. */
    judge: z.string().min(1).default('offline'),
    /** Samples scored at the same time; 2 by default. */
    maxConcurrent: z.int().min(1).max(64).default(2),
    /** Samples accepted per rolling minute at most (the budget); the rest are dropped and counted. 60 by default. */
    maxPerMinute: z.int().min(1).default(60),
    /** Samples waiting for a free slot at most; the rest are dropped and counted. 100 by default. */
    maxQueued: z.int().min(1).default(100),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.metrics.forEach((metric, index) => {
      if (seen.has(metric))
        context.addIssue({ code: 'custom', message: `metric "${metric}" listed twice`, path: ['metrics', index] });
      seen.add(metric);
    });
  });

/** A parsed `onlineEvaluation:` section (see {@link onlineEvaluationConfigSchema}). */
export type OnlineEvaluationConfig = z.infer<typeof onlineEvaluationConfigSchema>;
