import { createServedModelTargets, openExampleTraceQueue } from '@llmops/composition';
import { openRegistry } from '../registry/open-registry.js';
import type { ModelTargetFactory } from './evaluation-session.js';

/**
 * Serves a registered model version in process for evaluation, exactly as the API does: the registry
 * of `--store` resolves the reference, serving builds the pipeline with the workspace's guardrails,
 * prices and indexes, and the pipeline is adapted into evaluation's Target port. Each example's trace is written to the
 * store's traces (`openExampleTraceQueue`: the embedded store's table, or MLflow's `llmops-serving` experiment by OTLP,
 * in batches, flushed before the run is finished) as a served request's is, so the example keeps its trace id and
 * `llmops traces show` and the console open it.
 */
export const servedModelTarget: ModelTargetFactory = async (reference, context) => {
  const { cwd, env } = context.io;
  const registry = openRegistry(context);
  // The run goes on without traces the store refuses: its examples then link traces that the store does not have.
  const traces = openExampleTraceQueue(context.globals.store, {
    cwd,
    env,
    onDropped: (_dropped, message) => context.io.stderr(`llmops eval: ${message}\n`),
  });
  try {
    const served = await createServedModelTargets({ registry, cwd, env, traces: traces.queue })(
      reference,
      context.target ?? {},
    );
    return {
      target: served.target,
      close: async () => Promise.all([served.close(), traces.close(), registry.close()]).then(() => undefined),
    };
  } catch (error) {
    await Promise.all([traces.close(), registry.close()]);
    throw error;
  }
};
