import type { ModelResolver, ServableModel, ServableModelListing } from '../ports.js';
import type { Pipeline } from './pipeline.js';

/** Builds the pipeline of a model version (a `PipelineFactory`, or a fake in tests). */
export interface PipelineBuilder {
  create(model: ServableModel): Promise<Pipeline>;
}

/** Settings of {@link ServingService}. */
export interface ServingServiceOptions {
  resolver: ModelResolver;
  factory: PipelineBuilder;
  /** Pipelines kept built (least recently used dropped first); 64 by default. */
  maxPipelines?: number;
}

/**
 * The entry point of serving for apps (the HTTP API, the CLI, evaluation runs in process):
 * resolves a registry reference and returns the pipeline of the version it points to. Versions
 * are immutable, so pipelines are built once per `name/version` and kept (bounded, least recently
 * used dropped); concurrent requests for a version still being built share the build.
 */
export class ServingService {
  private readonly resolver: ModelResolver;
  private readonly factory: PipelineBuilder;
  private readonly maxPipelines: number;
  private readonly pipelines = new Map<string, Promise<Pipeline>>();

  constructor(options: ServingServiceOptions) {
    this.resolver = options.resolver;
    this.factory = options.factory;
    this.maxPipelines = options.maxPipelines ?? 64;
  }

  /**
   * The pipeline of a reference's current version.
   * @throws LlmopsError `not_found` for an unknown model, alias or version; `invalid_input` for a
   * malformed reference or a version that cannot be served; what building the pipeline throws.
   */
  async pipeline(reference: string): Promise<Pipeline> {
    const model = await this.resolver.resolve(reference);
    const key = `${model.name}/${model.version}`;
    const known = this.pipelines.get(key);
    if (known) {
      this.pipelines.delete(key);
      this.pipelines.set(key, known);
      return known;
    }
    const building = this.factory.create(model);
    this.pipelines.set(key, building);
    while (this.pipelines.size > this.maxPipelines) this.pipelines.delete(this.pipelines.keys().next().value as string);
    try {
      return await building;
    } catch (error) {
      if (this.pipelines.get(key) === building) this.pipelines.delete(key);
      throw error;
    }
  }

  /** The registered models and their aliases. */
  listModels(): Promise<ServableModelListing[]> {
    return this.resolver.list();
  }
}
