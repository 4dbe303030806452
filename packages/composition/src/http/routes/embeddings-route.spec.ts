import OpenAI from 'openai';
import { createEmbedder, createPricingTable, OfflineLexicalEmbedder } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { builtInGuardrailPolicies, EmbeddingService, PipelineFactory, ServingService } from '@llmops/serving';
import { InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { startApiServer } from '../start-api-server.js';
import type { RunningApiServer } from '../start-api-server.js';
import { openAiRoutes } from './openai-routes.js';

/** The float32 values of an OpenAI base64 embedding. */
function decodeBase64(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
}

/** An upstream's embeddings answer: one small vector per text. */
function upstreamEmbeddings(count: number, dimensions: number) {
  return {
    object: 'list',
    model: 'text-embedding-3-small',
    data: Array.from({ length: count }, (_, index) => ({
      object: 'embedding',
      index,
      embedding: Array.from({ length: dimensions }, (__, position) => (index + 1) * 0.125 + position * 0.25),
    })),
    usage: { prompt_tokens: 7 * count, total_tokens: 7 * count },
  };
}

describe('POST /v1/embeddings (a real server on 127.0.0.1, the official openai client)', () => {
  let upstream: OpenAiWireServer;
  let running: RunningApiServer;
  let client: OpenAI;
  const texts = ['How do refunds work?', 'Standard orders ship within two business days.'];

  beforeAll(async () => {
    upstream = await startOpenAiWireServer();
    const resolver = new InMemoryModelResolver()
      .add(
        servableModelFromSpec(
          {
            name: 'support-bot',
            provider: 'offline/extractive',
            pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', embedder: 'offline/lexical' },
          },
          { version: 2 },
        ),
        { aliases: ['champion'] },
      )
      .add(
        servableModelFromSpec(
          { name: 'writer', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'unpinned' } },
          { version: 1 },
        ),
      );
    const serving = new ServingService({
      resolver,
      factory: new PipelineFactory({ guardrails: builtInGuardrailPolicies(), env: {} }),
    });
    const embeddings = new EmbeddingService({
      resolver,
      env: {},
      pricing: createPricingTable({ 'text-embedding-3-small': { input: 0.02, output: 0 } }),
      // OpenAI specs go to the local wire server instead of api.openai.com.
      createEmbedder: (spec, settings) =>
        createEmbedder(spec.provider === 'openai' ? { ...spec, baseUrl: upstream.baseUrl } : spec, {
          env: {},
          ...(settings.dimensions === undefined ? {} : { embeddingDimensions: settings.dimensions }),
        }),
    });
    running = await startApiServer({ port: 0, routes: [openAiRoutes({ serving, embeddings })] });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
  });

  afterAll(async () => {
    await running.close();
    await upstream.close();
  });

  it('embeds with the offline lexical embedder, as floats, as base64, and by the client’s default', async () => {
    const expected = texts.map((text) => new OfflineLexicalEmbedder().embedText(text));
    const floats = await client.embeddings.create({ model: 'offline/lexical', input: texts, encoding_format: 'float' });
    expect(floats.object).toBe('list');
    expect(floats.model).toBe('offline/lexical');
    expect(floats.data.map((item) => [item.object, item.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    expect(floats.data.map((item) => item.embedding)).toEqual(expected);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
    expect(floats.usage.total_tokens).toBe(floats.usage.prompt_tokens);

    const base64 = await client.embeddings.create({
      model: 'offline/lexical',
      input: texts[0] as string,
      encoding_format: 'base64',
    });
    const encoded = base64.data[0]?.embedding as unknown as string;
    expect(typeof encoded).toBe('string');
    const decoded = decodeBase64(encoded);
    expect(decoded).toHaveLength(256);
    decoded.forEach((value, index) => expect(value).toBeCloseTo(expected[0]?.[index] ?? NaN, 6));

    // Without encoding_format the official client asks for base64 and decodes it itself.
    const byDefault = await client.embeddings.create({ model: 'offline/lexical', input: texts });
    byDefault.data.forEach((item, row) =>
      item.embedding.forEach((value, index) => expect(value).toBeCloseTo(expected[row]?.[index] ?? NaN, 6)),
    );
  });

  it('takes dimensions, and a registry reference whose version has an embedder', async () => {
    const short = await client.embeddings.create({
      model: 'offline/lexical',
      input: 'kettle',
      dimensions: 64,
      encoding_format: 'float',
    });
    expect(short.data[0]?.embedding).toHaveLength(64);
    const byReference = await client.embeddings.create({
      model: 'support-bot@champion',
      input: texts,
      encoding_format: 'float',
    });
    expect(byReference.model).toBe('support-bot/2');
    expect(byReference.data[1]?.embedding).toEqual(new OfflineLexicalEmbedder().embedText(texts[1] as string));
  });

  it('passes dimensions to an OpenAI-compatible upstream and answers its vectors in both encodings', async () => {
    upstream.reply('/v1/embeddings', { kind: 'json', body: upstreamEmbeddings(2, 4) });
    const { data: floats, response } = await client.embeddings
      .create({ model: 'openai/text-embedding-3-small', input: texts, dimensions: 4, encoding_format: 'float' })
      .withResponse();
    expect(upstream.requestsTo('/v1/embeddings')[0]?.body).toMatchObject({
      model: 'text-embedding-3-small',
      input: texts,
      dimensions: 4,
    });
    expect(floats.data.map((item) => item.embedding)).toEqual(
      upstreamEmbeddings(2, 4).data.map((item) => item.embedding),
    );
    expect(floats.usage).toEqual({ prompt_tokens: 14, total_tokens: 14 });
    expect(Number(response.headers.get('x-llmops-cost-usd'))).toBeCloseTo((14 * 0.02) / 1_000_000, 12);
    const base64 = await client.embeddings.create({
      model: 'openai/text-embedding-3-small',
      input: texts,
      dimensions: 4,
      encoding_format: 'base64',
    });
    expect(decodeBase64(base64.data[1]?.embedding as unknown as string)).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('refuses bad requests with 400 in OpenAI’s error shape, naming the parameter', async () => {
    const failure = async (body: Record<string, unknown>) => {
      const response = await fetch(`${running.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { error: Record<string, unknown> } };
    };
    const tokens = await failure({ model: 'offline/lexical', input: [[1, 2, 3]] });
    expect(tokens.status).toBe(400);
    expect(tokens.body.error).toEqual({
      message: 'input holds token ids; llmops embeds text: send a string or an array of strings',
      type: 'invalid_request_error',
      code: 'invalid_input',
      param: 'input',
    });
    const empty = await failure({ model: 'offline/lexical', input: ['fine', ' '] });
    expect([empty.status, empty.body.error['param']]).toEqual([400, 'input[1]']);
    const format = await failure({ model: 'offline/lexical', input: 'x', encoding_format: 'hex' });
    expect([format.status, format.body.error['param']]).toEqual([400, 'encoding_format']);
    const noEmbedder = await failure({ model: 'writer', input: 'x' });
    expect(noEmbedder.status).toBe(400);
    expect(noEmbedder.body.error['param']).toBe('model');
    expect(noEmbedder.body.error['message']).toContain('model writer/1 has no embedder');
    const unknown = await failure({ model: 'ghost', input: 'x' });
    expect([unknown.status, unknown.body.error['code'], unknown.body.error['param']]).toEqual([
      404,
      'model_not_found',
      'model',
    ]);
    // An unknown provider was answered as a malformed registry reference ('version "x" is not a whole number'),
    // with param null (2026-12-01 walkthrough): both readings are named now, and the parameter.
    const unknownProvider = await failure({ model: 'nope/x', input: 'x' });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body.error['param']).toBe('model');
    expect(unknownProvider.body.error['message']).toMatch(
      /^model "nope\/x" is neither a provider spec \(provider "nope" is not one of [a-z, ]*offline[a-z, ]*\) nor a registry reference \(`name`, `name@alias` or `name\/version`\)$/,
    );
    const chatModel = await failure({ model: 'offline/extractive', input: 'x' });
    expect([chatModel.status, chatModel.body.error['param']]).toEqual([400, 'model']);
    const dimensions = await failure({ model: 'offline/lexical', input: 'x', dimensions: 1 });
    expect([dimensions.status, dimensions.body.error['param']]).toEqual([400, 'dimensions']);
  });
});
