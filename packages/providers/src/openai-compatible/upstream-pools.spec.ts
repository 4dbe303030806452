import { ProviderCredentials } from '@llmops/kernel';
import type { ChatModel } from '@llmops/kernel';
import { readJsonFixture } from '../__fixtures__/read-fixture.js';
import { createChatModel, createEmbedder, createProviderRegistry } from '../factory/create-model.js';
import type { ProviderRegistry } from '../factory/provider-registry.js';
import { startOpenAiWireServer } from '../testing/openai-wire-server.js';
import { upstreamPoolsOptionsFromEnv } from './upstream-connections-setting.js';
import { UpstreamPools } from './upstream-pools.js';
import type { OpenAiWireServer } from '../testing/openai-wire-server.js';

const completions = '/v1/chat/completions';
const question = { messages: [{ role: 'user' as const, content: 'How long do refunds take?' }] };
const noRetry = { policy: { maxAttempts: 1 } };

let server: OpenAiWireServer;
let registry: ProviderRegistry;
let env: Record<string, string>;

beforeEach(async () => {
  server = await startOpenAiWireServer();
  server.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion-minimal.json') });
  const host = new URL(server.baseUrl).host;
  env = {
    LLMOPS_PROVIDER_KEY_ALPHA: 'alpha-secret-key',
    LLMOPS_PROVIDER_KEY_ALPHA_HOSTS: host,
    LLMOPS_PROVIDER_KEY_BETA: 'beta-secret-key',
    LLMOPS_PROVIDER_KEY_BETA_HOSTS: host,
  };
  registry = createProviderRegistry({ credentials: ProviderCredentials.from({ env }) });
});

afterEach(async () => {
  await registry.close();
  await server.close();
});

function model(name: string, apiKeyEnv?: string): ChatModel {
  return createChatModel(
    { provider: 'openai', model: name, baseUrl: server.baseUrl, ...(apiKeyEnv ? { apiKeyEnv } : {}) },
    { env, registry, retry: noRetry },
  );
}

/** Waits until the origin's pool has its connection back (undici returns it a turn after the body ends). */
async function idle(origin: string): Promise<void> {
  const pool = await registry.pools.pool(origin);
  while (pool.stats.free === 0) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('the upstream pools of a provider registry', () => {
  it('gives models of one origin one pool, each call carrying only its own model’s key', async () => {
    const origin = new URL(server.baseUrl).origin;
    const alpha = model('alpha-model', 'LLMOPS_PROVIDER_KEY_ALPHA');
    const beta = model('beta-model', 'LLMOPS_PROVIDER_KEY_BETA');
    const keyless = model('keyless-model');
    for (const next of [alpha, beta, alpha, keyless, beta]) {
      await next.generate(question);
      await idle(origin);
    }

    const sent = server.requests.map((request) => [
      (request.body as { model: string }).model,
      request.headers.authorization,
    ]);
    expect(sent).toEqual([
      ['alpha-model', 'Bearer alpha-secret-key'],
      ['beta-model', 'Bearer beta-secret-key'],
      ['alpha-model', 'Bearer alpha-secret-key'],
      ['keyless-model', undefined],
      ['beta-model', 'Bearer beta-secret-key'],
    ]);
    // One keep-alive connection carried every model's calls, and no request carried another model's key.
    expect(server.requests.map((request) => request.connection)).toEqual([1, 1, 1, 1, 1]);
    for (const request of server.requests.filter((each) => (each.body as { model: string }).model !== 'alpha-model'))
      expect(JSON.stringify(request.headers)).not.toContain('alpha-secret-key');
    expect(registry.pools.origins()).toEqual([origin]);
  });

  it('gives another origin a pool of its own, and embedders share the pool of their origin', async () => {
    const other = await startOpenAiWireServer();
    try {
      other.reply(completions, { kind: 'json', body: readJsonFixture('chat-completion-minimal.json') });
      server.reply('/v1/embeddings', { kind: 'json', body: readJsonFixture('embeddings.json') });
      await model('here').generate(question);
      await idle(new URL(server.baseUrl).origin);
      const embedder = createEmbedder(
        { provider: 'openai', model: 'text-embedding-3-small', baseUrl: server.baseUrl },
        { env, registry, retry: noRetry },
      );
      await embedder.embed(['refunds', 'returns']);
      await createChatModel(
        { provider: 'openai', model: 'there', baseUrl: other.baseUrl },
        { env, registry, retry: noRetry },
      ).generate(question);

      expect(registry.pools.origins()).toEqual([new URL(server.baseUrl).origin, new URL(other.baseUrl).origin]);
      expect(server.requests.map((request) => [request.path, request.connection])).toEqual([
        [completions, 1],
        ['/v1/embeddings', 1],
      ]);
      expect(other.requests).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('closes the idle keep-alive connections when the registry closes, and refuses calls after', async () => {
    const alpha = model('alpha-model', 'LLMOPS_PROVIDER_KEY_ALPHA');
    await alpha.generate(question);
    await idle(new URL(server.baseUrl).origin);
    // Idle, the connection stays open for the next call (undici keeps it 4 s, the server 5 s).
    expect(server.openConnections).toBe(1);

    await registry.close();
    // The upstream sees it closed now, not at a keep-alive timeout: well within a second.
    const deadline = Date.now() + 1_000;
    while (server.openConnections > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.openConnections).toBe(0);

    await expect(alpha.generate(question)).rejects.toMatchObject({ code: 'upstream_error' });
    await expect(model('beta-model', 'LLMOPS_PROVIDER_KEY_BETA').generate(question)).rejects.toMatchObject({
      code: 'upstream_error',
    });
    expect(server.requests).toHaveLength(1);
    // Closing again does nothing.
    await registry.close();
  });

  it('makes no pool for models that never call: building opens nothing and closing has nothing to end', async () => {
    model('alpha-model', 'LLMOPS_PROVIDER_KEY_ALPHA');
    expect(registry.pools.origins()).toEqual([]);
    await registry.close();
    expect(server.openConnections).toBe(0);
  });
});

describe('the connections per origin', () => {
  it('is the most connections the registry opens to one origin at once', async () => {
    server.reply(completions, {
      kind: 'json',
      body: readJsonFixture('chat-completion-minimal.json'),
      delayMs: 30,
    });
    const calls = (pooled: ProviderRegistry) => {
      const one = createChatModel(
        { provider: 'openai', model: 'gpt-4o-mini', baseUrl: server.baseUrl },
        { env, registry: pooled, retry: noRetry },
      );
      return Promise.all([one.generate(question), one.generate(question), one.generate(question)]);
    };
    const single = createProviderRegistry({
      credentials: ProviderCredentials.from({ env }),
      pools: { connectionsPerOrigin: 1 },
    });
    try {
      await calls(single);
    } finally {
      await single.close();
    }
    // Three calls at once, one connection allowed: they wait their turn on it.
    expect(server.requests.map((request) => request.connection)).toEqual([1, 1, 1]);

    await calls(registry);
    // The default (256) opens one connection per call in flight.
    expect(new Set(server.requests.slice(3).map((request) => request.connection)).size).toBe(3);
  });

  it.each([
    ['0', '"0"'],
    ['4097', '"4097"'],
    ['1.5', '"1.5"'],
    ['many', '"many"'],
  ])('refuses LLMOPS_UPSTREAM_CONNECTIONS=%s, naming the variable and the range', (value, shown) => {
    expect(() => upstreamPoolsOptionsFromEnv({ LLMOPS_UPSTREAM_CONNECTIONS: value })).toThrow(
      `environment variable LLMOPS_UPSTREAM_CONNECTIONS is ${shown}; expected a whole number of connections per upstream origin from 1 to 4096`,
    );
  });

  it('reads a whole number in range, and nothing when the variable is unset or empty', () => {
    expect(upstreamPoolsOptionsFromEnv({ LLMOPS_UPSTREAM_CONNECTIONS: ' 64 ' })).toEqual({ connectionsPerOrigin: 64 });
    expect(upstreamPoolsOptionsFromEnv({ LLMOPS_UPSTREAM_CONNECTIONS: '' })).toEqual({});
    expect(upstreamPoolsOptionsFromEnv({})).toEqual({});
    expect(
      new UpstreamPools(upstreamPoolsOptionsFromEnv({ LLMOPS_UPSTREAM_CONNECTIONS: '4096' })).connectionsPerOrigin,
    ).toBe(4096);
  });

  it('refuses a bad size given in code too, with invalid_input', () => {
    expect(() => new UpstreamPools({ connectionsPerOrigin: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('connectionsPerOrigin is 0') }),
    );
    expect(() => createProviderRegistry({ pools: { connectionsPerOrigin: Number.NaN } })).toThrow(/from 1 to 4096/);
  });
});
