import { parseReference } from '@llmops/kernel';
import type { Registry } from '@llmops/registry';

/** The traffic a model reference selects in the event store: a model's name, and one version when the reference names one. */
export interface MonitoredModel {
  modelName: string;
  modelVersion?: number;
}

/**
 * The model name (and version) a reference selects, checked against the registry: `name` is every version of the
 * model, `name/7` that version, `name@alias` the version the alias points to now.
 * @throws LlmopsError `invalid_input` for a malformed reference, `not_found` naming an unknown model, version or alias.
 */
export async function selectMonitoredModel(
  registry: Pick<Registry, 'getModel' | 'resolveModel'>,
  text: string,
): Promise<MonitoredModel> {
  const reference = parseReference(text);
  if (reference.kind === 'latest') {
    await registry.getModel(reference.name);
    return { modelName: reference.name };
  }
  const version = await registry.resolveModel(reference);
  return { modelName: version.name, modelVersion: version.version };
}
