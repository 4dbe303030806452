import type { ModelVersionSpec } from '@llmops/kernel';
import type { PinnedPrompt, ServableModel, ServablePipeline } from '../../ports.js';

/** What resolving a reference adds to a model version's spec. */
export interface ModelResolution {
  /** The concrete version the reference resolved to. */
  version: number;
  /** The template of the prompt the spec's pipeline references (pinned at registration). */
  prompt?: PinnedPrompt;
}

/**
 * The servable form of a validated model version spec: the spec as is, with its version and its
 * pipeline's prompt reference replaced by the pinned prompt.
 */
export function toServableModel(spec: ModelVersionSpec, resolution: ModelResolution): ServableModel {
  const pipeline: Record<string, unknown> = { ...spec.pipeline };
  delete pipeline['prompt'];
  if (resolution.prompt) pipeline['prompt'] = resolution.prompt;
  return { ...spec, version: resolution.version, pipeline: pipeline as ServablePipeline };
}
