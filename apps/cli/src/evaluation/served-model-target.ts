import { createServedModelTargets } from '@llmops/composition';
import { parseStoreUri } from '@llmops/kernel';
import { openRegistry } from '../registry/open-registry.js';
import type { ModelTargetFactory } from './evaluation-session.js';

/**
 * Serves a registered model version in process for evaluation, exactly as the API does: the registry
 * of `--store` resolves the reference, serving builds the pipeline with the workspace's guardrails,
 * prices and indexes, and the pipeline is adapted into evaluation's Target port. On the embedded store each
 * example's trace is written to its trace table (as a served request's is), so the example keeps its trace id and
 * `llmops traces show` and the console open it; on MLflow no trace is recorded.
 */
export const servedModelTarget: ModelTargetFactory = async (reference, context) => {
  const { cwd, env } = context.io;
  const { BatchingTraceSink, openTraceStore } = await import('@llmops/serving');
  const registry = openRegistry(context);
  const traceStore = openTraceStore(context.globals.store, { cwd, env });
  // Evaluation examples' traces stay on the embedded store: on MLflow each would be one more OTLP request per example.
  const traces =
    parseStoreUri(context.globals.store).kind === 'sqlite'
      ? new BatchingTraceSink({
          sink: traceStore.sink,
          ...(traceStore.batchSize === undefined ? {} : { batchSize: traceStore.batchSize }),
        })
      : undefined;
  const closeTraces = async () => {
    try {
      await traces?.close();
    } finally {
      traceStore.close();
    }
  };
  try {
    const served = await createServedModelTargets({ registry, cwd, env, ...(traces ? { traces } : {}) })(
      reference,
      context.target ?? {},
    );
    return {
      target: served.target,
      close: async () => Promise.all([served.close(), closeTraces(), registry.close()]).then(() => undefined),
    };
  } catch (error) {
    await Promise.all([closeTraces(), registry.close()]);
    throw error;
  }
};
