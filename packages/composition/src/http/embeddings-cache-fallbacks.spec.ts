import OpenAI from 'openai';
import { OpenAiCompatibleEmbedder } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import {
  builtInGuardrailPolicies,
  EmbeddingService,
  LruResponseCache,
  PipelineFactory,
  ServingService,
} from '@llmops/serving';
import { InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { startApiServer } from './start-api-server.js';
import type { RunningApiServer } from './start-api-server.js';
import { openAiRoutes } from './routes/openai-routes.js';

/** An upstream's embeddings answer: one small vector per text, `offset` telling two upstreams apart. */
function upstreamEmbeddings(count: number, offset: number) {
  return {
    object: 'list',
    model: 'text-embedding-3-small',
    data: Array.from({ length: count }, (_, index) => ({
      object: 'embedding',
      index,
      embedding: [offset + index, offset + index + 0.5, offset + index + 0.25],
    })),
    usage: { prompt_tokens: 5 * count, total_tokens: 5 * count },
  };
}

const unavailable = {
  kind: 'json' as const,
  status: 503,
  body: { error: { message: 'the embedder is overloaded', type: 'server_error', code: null } },
};

describe('POST /v1/embeddings with the response cache and fallbacks (a real server on 127.0.0.1, the official openai client)', () => {
  let primary: OpenAiWireServer;
  let backup: OpenAiWireServer;
  let running: RunningApiServer;
  let client: OpenAI;

  beforeAll(async () => {
    primary = await startOpenAiWireServer();
    backup = await startOpenAiWireServer();
    const resolver = new InMemoryModelResolver()
      .add(
        servableModelFromSpec(
          {
            name: 'vectors',
            provider: 'offline/extractive',
            pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', embedder: 'openai/emb-primary' },
            fallbacks: ['vectors-backup@champion'],
          },
          { version: 1 },
        ),
        { aliases: ['champion'] },
      )
      .add(
        servableModelFromSpec(
          {
            name: 'vectors-backup',
            provider: 'offline/extractive',
            pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', embedder: 'openai/emb-backup' },
          },
          { version: 1 },
        ),
        { aliases: ['champion'] },
      );
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      env: {},
      cache: { store: new LruResponseCache() },
    });
    const serving = new ServingService({ resolver, factory });
    const embeddings = new EmbeddingService({
      resolver,
      env: {},
      steps: factory,
      // Each embedder spec goes to its own local wire server; retries do not wait.
      createEmbedder: (spec, settings) =>
        new OpenAiCompatibleEmbedder(spec.model, {
          baseURL: (spec.model === 'emb-primary' ? primary : backup).baseUrl,
          retry: { sleep: async () => undefined },
          ...settings,
        }),
    });
    running = await startApiServer({ port: 0, routes: [openAiRoutes({ serving, embeddings })] });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
  });

  afterAll(async () => {
    await running.close();
    await primary.close();
    await backup.close();
  });

  const upstreamCalls = (server: OpenAiWireServer) => server.requestsTo('/v1/embeddings').length;

  it('answers the same texts again from the cache, with x-llmops-cache: hit and no upstream call', async () => {
    primary.reply('/v1/embeddings', { kind: 'json', body: upstreamEmbeddings(2, 1) });
    const input = ['How do refunds work?', 'Standard orders ship within two business days.'];
    const first = await client.embeddings
      .create({ model: 'vectors@champion', input, encoding_format: 'float' })
      .withResponse();
    expect(first.response.headers.get('x-llmops-cache')).toBe('miss');
    expect(upstreamCalls(primary)).toBe(1);

    const again = await client.embeddings
      .create({ model: 'vectors@champion', input, encoding_format: 'float' })
      .withResponse();
    expect(again.response.headers.get('x-llmops-cache')).toBe('hit');
    expect(upstreamCalls(primary)).toBe(1);
    expect(again.data.data.map((item) => item.embedding)).toEqual(first.data.data.map((item) => item.embedding));
    expect(again.data.model).toBe('vectors/1');
    expect(again.data.usage).toEqual(first.data.usage);

    // The client's default (base64) is decoded from the cached floats to the same vectors.
    const decoded = await client.embeddings.create({ model: 'vectors@champion', input });
    expect(decoded.data.map((item) => item.embedding)).toEqual(first.data.data.map((item) => item.embedding));
    expect(upstreamCalls(primary)).toBe(1);

    // Other dimensions are another answer; the bypass header asks the upstream again.
    primary.reply('/v1/embeddings', { kind: 'json', body: upstreamEmbeddings(2, 7) });
    const shorter = await client.embeddings
      .create({ model: 'vectors@champion', input, dimensions: 2, encoding_format: 'float' })
      .withResponse();
    expect(shorter.response.headers.get('x-llmops-cache')).toBe('miss');
    expect(upstreamCalls(primary)).toBe(2);
    const bypassed = await client.embeddings
      .create(
        { model: 'vectors@champion', input, encoding_format: 'float' },
        { headers: { 'x-llmops-cache': 'bypass' } },
      )
      .withResponse();
    expect(bypassed.response.headers.get('x-llmops-cache')).toBe('bypass');
    expect(upstreamCalls(primary)).toBe(3);
  });

  it('answers with the fallback version’s embedder when the primary answers 503, and says so', async () => {
    primary.reply('/v1/embeddings', unavailable);
    backup.reply('/v1/embeddings', { kind: 'json', body: upstreamEmbeddings(1, 40) });
    const before = { primary: upstreamCalls(primary), backup: upstreamCalls(backup) };
    const { data, response } = await client.embeddings
      .create({ model: 'vectors@champion', input: 'Where is my parcel?', encoding_format: 'float' })
      .withResponse();
    expect(data.data[0]?.embedding).toEqual([40, 40.5, 40.25]);
    expect(data.model).toBe('vectors-backup/1');
    expect(response.headers.get('x-llmops-model-version')).toBe('vectors-backup/1');
    expect(response.headers.get('x-llmops-fallback')).toBe(
      'from=vectors/1; to=vectors-backup/1; reason=upstream_error',
    );
    expect((data as unknown as { llmops: { fallback?: object } }).llmops.fallback).toEqual({
      from: 'vectors/1',
      to: 'vectors-backup/1',
      reason: 'upstream_error',
    });
    // The primary's own retries were spent first (3 attempts), then the backup answered once.
    expect(upstreamCalls(primary) - before.primary).toBe(3);
    expect(upstreamCalls(backup) - before.backup).toBe(1);
  });

  it('does not hand a request error (400) to the fallback', async () => {
    primary.reply('/v1/embeddings', {
      kind: 'json',
      status: 400,
      body: { error: { message: 'dimensions is not supported', type: 'invalid_request_error', code: null } },
    });
    const before = upstreamCalls(backup);
    const failed = await client.embeddings
      .create({ model: 'vectors@champion', input: 'tracking number', encoding_format: 'float' })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OpenAI.BadRequestError);
    expect(upstreamCalls(backup)).toBe(before);
  });
});
