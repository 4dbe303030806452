import { createEmbedder, createProviderRegistry } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { InMemoryModelResolver } from '../testing/in-memory-model-resolver.js';
import { EmbeddingService } from './embedding-service.js';
import type { EmbeddingServiceOptions } from './embedding-service.js';

const upstreamAnswer = {
  object: 'list',
  model: 'text-embedding-3-small',
  data: [{ object: 'embedding', index: 0, embedding: [0.25, 0.5, 0.75] }],
  usage: { prompt_tokens: 3, total_tokens: 3 },
};

let upstream: OpenAiWireServer;

beforeEach(async () => {
  upstream = await startOpenAiWireServer();
  upstream.reply('/v1/embeddings', { kind: 'json', body: upstreamAnswer });
});

afterEach(async () => {
  await upstream.close();
});

/** The connections the upstream still has open once the client had time to close its own (or to keep them). */
async function openAfterSettling(): Promise<number> {
  const deadline = Date.now() + 300;
  while (upstream.openConnections > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return upstream.openConnections;
}

/** Builds the service's embedders from its own providers, OpenAI specs sent to the local wire server. */
const toLocalUpstream: EmbeddingServiceOptions['createEmbedder'] = (spec, settings) =>
  createEmbedder({ ...spec, baseUrl: upstream.baseUrl }, { env: {}, registry: settings.providers });

describe('EmbeddingService and the upstream connections', () => {
  it('keeps no connection open after a call when it made its own providers (nothing would close them)', async () => {
    const embeddings = new EmbeddingService({ resolver: new InMemoryModelResolver(), createEmbedder: toLocalUpstream });

    const answer = await embeddings.embed({ model: 'openai/text-embedding-3-small', input: 'hello' });

    expect(answer.data[0]?.embedding).toEqual([0.25, 0.5, 0.75]);
    expect(upstream.requestsTo('/v1/embeddings')).toHaveLength(1);
    expect(await openAfterSettling()).toBe(0);
  });

  it("shares the given providers' keep-alive connection, closed by their owner", async () => {
    const providers = createProviderRegistry();
    const embeddings = new EmbeddingService({
      resolver: new InMemoryModelResolver(),
      providers,
      createEmbedder: toLocalUpstream,
    });

    await embeddings.embed({ model: 'openai/text-embedding-3-small', input: 'hello' });

    expect(await openAfterSettling()).toBe(1);
    await providers.close();
    expect(await openAfterSettling()).toBe(0);
  });
});
