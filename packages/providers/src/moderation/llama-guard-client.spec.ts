import { LlmopsError } from '@llmops/kernel';
import { startOpenAiWireServer } from '../testing/openai-wire-server.js';
import type { OpenAiWireServer, WireReply } from '../testing/openai-wire-server.js';
import { LlamaGuardClient } from './llama-guard-client.js';

/** A `/completions` response whose text is the guard's answer, as vLLM sends it. */
function guardAnswer(text: string, extra: Partial<Extract<WireReply, { kind: 'json' }>> = {}): WireReply {
  return {
    kind: 'json',
    body: {
      id: 'cmpl-1',
      object: 'text_completion',
      created: 1,
      model: 'meta-llama/Llama-Guard-3-8B',
      choices: [{ index: 0, text, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 200, completion_tokens: 4, total_tokens: 204 },
    },
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<LlmopsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!LlmopsError.isInstance(error)) throw new Error(`expected an LlmopsError, got ${String(error)}`);
  return error;
}

describe('LlamaGuardClient (against a stub guard on loopback)', () => {
  let server: OpenAiWireServer;
  beforeEach(async () => {
    server = await startOpenAiWireServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends Llama Guard prompt at temperature 0 with the key, and reads "safe"', async () => {
    server.reply('/v1/completions', guardAnswer('safe'));
    const client = new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'llama-guard', apiKey: 'sk-guard-4242' });
    expect(await client.moderate('How do I reset my password?')).toEqual({ flagged: false, categories: [] });
    const [request] = server.requestsTo('/v1/completions');
    const body = request?.body as { model: string; prompt: string; temperature: number };
    expect([body.model, body.temperature]).toEqual(['llama-guard', 0]);
    expect(body.prompt).toContain('User: How do I reset my password?');
    expect(body.prompt).toContain("unsafe content in 'User' messages");
    expect(request?.headers['authorization']).toBe('Bearer sk-guard-4242');
  });

  it('reads "unsafe" with codes as the taxonomy categories, each keeping its code as the rule', async () => {
    server.reply('/v1/completions', guardAnswer('unsafe\nS1,S10'));
    const result = await new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'llama-guard' }).moderate('x');
    expect(result).toEqual({
      flagged: true,
      categories: [
        { category: 'violence', rule: 'llama_guard.S1' },
        { category: 'hate_harassment', rule: 'llama_guard.S10' },
      ],
    });
    expect(server.requestsTo('/v1/completions')[0]?.headers['authorization']).toBeUndefined();
  });

  it('judges an answer as the Agent turn after its question', async () => {
    server.reply('/v1/completions', guardAnswer('unsafe\nS9'));
    const result = await new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'llama-guard' }).moderate(
      'Mix these two chemicals.',
      { role: 'assistant', question: 'How do I make a toxic gas?' },
    );
    expect(result.categories).toEqual([{ category: 'dangerous', rule: 'llama_guard.S9' }]);
    const prompt = (server.requestsTo('/v1/completions')[0]?.body as { prompt: string }).prompt;
    expect(prompt).toContain('User: How do I make a toxic gas?\n\nAgent: Mix these two chemicals.');
    expect(prompt).toContain('ONLY THE LAST Agent message');
  });

  it('reports only the hazards the policy asked for; a verdict on others alone is not a flag', async () => {
    server.reply('/v1/completions', guardAnswer('unsafe\nS6,S2'));
    const client = new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'llama-guard', hazards: ['S1', 'S2'] });
    expect((await client.moderate('x')).categories).toEqual([{ category: 'dangerous', rule: 'llama_guard.S2' }]);
    server.reply('/v1/completions', guardAnswer('unsafe\nS6'));
    expect(await client.moderate('x')).toEqual({ flagged: false, categories: [] });
    const prompt = (server.requestsTo('/v1/completions')[0]?.body as { prompt: string }).prompt;
    expect(prompt).not.toContain('S6:');
  });

  it('asks through the chat endpoint when the server templates the prompt (Ollama)', async () => {
    server.reply('/v1/chat/completions', {
      kind: 'json',
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'llama-guard3:1b',
        choices: [{ index: 0, message: { role: 'assistant', content: 'unsafe\nS11' }, finish_reason: 'stop' }],
      },
    });
    const client = new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'llama-guard3:1b', api: 'chat' });
    const result = await client.moderate('the answer', { role: 'assistant', question: 'the question' });
    expect(result.categories).toEqual([{ category: 'self_harm', rule: 'llama_guard.S11' }]);
    expect(server.requestsTo('/v1/chat/completions')[0]?.body).toMatchObject({
      model: 'llama-guard3:1b',
      temperature: 0,
      messages: [
        { role: 'user', content: 'the question' },
        { role: 'assistant', content: 'the answer' },
      ],
    });
  });

  it('fails on a malformed answer, without retrying it and without reading it as safe', async () => {
    server.reply('/v1/completions', guardAnswer('The message looks fine to me.'));
    const error = await failure(new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'lg' }).moderate('x'));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toMatch(/did not answer a Llama Guard verdict/);
    expect(server.requestsTo('/v1/completions')).toHaveLength(1);
  });

  it('retries a 500 once, then fails with upstream_error that never quotes the key', async () => {
    const serverError: WireReply = {
      kind: 'json',
      status: 500,
      body: { error: { message: 'CUDA out of memory', type: 'server_error', param: null, code: null } },
    };
    server.reply('/v1/completions', serverError, serverError, guardAnswer('safe'));
    const client = new LlamaGuardClient({
      baseUrl: server.baseUrl,
      model: 'lg',
      apiKey: 'sk-guard-secret-1',
      retry: { baseDelayMs: 1 },
    });
    const error = await failure(client.moderate('x'));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toMatch(/answered HTTP 500/);
    expect(error.message).not.toContain('sk-guard-secret-1');
    expect(server.requestsTo('/v1/completions')).toHaveLength(2);
  });

  it('gives up at its timeout with a timeout error', async () => {
    server.reply('/v1/completions', guardAnswer('safe', { delayMs: 2_000 }));
    const client = new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'lg', timeoutMs: 50 });
    const error = await failure(client.moderate('x'));
    expect([error.code, error.message]).toEqual([
      'timeout',
      `llama guard lg at ${server.baseUrl}: no verdict within 50 ms (timeoutMs)`,
    ]);
  });

  it('fails with upstream_error when nothing listens at the address', async () => {
    const address = server.baseUrl;
    await server.close();
    const client = new LlamaGuardClient({ baseUrl: address, model: 'lg', retry: { maxAttempts: 1 } });
    const error = await failure(client.moderate('x'));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toMatch(/cannot be reached/);
    server = await startOpenAiWireServer();
  });
});
