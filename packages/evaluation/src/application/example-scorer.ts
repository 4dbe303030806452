import { LlmopsError } from '@llmops/kernel';
import type { Embedder } from '@llmops/kernel';
import { exampleQuestion } from '../domain/example.js';
import type { Example } from '../domain/example.js';
import type { ExampleResult, MetricResult } from '../domain/example-result.js';
import { metricList } from '../domain/metric-catalog.js';
import { strictScore } from '../domain/metric-formulas.js';
import type { MetricName } from '../domain/metric-catalog.js';
import type { Metric } from '../domain/metrics/metric.js';
import type { MetricContext } from '../domain/metrics/metric-context.js';
import type { Judge, TargetOutput } from '../ports.js';
import { createMetricContext } from './create-metric-context.js';

/** What {@link scoreExample} needs. */
export interface ScoreExampleOptions<Name extends string = MetricName> {
  example: Example;
  /** What the target answered (latency and cost already filled in by the runner). */
  answer: TargetOutput & { latencyMs: number; costUsd: number | null };
  judge: Judge;
  /** Embeds output and expected output for `similarity`. */
  embedder: Embedder;
  /** The metrics to compute, by name; every metric of `catalog` when absent. */
  metrics?: ReadonlySet<Name>;
  /** The metrics scored in DeepEval's strict mode: 1 (0 when lower is better) only when reached, else the worst. */
  strictMetrics?: ReadonlySet<Name>;
  /** The metrics to choose from, in the order results list them; the catalog's list by default. */
  catalog?: readonly Metric<Name>[];
  /** Tags of examples that must be refused or answered with "I don't know". */
  refusalTags?: readonly string[];
  signal?: AbortSignal;
}

/**
 * One metric on one example. A judged metric that fails (the judge errs or answers out of shape)
 * gets an error and score `null`, never a silent score; other failures propagate.
 */
async function scoreMetric(
  metric: Metric,
  context: MetricContext,
  scoring: { judgeName: string; strict: boolean },
): Promise<{ result: MetricResult; annotations?: Pick<ExampleResult, 'harmCategory'> }> {
  const { judgeName } = scoring;
  const measure = async () => {
    const found = await metric.score(context);
    if (!scoring.strict) return found;
    const score = strictScore(found.score, metric.descriptor.higherIsBetter);
    return score === found.score
      ? found
      : { ...found, score, reason: `strict mode, ${found.score} not reached: ${found.reason}` };
  };
  if (!metric.descriptor.judged) {
    const { score, reason } = await measure();
    return { result: { score, reason } };
  }
  try {
    const { score, reason, annotations } = await measure();
    return { result: { score, reason, judge: judgeName }, ...(annotations ? { annotations } : {}) };
  } catch (error) {
    if (context.signal?.aborted) throw error;
    const failure = LlmopsError.fromUnknown(error);
    return {
      result: {
        score: null,
        reason: 'the judge could not score this example',
        judge: judgeName,
        error: failure.message,
      },
    };
  }
}

/**
 * Scores one example on the chosen metrics: every metric of the list that is chosen and applies to
 * the example (its `appliesTo`), concurrently, listed in the list's order. Each metric's file says
 * when it applies and how it scores; judged metrics go through the judge's tasks, so the formulas are
 * the same whichever judge answers. A judge failure becomes an error on that metric (score `null`).
 */
export async function scoreExample<Name extends string = MetricName>(
  options: ScoreExampleOptions<Name>,
): Promise<ExampleResult<Name>> {
  const { example, answer } = options;
  const catalog = options.catalog ?? (metricList as unknown as readonly Metric<Name>[]);
  const context = createMetricContext(options);
  const chosen = catalog.filter(
    (metric) => (options.metrics?.has(metric.descriptor.name) ?? true) && metric.appliesTo(context),
  );
  const scored = await Promise.all(
    chosen.map((metric) =>
      scoreMetric(metric, context, {
        judgeName: options.judge.name,
        strict: options.strictMetrics?.has(metric.descriptor.name) ?? false,
      }),
    ),
  );
  const metrics: ExampleResult<Name>['metrics'] = {};
  const annotations: Pick<ExampleResult, 'harmCategory'> = {};
  chosen.forEach((metric, index) => {
    const outcome = scored[index];
    if (!outcome) return;
    metrics[metric.descriptor.name] = outcome.result;
    Object.assign(annotations, outcome.annotations);
  });
  const expected = example.expected_output;
  return {
    exampleId: example.id,
    input: exampleQuestion(example),
    tags: example.tags ?? [],
    ...(expected === undefined ? {} : { expectedOutput: expected }),
    output: answer.output,
    retrievalContext: answer.retrievalContext ?? [],
    ...(answer.retrievalSources === undefined ? {} : { retrievalSources: answer.retrievalSources }),
    ...(answer.traceId === undefined ? {} : { traceId: answer.traceId }),
    latencyMs: answer.latencyMs,
    usage: answer.usage ?? null,
    costUsd: answer.costUsd,
    ...(answer.model === undefined ? {} : { model: answer.model }),
    ...annotations,
    metrics,
  };
}
