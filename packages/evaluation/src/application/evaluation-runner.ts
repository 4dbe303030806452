import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock, Embedder } from '@llmops/kernel';
import { OfflineLexicalEmbedder } from '@llmops/providers';
import type { PricingTable } from '@llmops/providers';
import { summarizeResults } from '../domain/aggregates.js';
import type { EvaluationSummary } from '../domain/aggregates.js';
import type { Dataset } from '../domain/dataset.js';
import type { JudgeStatistics } from '../domain/evaluation-run.js';
import { exampleQuestion } from '../domain/example.js';
import type { Example } from '../domain/example.js';
import type { ExampleResult } from '../domain/example-result.js';
import { defaultMetrics } from '../domain/metric-catalog.js';
import type { MetricName } from '../domain/metric-catalog.js';
import type { Judge, JudgeCache, Target, TargetOutput } from '../ports.js';
import { CachingJudge } from './caching-judge.js';
import { scoreExample } from './example-scorer.js';

/** Reported after every finished example. */
export interface ProgressEvent {
  /** Examples finished so far (target failures included). */
  done: number;
  total: number;
  /** Examples where the target failed so far. */
  failed: number;
  /** The example just finished. */
  exampleId: string;
  elapsedMs: number;
  judge: JudgeStatistics;
}

/** Options of {@link runEvaluation}. */
export interface RunEvaluationOptions {
  dataset: Dataset;
  target: Target;
  judge: Judge;
  /** Where judge answers are cached by content; none by default (answers are still shared within the run). */
  cache?: JudgeCache;
  /** Embeds answers for `similarity`; the offline lexical embedder by default. */
  embedder?: Embedder;
  /** The metrics to compute; all by default. */
  metrics?: readonly MetricName[];
  /** Metrics scored in DeepEval's strict mode (1 only when the metric reaches 1, else 0). */
  strictMetrics?: readonly MetricName[];
  /** Examples evaluated at the same time; 4 by default. */
  concurrency?: number;
  /** Prices usage when the target reports no cost. */
  pricing?: PricingTable;
  /** Tags of examples that must be refused or answered with "I don't know"; see `refusalTags`. */
  refusalTags?: readonly string[];
  /** Aborting stops starting examples and abandons those in flight; finished examples are kept. */
  signal?: AbortSignal;
  /** Called after each finished example. */
  onProgress?: (event: ProgressEvent) => void;
  clock?: Clock;
}

/** The outcome of {@link runEvaluation}. */
export interface EvaluationOutcome {
  /** `interrupted` when the signal aborted the run before every example finished. */
  status: 'finished' | 'interrupted';
  /** Results of the finished examples, in dataset order. */
  results: ExampleResult[];
  summary: EvaluationSummary;
  judgeStatistics: JudgeStatistics;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
}

function targetFailure(example: Example, error: LlmopsError): ExampleResult {
  return {
    exampleId: example.id,
    input: exampleQuestion(example),
    tags: example.tags ?? [],
    ...(example.expected_output === undefined ? {} : { expectedOutput: example.expected_output }),
    output: '',
    retrievalContext: [],
    latencyMs: null,
    usage: null,
    costUsd: null,
    metrics: {},
    error: `${error.code}: ${error.message}`,
  };
}

/**
 * Runs a dataset through a target and scores every example, `concurrency` examples at a time.
 * A target failure is recorded on its example (and counted), never fatal; judge failures are
 * recorded on their metric. Aborting the signal (Ctrl-C) keeps every finished example and returns
 * with status `interrupted`. Judge answers go through a {@link CachingJudge}, so a second identical
 * run with the same cache makes no judge call.
 */
export async function runEvaluation(options: RunEvaluationOptions): Promise<EvaluationOutcome> {
  const clock = options.clock ?? systemClock;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new LlmopsError('invalid_input', `concurrency is ${concurrency}; expected a whole number >= 1`);
  }
  const judge = new CachingJudge(options.judge, options.cache);
  const embedder = options.embedder ?? new OfflineLexicalEmbedder();
  const metrics = new Set(options.metrics ?? defaultMetrics);
  const strictMetrics = new Set(options.strictMetrics ?? []);
  const { examples } = options.dataset;
  const results: Array<ExampleResult | undefined> = new Array(examples.length);
  const startedAt = clock.now();
  const started = clock.monotonic();
  let next = 0;
  let done = 0;
  let failed = 0;
  const signal = options.signal;

  const evaluateOne = async (example: Example): Promise<ExampleResult> => {
    const callStart = clock.monotonic();
    let answer: TargetOutput;
    try {
      answer = await options.target.invoke(example, { signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      return targetFailure(example, LlmopsError.fromUnknown(error));
    }
    const latencyMs = answer.latencyMs ?? clock.monotonic() - callStart;
    let costUsd = answer.costUsd ?? null;
    if (answer.costUsd === undefined && options.pricing && answer.usage && answer.model) {
      costUsd = options.pricing.cost(answer.model, {
        prompt_tokens: answer.usage.inputTokens,
        completion_tokens: answer.usage.outputTokens,
      });
    }
    return scoreExample({
      example,
      answer: { ...answer, latencyMs, costUsd },
      judge,
      embedder,
      metrics,
      ...(strictMetrics.size > 0 ? { strictMetrics } : {}),
      ...(options.refusalTags ? { refusalTags: options.refusalTags } : {}),
      ...(signal ? { signal } : {}),
    });
  };

  const worker = async () => {
    while (!signal?.aborted) {
      const index = next;
      next += 1;
      if (index >= examples.length) return;
      const example = examples[index] as Example;
      let result: ExampleResult;
      try {
        result = await evaluateOne(example);
      } catch (error) {
        if (signal?.aborted) return;
        throw error;
      }
      results[index] = result;
      done += 1;
      if (result.error !== undefined) failed += 1;
      options.onProgress?.({
        done,
        total: examples.length,
        failed,
        exampleId: example.id,
        elapsedMs: clock.monotonic() - started,
        judge: judge.statistics,
      });
    }
  };

  await Promise.all(Array.from({ length: Math.min(concurrency, examples.length) }, () => worker()));
  const finished = results.filter((result): result is ExampleResult => result !== undefined);
  const finishedAt = clock.now();
  return {
    status: finished.length === examples.length ? 'finished' : 'interrupted',
    results: finished,
    summary: summarizeResults(finished),
    judgeStatistics: judge.statistics,
    startedAt,
    finishedAt,
    durationMs: clock.monotonic() - started,
  };
}
