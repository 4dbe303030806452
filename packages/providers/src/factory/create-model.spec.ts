import { ProviderCredentials } from '@llmops/kernel';
import { readJsonFixture } from '../__fixtures__/read-fixture.js';
import { OfflineExtractiveChatModel } from '../offline/offline-extractive-chat-model.js';
import { OfflineLexicalEmbedder } from '../offline/offline-lexical-embedder.js';
import { OpenAiCompatibleChatModel } from '../openai-compatible/openai-compatible-chat-model.js';
import { startOpenAiWireServer } from '../testing/openai-wire-server.js';
import { createChatModel, createEmbedder, createProviderRegistry } from './create-model.js';
import { formatModelSpec, parseModelSpec, providerSpecSchema } from './provider-spec.js';

describe('parseModelSpec', () => {
  it('reads <provider>/<model>, the model being everything after the first slash', () => {
    expect(parseModelSpec('offline/extractive')).toEqual({ provider: 'offline', model: 'extractive' });
    expect(parseModelSpec('openai/gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(parseModelSpec('openai/meta-llama/Llama-3.1-8B-Instruct')).toEqual({
      provider: 'openai',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
    });
    expect(formatModelSpec(parseModelSpec('openai/gpt-4o'))).toBe('openai/gpt-4o');
  });

  it('rejects other forms and, when told the known providers, unknown ones', () => {
    expect(() => parseModelSpec('gpt-4o')).toThrow(/not of the form <provider>\/<model>/);
    expect(() => parseModelSpec('openai/')).toThrow(/not of the form/);
    expect(() => parseModelSpec('anthropic/claude', { knownProviders: ['openai', 'offline'] })).toThrow(
      'unknown provider "anthropic"; known providers: offline, openai',
    );
  });
});

describe('providerSpecSchema', () => {
  it('accepts the built-in spec shapes and rejects typos', () => {
    expect(
      providerSpecSchema.parse({
        provider: 'openai',
        model: 'gpt-4o',
        baseUrl: 'http://localhost:11434/v1',
        apiKeyEnv: 'OLLAMA_KEY',
      }),
    ).toMatchObject({
      provider: 'openai',
    });
    expect(providerSpecSchema.safeParse({ provider: 'offline', model: 'extractive' }).success).toBe(true);
    expect(providerSpecSchema.safeParse({ provider: 'openai', model: 'gpt-4o', base_url: 'x' }).success).toBe(false);
    expect(providerSpecSchema.safeParse({ provider: 'offline', model: 'abstractive' }).success).toBe(false);
  });
});

describe('createChatModel', () => {
  it('creates the offline extractive model from a string or a spec, with no key', () => {
    expect(createChatModel('offline/extractive', { env: {} })).toBeInstanceOf(OfflineExtractiveChatModel);
    expect(createChatModel({ provider: 'offline', model: 'extractive' }, { env: {} })).toMatchObject({
      provider: 'offline',
      modelId: 'extractive',
    });
  });

  it("takes the extractive model's decline threshold from the spec, and validates it", () => {
    const messages = [
      {
        role: 'system' as const,
        content: '[1] (source: lagoon.md) Lagoon tickets cost four shells on weekdays and six shells on holidays.',
      },
      { role: 'user' as const, content: 'How many shells does a lagoon ticket cost on a rainy weekday?' },
    ];
    const lenient = createChatModel({ provider: 'offline', model: 'extractive', minSupport: 0.2 }, { env: {} });
    const strict = createChatModel({ provider: 'offline', model: 'extractive', minSupport: 0.95 }, { env: {} });
    expect((lenient as OfflineExtractiveChatModel).answer(messages).grounded).toBe(true);
    expect((strict as OfflineExtractiveChatModel).answer(messages).grounded).toBe(false);
    const registry = createProviderRegistry();
    expect(() => registry.validate({ provider: 'offline', model: 'extractive', minSupport: 1.5 }, 'chat')).toThrow(
      /minSupport.*expected a number from 0 to 1/,
    );
    expect(() => registry.validate({ provider: 'offline', model: 'lexical', minSupport: 0.4 }, 'embedding')).toThrow(
      'minSupport is a setting of offline/extractive',
    );
  });

  it('creates an OpenAI model with the key from OPENAI_API_KEY by default', () => {
    const model = createChatModel('openai/gpt-4o-mini', { env: { OPENAI_API_KEY: 'sk-test-factory-key' } });
    expect(model).toBeInstanceOf(OpenAiCompatibleChatModel);
    expect([model.provider, model.modelId]).toEqual(['openai', 'gpt-4o-mini']);
  });

  it('names the missing key variable, never a value', () => {
    expect(() => createChatModel('openai/gpt-4o-mini', { env: {} })).toThrow(
      'environment variable OPENAI_API_KEY is not set',
    );
    const spec = {
      provider: 'openai',
      model: 'gpt-4o',
      apiKeyEnv: 'LLMOPS_PROVIDER_KEY_AZURE',
      baseUrl: 'https://example.openai.azure.com/openai/v1',
    };
    let message = '';
    try {
      createChatModel(spec, {
        env: {
          LLMOPS_PROVIDER_KEY_AZURE: '  ',
          LLMOPS_PROVIDER_KEY_AZURE_HOSTS: '*.openai.azure.com',
          OPENAI_API_KEY: 'sk-should-not-appear',
        },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('environment variable LLMOPS_PROVIDER_KEY_AZURE is not set');
    expect(message).not.toContain('sk-should-not-appear');
  });

  it('talks to a local OpenAI-compatible server without a key, through the spec baseUrl', async () => {
    const server = await startOpenAiWireServer();
    try {
      server.reply('/v1/chat/completions', { kind: 'json', body: readJsonFixture('chat-completion-minimal.json') });
      const model = createChatModel(
        { provider: 'openai', model: 'llama3.2', baseUrl: server.baseUrl },
        { env: {}, timeoutMs: 5_000 },
      );
      const completion = await model.generate({ messages: [{ role: 'user', content: 'Hi' }] });
      expect(completion.choices[0]?.message.content).toBe('Hello from a local server.');
      expect(server.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("bounds each attempt by the spec's timeoutMs, over the deployment's: a hanging upstream fails with timeout", async () => {
    const server = await startOpenAiWireServer();
    try {
      server.reply('/v1/chat/completions', { kind: 'hang' });
      // The deployment's 10 minutes would outlast the test's own timeout: only the spec's 150 ms can end the call.
      const model = createChatModel(
        { provider: 'openai', model: 'llama3.2', baseUrl: server.baseUrl, timeoutMs: 150 },
        { env: {}, timeoutMs: 600_000, retry: { policy: { maxAttempts: 2, baseDelayMs: 1 } } },
      );
      const failure = await model.generate({ messages: [{ role: 'user', content: 'Hi' }] }).catch((error) => error);
      expect(failure).toMatchObject({ code: 'timeout', httpStatus: 504 });
      expect((failure as Error).message).toContain('no response within 150 ms (timeoutMs)');
      // Each attempt had its own bound, and the abandoned attempts' connections were closed.
      expect(server.requests).toHaveLength(2);
      // (The server sees each abandoned connection close a moment after the client gave up.)
      while (!server.requests.every((request) => request.closedEarly)) await new Promise((done) => setTimeout(done, 5));
    } finally {
      await server.close();
    }
  });

  it('checks timeoutMs: whole milliseconds up to 10 minutes, and never on an offline model', () => {
    const registry = createProviderRegistry({ credentials: ProviderCredentials.from({ env: {} }) });
    const local = { provider: 'openai', model: 'm', baseUrl: 'http://127.0.0.1:1/v1' };
    expect(() => registry.validate({ ...local, timeoutMs: 0 }, 'chat')).toThrow(/timeoutMs.*from 1 to 600000/);
    expect(() => registry.validate({ ...local, timeoutMs: 2.5 }, 'chat')).toThrow(/timeoutMs.*whole milliseconds/);
    expect(() => registry.validate({ ...local, timeoutMs: 600_001 }, 'chat')).toThrow(/timeoutMs.*at most 600000/);
    expect(() => registry.validate({ ...local, timeoutMs: 30_000 }, 'chat')).not.toThrow();
    expect(() => registry.validate({ provider: 'offline', model: 'extractive', timeoutMs: 1_000 }, 'chat')).toThrow(
      'offline/extractive: timeoutMs bounds a call to an upstream and offline models make none',
    );
  });

  it('never sends a key the deployment has not declared for that host: refused when building, nothing sent', async () => {
    const server = await startOpenAiWireServer();
    try {
      server.reply('/v1/chat/completions', { kind: 'json', body: readJsonFixture('chat-completion-minimal.json') });
      const env = {
        LLMOPS_ADMIN_TOKEN: 'llmops-admin-secret-value',
        OPENAI_API_KEY: 'sk-openai-secret-value',
        LLMOPS_PROVIDER_KEY_OTHER: 'other-secret-value',
        LLMOPS_PROVIDER_KEY_OTHER_HOSTS: 'api.other.example',
      };
      for (const [apiKeyEnv, reason] of [
        ['LLMOPS_ADMIN_TOKEN', /apiKeyEnv: LLMOPS_ADMIN_TOKEN holds a secret of the deployment itself/],
        ['HOME', /apiKeyEnv: HOME is not a declared provider credential/],
        ['OPENAI_API_KEY', /apiKeyEnv: OPENAI_API_KEY may be sent only to api\.openai\.com/],
        ['LLMOPS_PROVIDER_KEY_OTHER', /may be sent only to api\.other\.example .*not to 127\.0\.0\.1/],
      ] as const) {
        const spec = { provider: 'openai', model: 'm', baseUrl: server.baseUrl, apiKeyEnv };
        expect(() => createChatModel(spec, { env })).toThrow(reason);
        const registry = createProviderRegistry({ credentials: ProviderCredentials.from({ env }) });
        expect(() => registry.validate(spec, 'chat')).toThrow(reason);
      }
      // Without apiKeyEnv, OpenAI's key stays home: the local server is asked without any key.
      const keyless = createChatModel({ provider: 'openai', model: 'm', baseUrl: server.baseUrl }, { env });
      await keyless.generate({ messages: [{ role: 'user', content: 'Hi' }] });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('sends a declared key to a host it is bound to', async () => {
    const server = await startOpenAiWireServer();
    try {
      server.reply('/v1/chat/completions', { kind: 'json', body: readJsonFixture('chat-completion-minimal.json') });
      const env = {
        LLMOPS_PROVIDER_KEY_LOCAL: 'local-secret',
        LLMOPS_PROVIDER_KEY_LOCAL_HOSTS: new URL(server.baseUrl).host,
      };
      const spec = { provider: 'openai', model: 'm', baseUrl: server.baseUrl, apiKeyEnv: 'LLMOPS_PROVIDER_KEY_LOCAL' };
      await createChatModel(spec, { env }).generate({ messages: [{ role: 'user', content: 'Hi' }] });
      expect(server.requests[0]?.headers.authorization).toBe('Bearer local-secret');
    } finally {
      await server.close();
    }
  });

  it('rejects unknown providers listing the known ones, and invalid spec fields naming them', () => {
    expect(() => createChatModel('anthropic/claude-3', { env: {} })).toThrow(
      'unknown provider "anthropic"; known providers: offline, openai',
    );
    expect(() => createChatModel({ provider: 'mistral', model: 'large' }, { env: {} })).toThrow(
      /known providers: offline, openai/,
    );
    expect(() =>
      createChatModel({ provider: 'openai', model: 'gpt-4o', baseUrl: 'not a url' }, { env: { OPENAI_API_KEY: 'k' } }),
    ).toThrow(/baseUrl: expected an http\(s\) URL/);
    expect(() => createChatModel('offline/lexical', { env: {} })).toThrow(
      /is an embedder; the offline chat model is offline\/extractive/,
    );
  });

  it('lets new providers plug in through the registry', () => {
    const registry = createProviderRegistry().register('echo', {
      chatModel: (spec) => ({
        provider: 'echo',
        modelId: spec.model,
        generate: async () => {
          throw new Error('not used');
        },
        stream: () => ({
          [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined }) }),
        }),
      }),
    });
    expect(registry.names()).toEqual(['echo', 'offline', 'openai']);
    expect(createChatModel('echo/parrot', { registry }).modelId).toBe('parrot');
    expect(() => createEmbedder('echo/parrot', { registry })).toThrow(
      'provider "echo" has no embedders (asked for echo/parrot)',
    );
    expect(() => registry.register('Bad Name', {})).toThrow(/provider name "Bad Name" is invalid/);
  });

  it('is the provider catalog: validates a spec for a purpose without building a model or reading a key', () => {
    const registry = createProviderRegistry();
    expect(() => registry.validate({ provider: 'openai', model: 'gpt-4o-mini' }, 'chat')).not.toThrow();
    expect(() => registry.validate({ provider: 'openai', model: 'gpt-4o', baseUrl: 'nope' }, 'chat')).toThrow(
      'model spec openai/gpt-4o: baseUrl: expected an http(s) URL',
    );
    expect(() => registry.validate({ provider: 'offline', model: 'lexical' }, 'chat')).toThrow(
      'model spec offline/lexical is an embedder; the offline chat model is offline/extractive',
    );
    expect(() => registry.validate({ provider: 'offline', model: 'lexical' }, 'embedding')).not.toThrow();
    expect(() => registry.validate({ provider: 'anthropic', model: 'claude' }, 'chat')).toThrow(
      'unknown provider "anthropic"; known providers: offline, openai',
    );
    const chatOnly = createProviderRegistry().register('echo', {
      chatModel: () => createChatModel('offline/extractive'),
    });
    expect(() => chatOnly.validate({ provider: 'echo', model: 'e' }, 'embedding')).toThrow(
      'provider "echo" has no embedders (asked for echo/e)',
    );
  });
});

describe('createEmbedder', () => {
  it('creates the offline lexical embedder with a chosen dimension', async () => {
    const embedder = createEmbedder('offline/lexical', { env: {}, embeddingDimensions: 64 });
    expect(embedder).toBeInstanceOf(OfflineLexicalEmbedder);
    expect((await embedder.embed(['hello'])).embeddings[0]).toHaveLength(64);
    expect(() => createEmbedder('offline/extractive', { env: {} })).toThrow(
      /is a chat model; the offline embedder is offline\/lexical/,
    );
  });

  it('creates an OpenAI embedder', () => {
    expect(createEmbedder('openai/text-embedding-3-small', { env: { OPENAI_API_KEY: 'k' } })).toMatchObject({
      provider: 'openai',
      modelId: 'text-embedding-3-small',
    });
  });
});
