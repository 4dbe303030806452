import { contentText, LlmopsError } from '@llmops/kernel';
import type { ChatMessage, RagPipelineSpec } from '@llmops/kernel';
import { exampleMessages, guardrailRefusalOutput, retrievalContextString } from '@llmops/evaluation';
import type { Example, Target, TargetCallOptions, TargetDescription, TargetOutput } from '@llmops/evaluation';
import type { Pipeline, TraceQueue } from '@llmops/serving';

/** The retrieval settings of a RAG pipeline as flat run params (`retrieval.k`, `retrieval.chunking.strategy`, …). */
function retrievalParams(pipeline: Omit<RagPipelineSpec, 'prompt'>): Record<string, string> {
  const { chunking, candidates, k, rerank, compress, dense, reranker } = pipeline.retrieval;
  return {
    corpus: pipeline.corpus,
    tokenBudget: String(pipeline.tokenBudget),
    'retrieval.chunking': `${chunking.strategy}/${chunking.maxTokens}/${chunking.overlapTokens}`,
    'retrieval.candidates': String(candidates),
    'retrieval.k': String(k),
    'retrieval.rerank': rerank,
    'retrieval.compress': compress.enabled ? String(compress.keepRatio) : 'off',
    ...(compress.enabled ? { 'retrieval.compress.method': compress.method } : {}),
    ...(dense ? { 'retrieval.dense': String(dense.weight), 'retrieval.dense.weights': dense.weights } : {}),
    // The model reranker's endpoint by host only: never the key, nor its variable's value.
    ...(reranker
      ? {
          'retrieval.reranker': `${reranker.api}/${reranker.model}`,
          'retrieval.reranker.host': new URL(reranker.baseUrl).host,
          'retrieval.reranker.timeoutMs': String(reranker.timeoutMs),
        }
      : {}),
    ...(pipeline.embedder ? { embedder: pipeline.embedder } : {}),
  };
}

/** Where a pipeline target records its examples' traces: a queue it can flush before the run is finished. */
export type EvaluationTraceQueue = TraceQueue & { flush(): Promise<void> };

/** Finds the text of a retrieved passage by its id (the app keeps the passages of the indexes it loads). */
export type PassageTextLookup = (passageId: string) => string | undefined;

/** The variables a prompt lacked, when the error is serving's refusal of a prompt without them. */
function missingVariablesOf(error: unknown): string[] | undefined {
  if (!LlmopsError.isInstance(error) || error.code !== 'invalid_input') return undefined;
  const missing = (error.details as { missing?: unknown } | undefined)?.missing;
  return Array.isArray(missing) && missing.every((name) => typeof name === 'string') ? missing : undefined;
}

/**
 * Serving's pipeline of a registered model version, adapted into evaluation's Target port (the app
 * wires the two contexts; neither imports the other). The retrieval context is the passages the
 * pipeline put in the prompt (after compression), in rank order, each as {@link retrievalContextString}. A request blocked by an input guardrail
 * is answered with the block's message (a refusal), as a served client would see it.
 */
export class PipelineTarget implements Target {
  readonly description: TargetDescription;

  /**
   * @param options.trial the settings a tuning trial changed (`retrieval.k=3`): the pipeline is then not the
   * registered version, so the description names the trial and leaves out the model reference, name and version
   * (its runs are never that version's promotion evidence).
   */
  constructor(
    private readonly pipeline: Pipeline,
    private readonly options: {
      reference: string;
      passageText: PassageTextLookup;
      trial?: string;
      /** Where each example's trace is recorded (the store's trace queue); without it no trace id is kept. */
      traces?: EvaluationTraceQueue;
    },
  ) {
    const { model } = pipeline;
    const version = `${model.name}/${model.version}`;
    this.description = {
      kind: 'pipeline',
      ...(options.trial === undefined
        ? { name: version, modelRef: options.reference, modelName: model.name, modelVersion: String(model.version) }
        : { name: `${version} trial ${options.trial}` }),
      params: {
        provider: `${model.provider.provider}/${model.provider.model}`,
        pipeline: model.pipeline.kind,
        guardrails: model.guardrails ?? 'default',
        ...(model.pipeline.kind === 'rag' ? retrievalParams(model.pipeline) : {}),
      },
    };
  }

  /** Writes the examples' traces still queued (the run is finished after this, so its trace links resolve). */
  async flush(): Promise<void> {
    await this.options.traces?.flush();
  }

  async invoke(example: Example, options: TargetCallOptions = {}): Promise<TargetOutput> {
    const messages: ChatMessage[] = exampleMessages(example);
    try {
      const { completion, trace } = await this.pipeline.complete(
        { messages, ...(example.variables ? { variables: example.variables } : {}) },
        options.signal ? { signal: options.signal } : {},
      );
      this.options.traces?.record(trace);
      const used = (trace.retrieval?.passages ?? []).filter((passage) => passage.used);
      const retrievalContext = used
        .map((passage) => {
          const text = passage.context ?? this.options.passageText(passage.id);
          return text === undefined ? undefined : retrievalContextString({ ...passage, text });
        })
        .filter((text): text is string => text !== undefined);
      if (retrievalContext.length !== used.length) {
        throw new LlmopsError(
          'internal',
          `the text of ${used.length - retrievalContext.length} retrieved passage(s) of ${this.description.name} is not known to the evaluation`,
        );
      }
      return {
        output: contentText(completion.choices[0]?.message.content ?? ''),
        ...(trace.retrieval
          ? {
              retrievalContext,
              retrievalSources: used.map((passage) => ({
                source: passage.source,
                ...(passage.title === undefined ? {} : { title: passage.title }),
                score: passage.score,
              })),
            }
          : {}),
        ...(this.options.traces ? { traceId: trace.traceId } : {}),
        usage: trace.usage
          ? { inputTokens: trace.usage.prompt_tokens, outputTokens: trace.usage.completion_tokens }
          : null,
        latencyMs: trace.latencyMs.total,
        costUsd: trace.costUsd,
        model: trace.provider,
      };
    } catch (error) {
      const missing = missingVariablesOf(error);
      if (LlmopsError.isInstance(error) && missing) {
        // Serving's hint names the wire field (llmops.variables); in an evaluation the values come from the dataset.
        const where = error.message.replace(/; pass (them|it) in the request as llmops\.variables$/, '');
        throw new LlmopsError(
          'invalid_input',
          `${where}; give ${missing.length > 1 ? 'them' : 'it'} in the example's variables field, e.g. "variables": {${missing.map((name) => `"${name}": "…"`).join(', ')}}`,
          { cause: error, details: error.details },
        );
      }
      if (LlmopsError.isInstance(error) && error.code === 'guardrail_blocked') {
        return {
          output: guardrailRefusalOutput(error.message),
          retrievalContext: [],
          usage: null,
          costUsd: null,
          model: this.description.name,
        };
      }
      throw error;
    }
  }
}
