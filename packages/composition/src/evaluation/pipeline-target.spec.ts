import { modelSpecSchema } from '@llmops/kernel';
import { toServableModel } from '@llmops/serving';
import type { Pipeline } from '@llmops/serving';
import { PipelineTarget } from './pipeline-target.js';

/** A target's description reads only the pipeline's model; the pipeline is never called here. */
function describedParams(retrieval: Record<string, unknown>): Record<string, string> {
  const spec = modelSpecSchema.parse({
    name: 'support-rag',
    provider: 'offline/extractive',
    pipeline: { kind: 'rag', prompt: 'p', corpus: 'confs/data/kb/', retrieval },
  });
  const pipeline = { model: toServableModel(spec, { version: 2 }) } as unknown as Pipeline;
  return new PipelineTarget(pipeline, { reference: 'support-rag/2', passageText: () => undefined }).description
    .params as Record<string, string>;
}

describe('PipelineTarget run params', () => {
  it('records the dense rerank signal with the other retrieval settings, and nothing of it when it is off', () => {
    const on = describedParams({ rerank: 'lexical', dense: { weights: 'models/minilm.bin' } });
    expect(on).toMatchObject({
      'retrieval.rerank': 'lexical',
      'retrieval.dense': '0.15',
      'retrieval.dense.weights': 'models/minilm.bin',
    });
    const off = describedParams({ rerank: 'lexical' });
    expect(Object.keys(off).filter((key) => key.startsWith('retrieval.dense'))).toEqual([]);
  });

  it('records the model reranker by api, model and host, never its key variable or user info', () => {
    const params = describedParams({
      reranker: {
        api: 'rerank',
        baseUrl: 'https://rerank.example.com:8443/v1',
        model: 'bge-reranker-v2-m3',
        apiKeyEnv: 'LLMOPS_PROVIDER_KEY_RERANK',
      },
    });
    expect(params).toMatchObject({
      'retrieval.reranker': 'rerank/bge-reranker-v2-m3',
      'retrieval.reranker.host': 'rerank.example.com:8443',
      'retrieval.reranker.timeoutMs': '2000',
    });
    expect(JSON.stringify(params)).not.toContain('LLMOPS_PROVIDER_KEY_RERANK');
    expect(Object.keys(describedParams({})).filter((key) => key.startsWith('retrieval.reranker'))).toEqual([]);
  });
});
