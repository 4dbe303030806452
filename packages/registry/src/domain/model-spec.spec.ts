import { contentHash } from './content-hash.js';
import { parseModelVersionSpec } from './model-spec.js';

const minimal = {
  name: 'support-rag',
  provider: 'offline/extractive',
  pipeline: { kind: 'rag', prompt: 'support-answer@champion', corpus: 'confs/data/kb/' },
};

describe('parseModelVersionSpec', () => {
  it('reads the <provider>/<model> shorthand and fills in defaults', () => {
    expect(parseModelVersionSpec(minimal)).toEqual({
      name: 'support-rag',
      description: '',
      tags: {},
      provider: { provider: 'offline', model: 'extractive' },
      params: {},
      pipeline: { kind: 'rag', prompt: 'support-answer@champion', corpus: 'confs/data/kb/', k: 4, tokenBudget: 2000 },
      guardrails: 'default',
      cache: { enabled: true, ttlSeconds: 3600 },
      fallbacks: [],
    });
  });

  it('hashes a spec that spells out its defaults the same as one that does not', () => {
    const spelled = {
      ...minimal,
      provider: { provider: 'offline', model: 'extractive' },
      guardrails: 'default',
      pipeline: { ...minimal.pipeline, k: 4 },
    };
    expect(contentHash(parseModelVersionSpec(spelled))).toBe(contentHash(parseModelVersionSpec(minimal)));
    expect(contentHash(parseModelVersionSpec({ ...minimal, params: { temperature: 0.1 } }))).not.toBe(
      contentHash(parseModelVersionSpec(minimal)),
    );
  });

  it('accepts the object form of an OpenAI-compatible provider, chat and agent pipelines', () => {
    const spec = parseModelVersionSpec({
      name: 'agent-bot',
      provider: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        baseUrl: 'http://localhost:11434/v1',
        apiKeyEnv: 'LOCAL_KEY',
      },
      params: { temperature: 0.2, max_tokens: 400, top_p: 0.9, seed: 7, stop: ['\n\n'] },
      pipeline: { kind: 'agent', prompt: 'agent-system/3', tools: ['search_kb'], team: ['support-rag@champion'] },
      fallbacks: ['support-rag@champion'],
    });
    expect(spec.pipeline).toEqual({
      kind: 'agent',
      prompt: 'agent-system/3',
      tools: ['search_kb'],
      team: ['support-rag@champion'],
      maxSteps: 8,
    });
    expect(
      parseModelVersionSpec({ name: 'c', provider: 'openai/gpt-4o', pipeline: { kind: 'chat', prompt: 'p' } }).provider,
    ).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
    });
  });

  it('names each bad field and what was expected', () => {
    const bad = (value: unknown) => () => parseModelVersionSpec(value, 'confs/models/x.yaml');
    expect(bad({ ...minimal, provider: 'extractive' })).toThrow(
      'confs/models/x.yaml: provider: model "extractive" is not of the form <provider>/<model>',
    );
    expect(bad({ ...minimal, provider: 'offline/lexical' })).toThrow('provider: offline/lexical is an embedding model');
    expect(bad({ ...minimal, provider: 'anthropic/claude' })).toThrow(/provider: /);
    expect(bad({ ...minimal, pipeline: { kind: 'batch', prompt: 'p' } })).toThrow(
      'pipeline.kind: expected chat, rag or agent',
    );
    expect(bad({ ...minimal, pipeline: { kind: 'rag', prompt: 'bad ref!', corpus: 'kb' } })).toThrow(
      'pipeline.prompt: expected a prompt reference',
    );
    expect(bad({ ...minimal, pipeline: { kind: 'rag', prompt: 'p' } })).toThrow(
      'pipeline.corpus: Invalid input: expected string, received undefined',
    );
    expect(bad({ ...minimal, params: { temperature: 3 } })).toThrow(
      'params.temperature: Too big: expected number to be <=2',
    );
    expect(bad({ ...minimal, name: 'has space' })).toThrow('name: expected a model name of A-Z a-z 0-9 _ . -');
    expect(bad({ ...minimal, temprature: 0 })).toThrow('(top level): Unrecognized key: "temprature"');
    expect(bad({ ...minimal, fallbacks: ['ok', 'x@'] })).toThrow('fallbacks.1: expected a model reference');
  });

  it('carries the chunking and hybrid retrieval settings of a RAG pipeline, and checks them', () => {
    const spec = parseModelVersionSpec(
      {
        ...minimal,
        pipeline: { ...minimal.pipeline, chunkTokens: 30, chunkOverlapTokens: 0, embedder: 'offline/lexical' },
      },
      'x.yaml',
    );
    expect(spec.pipeline).toMatchObject({ chunkTokens: 30, chunkOverlapTokens: 0, embedder: 'offline/lexical' });
    const bad = (pipeline: Record<string, unknown>) => () =>
      parseModelVersionSpec({ ...minimal, pipeline: { ...minimal.pipeline, ...pipeline } }, 'x.yaml');
    expect(bad({ chunkTokens: 30, chunkOverlapTokens: 30 })).toThrow(
      'pipeline.chunkOverlapTokens: chunkOverlapTokens must be smaller than chunkTokens',
    );
    expect(bad({ chunkTokens: 2 })).toThrow('pipeline.chunkTokens');
    expect(bad({ embedder: 'lexical' })).toThrow(
      'pipeline.embedder: expected <provider>/<model>, for example offline/lexical',
    );
  });
});
