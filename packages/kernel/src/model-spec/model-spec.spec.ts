import { LlmopsError } from '../errors/llmops-error.js';
import { ProviderCredentials } from '../credentials/provider-credentials.js';
import { assertKnownProviders } from './known-providers.js';
import { parseModelVersionSpec } from './model-spec-schema.js';
import { agentDefaults } from './agent-pipeline-spec.js';
import { ragBounds, ragDefaults } from './pipeline-spec.js';
import type { ProviderCatalog } from './provider-catalog.js';

const minimal = {
  name: 'support-rag',
  provider: 'offline/extractive',
  pipeline: { kind: 'rag', prompt: 'support-answer@champion', corpus: 'confs/data/kb/' },
};

const bad = (value: unknown) => () => parseModelVersionSpec(value, 'confs/models/x.yaml');
const badPipeline = (pipeline: Record<string, unknown>) =>
  bad({ ...minimal, pipeline: { ...minimal.pipeline, ...pipeline } });

function thrown(action: () => unknown): LlmopsError {
  try {
    action();
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('parseModelVersionSpec', () => {
  it('reads the <provider>/<model> shorthand and fills in defaults', () => {
    expect(parseModelVersionSpec(minimal)).toEqual({
      name: 'support-rag',
      description: '',
      tags: {},
      provider: { provider: 'offline', model: 'extractive' },
      params: {},
      pipeline: {
        kind: 'rag',
        prompt: 'support-answer@champion',
        corpus: 'confs/data/kb/',
        tokenBudget: 2000,
        retrieval: {
          chunking: { strategy: 'tokens', maxTokens: 200, overlapTokens: 40 },
          candidates: 50,
          k: 4,
          rerank: 'none',
          compress: { enabled: false, method: 'overlap', keepRatio: 0.5 },
        },
      },
      guardrails: 'default',
      cache: { enabled: true, ttlSeconds: 3600 },
      fallbacks: [],
    });
  });

  it('gives a spec that spells out its defaults the same value as one that does not', () => {
    const spelled = {
      ...minimal,
      provider: { provider: 'offline', model: 'extractive' },
      guardrails: 'default',
      pipeline: {
        ...minimal.pipeline,
        tokenBudget: ragDefaults.tokenBudget,
        retrieval: { k: ragDefaults.retrieval.k, chunking: { ...ragDefaults.retrieval.chunking }, compress: false },
      },
    };
    expect(parseModelVersionSpec(spelled)).toEqual(parseModelVersionSpec(minimal));
  });

  it('accepts the object form of a provider with its own fields, chat and agent pipelines', () => {
    const spec = parseModelVersionSpec({
      name: 'agent-bot',
      provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: 'http://localhost:11434/v1', apiKeyEnv: 'KEY' },
      params: { temperature: 0.2, max_tokens: 400, top_p: 0.9, seed: 7, stop: ['\n\n'] },
      pipeline: {
        kind: 'agent',
        prompt: 'agent-system/3',
        tools: [{ name: 'calc', kind: 'calculator' }],
        agents: [{ name: 'solver', tools: ['calc'] }],
      },
      fallbacks: ['support-rag@champion'],
    });
    expect(spec.provider).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: 'http://localhost:11434/v1',
      apiKeyEnv: 'KEY',
    });
    expect(spec.pipeline).toEqual({
      kind: 'agent',
      prompt: 'agent-system/3',
      tools: [{ name: 'calc', kind: 'calculator' }],
      agents: [
        {
          name: 'solver',
          description: '',
          tools: ['calc'],
          handoffs: [],
          maxToolIterations: agentDefaults.maxToolIterations,
          reflectOnToolUse: true,
        },
      ],
      termination: { combine: 'any' },
    });
    const chat = parseModelVersionSpec({
      name: 'c',
      provider: 'openai/meta-llama/Llama-3',
      pipeline: { kind: 'chat', prompt: 'p' },
    });
    expect(chat.provider).toEqual({ provider: 'openai', model: 'meta-llama/Llama-3' });
  });

  it('takes any provider name: the set of providers is open, checked through a catalog', () => {
    expect(parseModelVersionSpec({ ...minimal, provider: 'anthropic/claude' }).provider).toEqual({
      provider: 'anthropic',
      model: 'claude',
    });
    expect(
      parseModelVersionSpec({ ...minimal, provider: { provider: 'my-llm', model: 'm', region: 'eu' } }).provider,
    ).toEqual({
      provider: 'my-llm',
      model: 'm',
      region: 'eu',
    });
    expect(bad({ ...minimal, provider: 'Bad Name/x' })).toThrow(
      'provider.provider: expected a provider name of lower-case',
    );
    expect(bad({ ...minimal, provider: { provider: 'x', model: '' } })).toThrow('provider.model: expected a model id');
  });

  it('names each bad field and what was expected, in one path format', () => {
    expect(bad({ ...minimal, provider: 'extractive' })).toThrow(
      'confs/models/x.yaml: provider: model "extractive" is not of the form <provider>/<model>',
    );
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
    expect(bad({ ...minimal, name: 'has space' })).toThrow(
      'name: expected a model name of 1 to 64 characters of A-Z a-z 0-9 _ . -',
    );
    for (const name of ['..', '-1', 'null', '42', 'x'.repeat(65)])
      expect(bad({ ...minimal, name })).toThrow('name: expected a model name of 1 to 64 characters');
    expect(bad({ ...minimal, temprature: 0 })).toThrow('x.yaml: temprature: Unrecognized key: "temprature"');
    expect(bad({ ...minimal, fallbacks: ['ok', 'x@'] })).toThrow('fallbacks[1]: expected a model reference');
    const error = thrown(bad({ ...minimal, params: { temperature: 3 }, fallbacks: ['x@'] }));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual([
      expect.objectContaining({ path: 'params.temperature', code: 'too_big' }),
      expect.objectContaining({ path: 'fallbacks[0]', code: 'custom' }),
    ]);
  });

  it('carries the k values a rebuild tries (retrieval.tune), and names each bad entry with what is expected', () => {
    const tuned = parseModelVersionSpec({
      ...minimal,
      pipeline: { ...minimal.pipeline, retrieval: { k: 5, tune: { k: [3, 5, 8] } } },
    });
    expect(tuned.pipeline.kind === 'rag' && tuned.pipeline.retrieval.tune).toEqual({ k: [3, 5, 8] });
    // Absent, it stays absent: specs registered before it keep their content hash.
    expect(parseModelVersionSpec(minimal).pipeline).not.toHaveProperty('retrieval.tune');
    expect(badPipeline({ retrieval: { tune: { k: [3, 0] } } })).toThrow(
      'pipeline.retrieval.tune.k[1]: expected a whole number of passages from 1 to 100',
    );
    expect(badPipeline({ retrieval: { tune: { k: [2.5] } } })).toThrow(
      'pipeline.retrieval.tune.k[0]: expected a whole number of passages from 1 to 100',
    );
    expect(badPipeline({ retrieval: { tune: { k: [] } } })).toThrow(
      'pipeline.retrieval.tune.k: expected at least one k value to try, for example [3, 5, 8]',
    );
    expect(badPipeline({ retrieval: { tune: { k: 5 } } })).toThrow(
      'pipeline.retrieval.tune.k: expected a list of k values to try, for example [3, 5, 8]',
    );
    expect(badPipeline({ retrieval: { tune: { k: [3, 3] } } })).toThrow(
      'pipeline.retrieval.tune.k[1]: k 3 is listed twice',
    );
    expect(badPipeline({ retrieval: { candidates: 10, tune: { k: [5, 20] } } })).toThrow(
      'pipeline.retrieval.tune.k[1]: k 20 is more than candidates (10): expected at most 10',
    );
    expect(badPipeline({ retrieval: { tune: { chunking: [100] } } })).toThrow('pipeline.retrieval.tune');
  });

  it('holds RAG settings to one set of bounds, the ones serving can serve', () => {
    expect(badPipeline({ retrieval: { k: 0 } })).toThrow('pipeline.retrieval.k: Too small: expected number to be >=1');
    expect(badPipeline({ retrieval: { k: ragBounds.k.max + 1 } })).toThrow('pipeline.retrieval.k: Too big');
    expect(badPipeline({ retrieval: { k: 8, candidates: 5 } })).toThrow(
      'pipeline.retrieval.candidates: candidates (50 by default) must be at least k (4 by default)',
    );
    expect(badPipeline({ retrieval: { rerank: 'neural' } })).toThrow('pipeline.retrieval.rerank');
    expect(badPipeline({ retrieval: { compress: { keepRatio: 0 } } })).toThrow('pipeline.retrieval.compress');
    expect(badPipeline({ retrieval: { compress: { method: 'embeddings' } } })).toThrow(
      'pipeline.retrieval.compress.method',
    );
    expect(badPipeline({ retrieval: { chunking: { strategy: 'pages' } } })).toThrow(
      'pipeline.retrieval.chunking.strategy',
    );
    expect(badPipeline({ tokenBudget: 1 })).toThrow(
      'pipeline.tokenBudget: expected at least 16 tokens: a smaller context holds no passage',
    );
    expect(
      parseModelVersionSpec({ ...minimal, pipeline: { ...minimal.pipeline, tokenBudget: 16 } }).pipeline,
    ).toMatchObject({
      tokenBudget: 16,
    });
    const chunking = (settings: object) => ({ retrieval: { chunking: settings } });
    expect(badPipeline(chunking({ maxTokens: 15, overlapTokens: 0 }))).toThrow(
      'pipeline.retrieval.chunking.maxTokens: Too small',
    );
    expect(badPipeline(chunking({ maxTokens: 30, overlapTokens: 30 }))).toThrow(
      'pipeline.retrieval.chunking.overlapTokens: overlapTokens (40 by default) must be smaller than maxTokens (200 by default)',
    );
    // The default overlap counts too: a 30-token passage cannot repeat 40 tokens.
    expect(badPipeline(chunking({ maxTokens: 30 }))).toThrow('pipeline.retrieval.chunking.overlapTokens');
    // The old top-level settings are gone: one way to say it.
    expect(badPipeline({ k: 3 })).toThrow('pipeline');
    expect(badPipeline({ chunkTokens: 30 })).toThrow('pipeline');
    expect(badPipeline({ embedder: 'lexical' })).toThrow(
      'pipeline.embedder: expected <provider>/<model>, for example offline/lexical',
    );
  });

  it('reads the cache policy: TTL, namespace and the semantic cache, which is off unless asked for', () => {
    const spec = parseModelVersionSpec({
      ...minimal,
      cache: { ttlSeconds: 600, namespace: 'tenant-a', semantic: { enabled: true } },
    });
    expect(spec.cache).toEqual({
      enabled: true,
      ttlSeconds: 600,
      namespace: 'tenant-a',
      semantic: { enabled: true, threshold: 0.95, embedder: 'offline/lexical' },
    });
    // A spec without the new fields parses as before (the registry's content hashes stay the same).
    expect(parseModelVersionSpec(minimal).cache).toEqual({ enabled: true, ttlSeconds: 3600 });
  });

  it('rejects a bad cache policy, naming the field and what it expects', () => {
    const badCache = (cache: unknown) => bad({ ...minimal, cache });
    expect(badCache({ ttlSeconds: 0 })).toThrow(
      'x.yaml: cache.ttlSeconds: expected at least 1 second; turn the cache off with enabled: false',
    );
    expect(badCache({ ttlSeconds: 1.5 })).toThrow('cache.ttlSeconds: expected whole seconds from 1 to 2592000');
    expect(badCache({ ttlSeconds: 40 * 24 * 3600 })).toThrow('cache.ttlSeconds: expected at most 2592000 seconds');
    expect(badCache({ namespace: 'has space' })).toThrow(
      'cache.namespace: expected 1 to 64 characters of A-Z a-z 0-9 _ . -',
    );
    expect(badCache({ semantic: { enabled: true, threshold: 1.2 } })).toThrow(
      'cache.semantic.threshold: expected a cosine similarity above 0 and at most 1',
    );
    expect(badCache({ semantic: { embedder: 'lexical' } })).toThrow(
      'cache.semantic.embedder: expected <provider>/<model>, for example offline/lexical',
    );
    expect(badCache({ ttl: 60 })).toThrow('cache.ttl: Unrecognized key: "ttl"');
  });

  it('carries the chunking and hybrid retrieval settings of a RAG pipeline, defaults from one place', () => {
    const spec = parseModelVersionSpec({
      ...minimal,
      pipeline: {
        ...minimal.pipeline,
        retrieval: {
          chunking: { strategy: 'structure', maxTokens: 120, overlapTokens: 0 },
          rerank: 'lexical',
          compress: true,
        },
        embedder: 'offline/lexical',
      },
    });
    expect(spec.pipeline).toMatchObject({
      retrieval: {
        chunking: { strategy: 'structure', maxTokens: 120, overlapTokens: 0 },
        candidates: 50,
        k: 4,
        rerank: 'lexical',
        compress: { enabled: true, method: 'overlap', keepRatio: 0.5 },
      },
      embedder: 'offline/lexical',
    });
    const defaults = parseModelVersionSpec(minimal).pipeline;
    expect(defaults.kind === 'rag' && defaults.retrieval).toEqual({
      ...ragDefaults.retrieval,
      chunking: { ...ragDefaults.retrieval.chunking },
      compress: { ...ragDefaults.retrieval.compress },
    });
    // A parsed spec parses again to itself (the registry stores parsed specs).
    expect(parseModelVersionSpec({ ...minimal, pipeline: spec.pipeline }).pipeline).toEqual(spec.pipeline);
  });

  it('carries the dense rerank signal only with the lexical rerank, its weight above 0 and at most 1 (0.15 by default)', () => {
    const spec = parseModelVersionSpec({
      ...minimal,
      pipeline: { ...minimal.pipeline, retrieval: { rerank: 'lexical', dense: { weights: 'models/minilm.bin' } } },
    });
    expect(spec.pipeline.kind === 'rag' && spec.pipeline.retrieval.dense).toEqual({
      weights: 'models/minilm.bin',
      weight: 0.15,
    });
    const dense = (value: unknown, rerank = 'lexical') => badPipeline({ retrieval: { rerank, dense: value } });
    expect(dense({ weights: 'm.bin' }, 'none')).toThrow(
      'retrieval.dense: dense is added to the lexical rerank: expected rerank: lexical with it',
    );
    expect(dense({ weights: 'm.bin', weight: 0 })).toThrow(
      'retrieval.dense.weight: expected a weight above 0 and at most 1',
    );
    expect(dense({ weights: 'm.bin', weight: 1.5 })).toThrow(
      'retrieval.dense.weight: expected a weight above 0 and at most 1',
    );
    expect(dense({ weights: '' })).toThrow('retrieval.dense.weights: expected the path of the MiniLM weights file');
  });

  it('carries a model reranker over HTTP (rerank or chat api), its time limit 2,000 ms by default', () => {
    const reranker = { api: 'rerank', baseUrl: 'http://127.0.0.1:8000/v1', model: 'BAAI/bge-reranker-v2-m3' };
    const spec = parseModelVersionSpec({ ...minimal, pipeline: { ...minimal.pipeline, retrieval: { reranker } } });
    expect(spec.pipeline.kind === 'rag' && spec.pipeline.retrieval.reranker).toEqual({ ...reranker, timeoutMs: 2000 });
    const bad = (value: Record<string, unknown>) => badPipeline({ retrieval: { reranker: { ...reranker, ...value } } });
    expect(bad({ api: 'cohere' })).toThrow('retrieval.reranker.api: expected api: rerank (a /rerank endpoint) or chat');
    expect(bad({ timeoutMs: -5 })).toThrow(
      'retrieval.reranker.timeoutMs: expected a whole number of ms from 1 to 60000',
    );
    expect(bad({ baseUrl: 'http://user:pw@rerank.example.com/v1' })).toThrow(
      'retrieval.reranker.baseUrl: expected an http(s) base URL without user info',
    );
    expect(bad({ baseUrl: 'ftp://rerank.example.com' })).toThrow(
      'retrieval.reranker.baseUrl: expected an http(s) base URL',
    );
    expect(bad({ model: '' })).toThrow('retrieval.reranker.model: expected the reranker model name');
  });
});

describe('assertKnownProviders', () => {
  const catalog: ProviderCatalog = {
    has: (provider) => provider === 'offline' || provider === 'openai',
    names: () => ['offline', 'openai'],
    validate: (model, purpose) => {
      if (model.provider === 'offline' && purpose === 'chat' && model.model !== 'extractive')
        throw new LlmopsError('invalid_input', `${model.provider}/${model.model} is not a chat model`);
    },
  };
  const check = (value: unknown) => () =>
    assertKnownProviders(parseModelVersionSpec(value), { catalog, where: 'model spec x.yaml' });

  it('accepts known providers and refuses an unknown one, naming the field and the known providers', () => {
    expect(check(minimal)).not.toThrow();
    expect(check({ ...minimal, provider: 'anthropic/claude' })).toThrow(
      'model spec x.yaml: provider: unknown provider "anthropic"; known providers: offline, openai',
    );
    expect(check({ ...minimal, pipeline: { ...minimal.pipeline, embedder: 'cohere/embed' } })).toThrow(
      'model spec x.yaml: pipeline.embedder: unknown provider "cohere"',
    );
    expect(check({ ...minimal, cache: { semantic: { enabled: true, embedder: 'cohere/embed' } } })).toThrow(
      'model spec x.yaml: cache.semantic.embedder: unknown provider "cohere"',
    );
    // A semantic cache that is off is not checked: it builds no embedder.
    expect(check({ ...minimal, cache: { semantic: { enabled: false, embedder: 'cohere/embed' } } })).not.toThrow();
  });

  it("runs the provider's own validation for the model's purpose", () => {
    expect(check({ ...minimal, provider: 'offline/lexical' })).toThrow(
      'model spec x.yaml: provider: offline/lexical is not a chat model',
    );
    expect(check({ ...minimal, pipeline: { ...minimal.pipeline, embedder: 'offline/lexical' } })).not.toThrow();
  });

  it("checks a model reranker's key variable against the declared credentials at registration, naming the field", () => {
    const credentials = ProviderCredentials.from({
      env: { LLMOPS_PROVIDER_KEY_RERANK: 'k', LLMOPS_PROVIDER_KEY_RERANK_HOSTS: 'rerank.example.com' },
    });
    const withCredentials: ProviderCatalog = { ...catalog, checkCredential: (request) => credentials.check(request) };
    const spec = (baseUrl: string) =>
      parseModelVersionSpec({
        ...minimal,
        pipeline: {
          ...minimal.pipeline,
          retrieval: { reranker: { api: 'rerank', baseUrl, model: 'm', apiKeyEnv: 'LLMOPS_PROVIDER_KEY_RERANK' } },
        },
      });
    const register = (baseUrl: string) => () =>
      assertKnownProviders(spec(baseUrl), { catalog: withCredentials, where: 'model spec x.yaml' });
    expect(register('https://rerank.example.com/v1')).not.toThrow();
    expect(register('http://127.0.0.1:9999/v1')).toThrow(
      'model spec x.yaml: pipeline.retrieval.reranker.apiKeyEnv: LLMOPS_PROVIDER_KEY_RERANK may be sent only to rerank.example.com',
    );
  });

  it("checks an agent retrieval tool's model reranker as a RAG pipeline's: same block, same key binding", () => {
    const credentials = ProviderCredentials.from({
      env: { LLMOPS_PROVIDER_KEY_RERANK: 'k', LLMOPS_PROVIDER_KEY_RERANK_HOSTS: 'rerank.example.com' },
    });
    const withCredentials: ProviderCatalog = { ...catalog, checkCredential: (request) => credentials.check(request) };
    const spec = (reranker: Record<string, unknown>) =>
      parseModelVersionSpec({
        ...minimal,
        pipeline: {
          kind: 'agent',
          prompt: 'p',
          tools: [
            { name: 'calc', kind: 'calculator' },
            { name: 'search', kind: 'retrieval', corpus: 'kb', reranker },
          ],
          agents: [{ name: 'helper', tools: ['calc', 'search'] }],
        },
      });
    const reranker = { api: 'rerank', baseUrl: 'https://rerank.example.com/v1', model: 'm' };
    const parsed = spec({ ...reranker, apiKeyEnv: 'LLMOPS_PROVIDER_KEY_RERANK' });
    expect(parsed.pipeline.kind === 'agent' && parsed.pipeline.tools[1]).toMatchObject({
      reranker: { ...reranker, timeoutMs: 2000 },
    });
    expect(() => spec({ ...reranker, api: 'cohere' })).toThrow(
      'pipeline.tools[1].reranker.api: expected api: rerank (a /rerank endpoint) or chat',
    );
    const register = (baseUrl: string) => () =>
      assertKnownProviders(spec({ ...reranker, baseUrl, apiKeyEnv: 'LLMOPS_PROVIDER_KEY_RERANK' }), {
        catalog: withCredentials,
        where: 'model spec x.yaml',
      });
    expect(register('https://rerank.example.com/v1')).not.toThrow();
    expect(register('http://127.0.0.1:9999/v1')).toThrow(
      'model spec x.yaml: pipeline.tools[1].reranker.apiKeyEnv: LLMOPS_PROVIDER_KEY_RERANK may be sent only to rerank.example.com',
    );
  });
});
