import { createServedModelTargets } from '@llmops/composition';
import { LlmopsError } from '@llmops/kernel';
import { openRegistry } from '../registry/open-registry.js';
import type { ModelTargetFactory } from './evaluation-session.js';

/**
 * Serves a registered model version in process for evaluation, exactly as the API does: the registry
 * of `--store` resolves the reference, serving builds the pipeline with the workspace's guardrails,
 * prices and indexes, and the pipeline is adapted into evaluation's Target port. Each example's trace is written to the
 * store's traces (the embedded store's table, or MLflow's `llmops-serving` experiment by OTLP, in batches) as a served
 * request's is, so the example keeps its trace id and `llmops traces show` and the console open it.
 */
export const servedModelTarget: ModelTargetFactory = async (reference, context) => {
  const { cwd, env } = context.io;
  const { BatchingTraceSink, openTraceStore } = await import('@llmops/serving');
  const registry = openRegistry(context);
  const traceStore = openTraceStore(context.globals.store, { cwd, env });
  // Each example's trace goes to the store as a served request's does: a batch of traces a write (an SQLite
  // transaction, or one OTLP request to MLflow), flushed before the run is finished.
  const traces = new BatchingTraceSink({
    sink: traceStore.sink,
    ...(traceStore.batchSize === undefined ? {} : { batchSize: traceStore.batchSize }),
    // The run goes on without them: its examples then link traces that the store does not have.
    onError: (error, dropped) =>
      context.io.stderr(
        `llmops eval: ${dropped} example trace(s) not stored in ${traceStore.location}: ${LlmopsError.fromUnknown(error).message}\n`,
      ),
  });
  const closeTraces = async () => {
    try {
      await traces.close();
    } finally {
      traceStore.close();
    }
  };
  try {
    const served = await createServedModelTargets({ registry, cwd, env, traces })(reference, context.target ?? {});
    return {
      target: served.target,
      close: async () => Promise.all([served.close(), closeTraces(), registry.close()]).then(() => undefined),
    };
  } catch (error) {
    await Promise.all([closeTraces(), registry.close()]);
    throw error;
  }
};
