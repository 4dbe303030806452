import { OfflineLexicalEmbedder } from '@llmops/providers';
import { createMetricContext } from '../application/create-metric-context.js';
import type { CreateMetricContextOptions } from '../application/create-metric-context.js';
import type { Example } from '../domain/example.js';
import type { MetricContext, ScoredAnswer } from '../domain/metrics/metric-context.js';
import { ScriptedJudge } from './scripted-judge.js';

/** What {@link metricTestContext} takes: anything left out gets a plain default. */
export interface MetricTestContextOptions extends Partial<Omit<CreateMetricContextOptions, 'example' | 'answer'>> {
  /** `{ id: 'example', input: 'question?' }` plus these fields. */
  example?: Partial<Example>;
  /** `{ output: 'answer.', latencyMs: 100, costUsd: null }` plus these fields. */
  answer?: Partial<ScoredAnswer>;
}

/**
 * A metric context for testing a metric alone (its `appliesTo`, its `score`): the same context the
 * scorer builds, with a default example and answer, the offline embedder, and a judge that answers
 * nothing unless one is given (a metric that asks it then fails, which a test can see).
 */
export function metricTestContext(options: MetricTestContextOptions = {}): MetricContext {
  return createMetricContext({
    embedder: new OfflineLexicalEmbedder(),
    judge: new ScriptedJudge({}),
    ...options,
    example: { id: 'example', input: 'question?', ...options.example },
    answer: { output: 'answer.', latencyMs: 100, costUsd: null, ...options.answer },
  });
}
