import { join } from 'node:path';
import { LlmopsError, ragBounds } from '@llmops/kernel';
import type { Target } from '@llmops/evaluation';
import type { Registry } from '@llmops/registry';
import { FileIndexStore } from '@llmops/serving';
import type { IndexStore, ServableModel, StoredIndex } from '@llmops/serving';
import type { ModelTargetOptions, RetrievalTrialSettings } from './run-evaluation.js';
import { createWorkspacePipelineFactory } from '../serving/serving-wiring.js';
import { createWorkspaceProviders } from '../providers/workspace-providers.js';
import { RegistryModelResolver } from '../serving/registry-model-resolver.js';
import { PipelineTarget } from './pipeline-target.js';
import type { EvaluationTraceQueue } from './pipeline-target.js';

/** An index store that remembers the text of every passage it loads or saves, by passage id. */
class RememberingIndexStore implements IndexStore {
  readonly texts = new Map<string, string>();

  constructor(private readonly inner: IndexStore) {}

  private remember(index: StoredIndex | undefined): void {
    for (const passage of index?.passages ?? []) this.texts.set(passage.id, passage.text);
  }

  async load(key: string): Promise<StoredIndex | undefined> {
    const index = await this.inner.load(key);
    this.remember(index);
    return index;
  }

  async save(index: StoredIndex): Promise<void> {
    this.remember(index);
    await this.inner.save(index);
  }
}

/**
 * The model with its RAG corpus swapped for `corpus` (the same retrieval method on another knowledge base).
 * @throws LlmopsError `invalid_input` when the model is not a RAG model.
 */
function withCorpus(model: ServableModel, reference: string, corpus: string | undefined): ServableModel {
  if (corpus === undefined) return model;
  if (model.pipeline.kind !== 'rag') {
    throw new LlmopsError(
      'invalid_input',
      `corpus: ${reference} is a ${model.pipeline.kind} model; only a rag model reads a corpus`,
    );
  }
  return { ...model, pipeline: { ...model.pipeline, corpus } };
}

/**
 * The model with retrieval settings replaced for a tuning trial (the same spec otherwise).
 * @throws LlmopsError `invalid_input` when the model is not a RAG model, or the value is out of its bounds.
 */
function withRetrieval(
  model: ServableModel,
  reference: string,
  retrieval: RetrievalTrialSettings | undefined,
): ServableModel {
  if (retrieval === undefined) return model;
  if (model.pipeline.kind !== 'rag') {
    throw new LlmopsError(
      'invalid_input',
      `retrieval: ${reference} is a ${model.pipeline.kind} model; only a rag model retrieves passages`,
    );
  }
  const { k } = retrieval;
  if (!Number.isInteger(k) || k < ragBounds.k.min || k > model.pipeline.retrieval.candidates) {
    throw new LlmopsError(
      'invalid_input',
      `retrieval.k: ${k} is not a whole number from ${ragBounds.k.min} to the candidates of ${reference} (${model.pipeline.retrieval.candidates})`,
    );
  }
  return { ...model, pipeline: { ...model.pipeline, retrieval: { ...model.pipeline.retrieval, k } } };
}

/**
 * Builds evaluation targets of registered model versions served in process: the registry resolves
 * the reference, serving builds the pipeline (indexes under `.llmops/indexes/`, the workspace's
 * guardrails and prices), and the pipeline is adapted into evaluation's Target port.
 */
export function createServedModelTargets(options: {
  registry: Registry;
  cwd: string;
  env: Record<string, string | undefined>;
  /**
   * Where each evaluated example's trace is recorded (the store's batching trace queue: SQLite's table, or MLflow by
   * OTLP, a batch a request); examples then keep their trace id, and the queue is flushed before the run is finished.
   */
  traces?: EvaluationTraceQueue;
}) {
  const { cwd, env } = options;
  const resolver = new RegistryModelResolver(options.registry);
  return async (
    reference: string,
    targetOptions: ModelTargetOptions = {},
  ): Promise<{ target: Target; close: () => Promise<void> }> => {
    const store = new RememberingIndexStore(new FileIndexStore({ directory: join(cwd, '.llmops', 'indexes') }));
    const providers = createWorkspaceProviders({ cwd, env });
    const factory = createWorkspacePipelineFactory({ cwd, env, indexStore: store, providers });
    let pipeline;
    try {
      const model = withRetrieval(
        withCorpus(await resolver.resolve(reference), reference, targetOptions.corpus),
        reference,
        targetOptions.retrieval,
      );
      pipeline = await factory.create(model);
    } catch (error) {
      await providers.close();
      throw error;
    }
    return {
      target: new PipelineTarget(pipeline, {
        reference,
        passageText: (id) => store.texts.get(id),
        ...(options.traces ? { traces: options.traces } : {}),
        ...(targetOptions.retrieval ? { trial: `retrieval.k=${targetOptions.retrieval.k}` } : {}),
      }),
      close: () => providers.close(),
    };
  };
}
