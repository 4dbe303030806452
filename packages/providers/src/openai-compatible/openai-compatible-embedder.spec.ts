import { readJsonFixture } from '../__fixtures__/read-fixture.js';
import { startOpenAiWireServer } from '../testing/openai-wire-server.js';
import type { OpenAiWireServer } from '../testing/openai-wire-server.js';
import { createOpenAiCompatible } from './create-openai-compatible.js';

const embeddings = '/v1/embeddings';
let server: OpenAiWireServer;

beforeEach(async () => {
  server = await startOpenAiWireServer();
});

afterEach(async () => {
  await server.close();
});

describe('OpenAiCompatibleEmbedder', () => {
  it('asks for float vectors and returns them in the order of the texts, with the usage reported', async () => {
    server.reply(embeddings, { kind: 'json', body: readJsonFixture('embeddings.json') });
    const embedder = createOpenAiCompatible({ baseURL: server.baseUrl, apiKey: 'sk-test-embed-0000' }).embedder(
      'text-embedding-3-small',
      { dimensions: 8 },
    );
    const result = await embedder.embed(['refund policy', 'shipping times']);

    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[0]?.[0]).toBeCloseTo(-0.006929283);
    expect(result.embeddings[1]?.[0]).toBeCloseTo(0.0023064255);
    expect(result.usage).toEqual({ prompt_tokens: 9, total_tokens: 9 });
    expect(server.requests[0]?.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['refund policy', 'shipping times'],
      encoding_format: 'float',
      dimensions: 8,
    });
  });

  it('counts tokens itself when the server reports no usage, and sends nothing for no texts', async () => {
    const body = readJsonFixture('embeddings.json') as Record<string, unknown>;
    server.reply(embeddings, { kind: 'json', body: { ...body, usage: undefined } });
    const embedder = createOpenAiCompatible({ baseURL: server.baseUrl }).embedder('nomic-embed-text');

    expect((await embedder.embed(['refund policy', 'shipping times'])).usage.prompt_tokens).toBe(4);
    expect(await embedder.embed([])).toEqual({ embeddings: [], usage: { prompt_tokens: 0, total_tokens: 0 } });
    expect(server.requests).toHaveLength(1);
  });

  it('maps errors and retries like the chat model', async () => {
    server.reply(
      embeddings,
      { kind: 'json', status: 503, body: readJsonFixture('error-server.json') },
      { kind: 'json', body: readJsonFixture('embeddings.json') },
    );
    const embedder = createOpenAiCompatible({
      baseURL: server.baseUrl,
      retry: { sleep: async () => undefined },
    }).embedder('text-embedding-3-small');
    await expect(embedder.embed(['a', 'b'])).resolves.toMatchObject({ usage: { prompt_tokens: 9 } });
    expect(server.requests).toHaveLength(2);

    server.reply(embeddings, { kind: 'json', status: 401, body: readJsonFixture('error-invalid-api-key.json') });
    await expect(embedder.embed(['a'])).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('rejects an answer with a different number of vectors than texts', async () => {
    server.reply(embeddings, { kind: 'json', body: readJsonFixture('embeddings.json') });
    const embedder = createOpenAiCompatible({ baseURL: server.baseUrl }).embedder('text-embedding-3-small');
    await expect(embedder.embed(['only one'])).rejects.toMatchObject({
      code: 'upstream_error',
      message: expect.stringContaining('2 embeddings for 1 texts'),
    });
  });
});
