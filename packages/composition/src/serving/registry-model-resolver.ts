import type { ModelVersion, PromptVersion, Registry } from '@llmops/registry';
import { toServableModel } from '@llmops/serving';
import type { ModelResolver, ServableModel, ServableModelListing } from '@llmops/serving';

/**
 * Serving's {@link ModelResolver} over the registry: a reference resolves to a model version, whose
 * pinned prompt (`name/3`) is read so the pipeline has its template. The app wires the two
 * contexts; neither imports the other, and both speak the kernel's model spec.
 */
export class RegistryModelResolver implements ModelResolver {
  /**
   * The servable model last made from a version and its prompt. The registry answers a reference it remembers with
   * the same (frozen) objects, so a request for a remembered version reuses what the first one made.
   */
  private readonly servable = new WeakMap<ModelVersion, { prompt: PromptVersion; model: ServableModel }>();

  constructor(private readonly registry: Registry) {}

  async resolve(reference: string): Promise<ServableModel> {
    const version = await this.registry.resolveModel(reference);
    const prompt = await this.registry.resolvePrompt(version.spec.pipeline.prompt);
    const made = this.servable.get(version);
    if (made?.prompt === prompt) return made.model;
    const model = toServableModel(version.spec, {
      version: version.version,
      prompt: { reference: `${prompt.name}/${prompt.version}`, template: prompt.template },
    });
    this.servable.set(version, { prompt, model });
    return model;
  }

  async list(): Promise<ServableModelListing[]> {
    const models = await this.registry.listModels();
    return models.map((model) => ({
      name: model.name,
      latestVersion: model.latestVersion,
      aliases: model.aliases,
      createdAt: model.createdAt,
    }));
  }
}
