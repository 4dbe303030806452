import type { Embedder } from '@llmops/kernel';
import { canonicalJson } from '../domain/canonical-json.js';
import type { Example } from '../domain/example.js';
import type { AskJudge, MetricContext, ScoredAnswer } from '../domain/metrics/metric-context.js';
import type { Judge } from '../ports.js';

/** What {@link createMetricContext} needs. */
export interface CreateMetricContextOptions {
  example: Example;
  answer: ScoredAnswer;
  judge: Judge;
  embedder: Embedder;
  refusalTags?: readonly string[];
  signal?: AbortSignal;
}

/**
 * The context the metrics of one example share, with one memo: a judge task asked twice for the
 * example (by two metrics) is one judge call, and so is any `memo` key.
 */
export function createMetricContext(options: CreateMetricContextOptions): MetricContext {
  const memory = new Map<string, Promise<unknown>>();
  const memo = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let pending = memory.get(key);
    if (!pending) {
      pending = compute();
      memory.set(key, pending);
    }
    return pending as Promise<T>;
  };
  const call = { signal: options.signal };
  const judge: AskJudge = (task) => memo(`judge:${canonicalJson(task)}`, () => options.judge.judge(task, call));
  return {
    example: options.example,
    answer: options.answer,
    judge,
    embedder: options.embedder,
    ...(options.refusalTags ? { refusalTags: options.refusalTags } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    memo,
  };
}
