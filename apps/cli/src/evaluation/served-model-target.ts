import { createServedModelTargets } from '@llmops/composition';
import { openRegistry } from '../registry/open-registry.js';
import type { ModelTargetFactory } from './evaluation-session.js';

/**
 * Serves a registered model version in process for evaluation, exactly as the API does: the registry
 * of `--store` resolves the reference, serving builds the pipeline with the workspace's guardrails,
 * prices and indexes, and the pipeline is adapted into evaluation's Target port.
 */
export const servedModelTarget: ModelTargetFactory = async (reference, context) => {
  const { cwd, env } = context.io;
  const registry = openRegistry(context);
  try {
    const served = await createServedModelTargets({ registry, cwd, env })(reference, context.target ?? {});
    return {
      target: served.target,
      close: async () => Promise.all([served.close(), registry.close()]).then(() => undefined),
    };
  } catch (error) {
    await registry.close();
    throw error;
  }
};
