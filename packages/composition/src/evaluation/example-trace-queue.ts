import { LlmopsError } from '@llmops/kernel';
import { BatchingTraceSink, openTraceStore } from '@llmops/serving';
import type { EvaluationTraceQueue } from './pipeline-target.js';

/** The example traces of an evaluation run, queued for the store's trace store; `close` flushes them and closes it. */
export interface ExampleTraceQueue {
  queue: EvaluationTraceQueue;
  close: () => Promise<void>;
}

/**
 * The trace store of `storeUri` behind a batching queue, for the examples of an evaluation run that serves a model in
 * process (`llmops eval run`, the evaluate job, an alert's re-evaluation): each example's trace is written as a served
 * request's is (an SQLite transaction, or one OTLP request to MLflow, per batch), so the example keeps a trace id the
 * console and `llmops traces show` open. A batch the store refuses is reported through `onDropped` (the count and a
 * sentence naming the store, never a trace's text) and the run goes on; its examples then link traces the store lacks.
 */
export function openExampleTraceQueue(
  storeUri: string,
  options: {
    cwd: string;
    env: Record<string, string | undefined>;
    onDropped: (dropped: number, message: string) => void;
  },
): ExampleTraceQueue {
  const traceStore = openTraceStore(storeUri, { cwd: options.cwd, env: options.env });
  const queue = new BatchingTraceSink({
    sink: traceStore.sink,
    ...(traceStore.batchSize === undefined ? {} : { batchSize: traceStore.batchSize }),
    onError: (error, dropped) =>
      options.onDropped(
        dropped,
        `${dropped} example trace(s) not stored in ${traceStore.location}: ${LlmopsError.fromUnknown(error).message}`,
      ),
  });
  return {
    queue,
    close: async () => {
      try {
        await queue.close();
      } finally {
        traceStore.close();
      }
    },
  };
}
