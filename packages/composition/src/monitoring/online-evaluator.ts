import type { Embedder } from '@llmops/kernel';
import { OfflineHeuristicJudge, scoreExample } from '@llmops/evaluation';
import type { Judge, MetricName } from '@llmops/evaluation';
import type { OnlineEvaluator } from '@llmops/monitoring';
import { OfflineLexicalEmbedder } from '@llmops/providers';

/**
 * The evaluation metrics online evaluation can score: scores in [0, 1], higher better, that need no ground truth,
 * only the question, the answer and the passages the model was given (a served request has no expected output or
 * reference passages).
 */
export const onlineMetricNames: readonly MetricName[] = ['contextual_relevancy', 'faithfulness', 'answer_relevancy'];

/** Options of {@link createOnlineEvaluator}. */
export interface OnlineEvaluatorOptions {
  judge: Judge;
  /** The metrics to score, among {@link onlineMetricNames}. */
  metrics: readonly string[];
  /** Embeds texts for metrics that need it; the offline lexical embedder by default. */
  embedder?: Embedder;
}

/**
 * Monitoring's {@link OnlineEvaluator} port, implemented with the evaluation context: a sampled request becomes an
 * example (its question) with the served answer and its passages, scored by `scoreExample` with the chosen metrics
 * and judge, exactly as an evaluation run scores one example. Metrics that do not apply (no passages for
 * contextual relevancy) and scores the judge could not give are left out.
 */
export function createOnlineEvaluator(options: OnlineEvaluatorOptions): OnlineEvaluator {
  const embedder = options.embedder ?? new OfflineLexicalEmbedder();
  const metrics = new Set(options.metrics as readonly MetricName[]);
  return {
    evaluate: async (sample, call = {}) => {
      const result = await scoreExample({
        example: { id: sample.requestId, input: sample.question },
        answer: { output: sample.answer, retrievalContext: sample.retrievalContext, latencyMs: 0, costUsd: null },
        judge: options.judge,
        embedder,
        metrics,
        ...(call.signal ? { signal: call.signal } : {}),
      });
      const scores: Record<string, number> = {};
      for (const [name, metric] of Object.entries(result.metrics))
        if (metric && typeof metric.score === 'number' && Number.isFinite(metric.score)) scores[name] = metric.score;
      return {
        scores,
        judge: options.judge.name,
        judgeKind: options.judge instanceof OfflineHeuristicJudge ? 'code' : 'llm',
      };
    },
  };
}
