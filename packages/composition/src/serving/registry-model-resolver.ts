import type { ModelSpec } from '@llmops/providers';
import type { Registry } from '@llmops/registry';
import type { ModelResolver, PinnedPrompt, PipelineSpec, ServableModel, ServableModelListing } from '@llmops/serving';

/**
 * Serving's {@link ModelResolver} over the registry: a reference resolves to a model version, whose
 * pinned prompt (`name/3`) is read so the pipeline has its template. The app wires the two
 * contexts; neither imports the other.
 */
export class RegistryModelResolver implements ModelResolver {
  constructor(private readonly registry: Registry) {}

  private async pin(reference: string): Promise<PinnedPrompt> {
    const prompt = await this.registry.resolvePrompt(reference);
    return { reference: `${prompt.name}/${prompt.version}`, template: prompt.template };
  }

  async resolve(reference: string): Promise<ServableModel> {
    const version = await this.registry.resolveModel(reference);
    const { spec } = version;
    let pipeline: PipelineSpec;
    if (spec.pipeline.kind === 'rag') {
      const { prompt, corpus, k, tokenBudget, chunkTokens, chunkOverlapTokens, embedder } = spec.pipeline;
      pipeline = {
        kind: 'rag',
        prompt: await this.pin(prompt),
        corpus,
        k,
        tokenBudget,
        ...(chunkTokens === undefined ? {} : { chunkTokens }),
        ...(chunkOverlapTokens === undefined ? {} : { chunkOverlapTokens }),
        ...(embedder === undefined ? {} : { embedder }),
      };
    } else if (spec.pipeline.kind === 'chat') {
      pipeline = { kind: 'chat', prompt: await this.pin(spec.pipeline.prompt) };
    } else {
      pipeline = { ...spec.pipeline, kind: 'agent' };
    }
    return {
      name: version.name,
      version: version.version,
      provider: spec.provider as ModelSpec,
      params: spec.params,
      pipeline,
      guardrails: spec.guardrails,
      cache: spec.cache,
      fallbacks: spec.fallbacks,
    };
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
