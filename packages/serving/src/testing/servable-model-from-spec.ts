import { parseModelVersionSpec } from '@llmops/kernel';
import { toServableModel } from '../domain/models/servable-model.js';
import type { ModelResolution } from '../domain/models/servable-model.js';
import type { ServableModel } from '../ports.js';

/**
 * A servable model from a spec as written, validated by the kernel's model spec schema (defaults
 * filled in), with its version and pinned prompt: for tests and for apps serving a fixed set of versions.
 * @throws LlmopsError `invalid_input` naming each bad field of the spec.
 */
export function servableModelFromSpec(spec: unknown, resolution: ModelResolution): ServableModel {
  return toServableModel(parseModelVersionSpec(spec, `model spec of version ${resolution.version}`), resolution);
}
