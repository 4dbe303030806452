import { rmSync } from 'node:fs';
import OpenAI from 'openai';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { kettleWorkspace, postAsKettleAdmin, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from '../http/llmops-server.js';
import type { RunningLlmopsServer } from '../http/llmops-server.js';

const path = '/v1/chat/completions';
const messages = [{ role: 'user' as const, content: 'How long is the kettle warranty?' }];

/**
 * The whole llmops server over two OpenAI-wire stubs: `hanging` reads each request and never answers, `answering`
 * answers at once. Versions registered through the API: `slow/1` (hanging, `timeoutMs: 200`) falls back to
 * `backup@champion` (answering); `lonely/1` (hanging, `timeoutMs: 200`) has no fallbacks.
 */
describe('upstream timeouts through the whole API (official openai client)', () => {
  let cwd: string;
  let running: RunningLlmopsServer;
  let hanging: OpenAiWireServer;
  let answering: OpenAiWireServer;
  let client: OpenAI;

  beforeAll(async () => {
    hanging = await startOpenAiWireServer();
    answering = await startOpenAiWireServer();
    hanging.reply(path, { kind: 'hang' });
    answering.reply(path, completionReply('Two years on the heating element.'));
    cwd = kettleWorkspace('llmops-timeouts-');
    await seedKettleAdminKey(cwd);
    running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { LLMOPS_ANONYMOUS_INFERENCE: 'true' },
      logger: false,
      monitoring: {},
    });
    const post = (route: string, body: unknown) => postAsKettleAdmin(running.url, route, body);
    await post('/api/v1/prompts', { name: 'answer', template: 'Answer briefly.\n\nQuestion: {{question}}' });
    const chat = { kind: 'chat', prompt: 'answer' };
    const hangingModel = { provider: 'openai', model: 'gpt-4o', baseUrl: hanging.baseUrl, timeoutMs: 200 };
    await post('/api/v1/models', {
      spec: {
        name: 'backup',
        provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: answering.baseUrl },
        pipeline: chat,
      },
    });
    await post('/api/v1/models/backup/promote', { version: 1, force: true, reason: 'test release' });
    await post('/api/v1/models', {
      spec: { name: 'slow', provider: hangingModel, pipeline: chat, fallbacks: ['backup@champion'] },
    });
    await post('/api/v1/models', { spec: { name: 'lonely', provider: hangingModel, pipeline: chat } });
    // The client's own bound (10 s) is far below the provider default (60 s per attempt, 3 attempts): only the
    // versions' timeoutMs can end these calls before it.
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'anonymous', maxRetries: 0, timeout: 10_000 });
  });

  afterAll(async () => {
    await running?.close();
    await hanging?.close();
    await answering?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('answers from the fallback when the primary upstream never answers', async () => {
    const before = hanging.requestsTo(path).length;
    const { data, response } = await client.chat.completions.create({ model: 'slow/1', messages }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Two years on the heating element.');
    expect(data.model).toBe('backup/1');
    expect(response.headers.get('x-llmops-fallback')).toBe('from=slow/1; to=backup/1; reason=timeout');
    // The hanging upstream was tried (each attempt abandoned at its timeout) before the fallback answered.
    const tried = hanging.requestsTo(path).slice(before);
    expect(tried.length).toBeGreaterThan(0);
    // (The stub sees each abandoned connection close a moment after the attempt gave up.)
    while (!tried.every((request) => request.closedEarly)) await new Promise((done) => setTimeout(done, 5));
    expect(answering.requestsTo(path)).toHaveLength(1);
  });

  it('streams from the fallback when the primary upstream never sends a first chunk', async () => {
    answering.reply(path, {
      kind: 'sse',
      events: [
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { role: 'assistant', content: 'Two years.' }, finish_reason: null }] })}`,
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}`,
        'data: [DONE]',
      ],
    });
    try {
      const before = hanging.requestsTo(path).length;
      // Another question than the first test's, so the response cache cannot answer it.
      const question = [{ role: 'user' as const, content: 'Is limescale damage covered?' }];
      const stream = await client.chat.completions.create({ model: 'slow/1', messages: question, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('Two years.');
      expect(hanging.requestsTo(path).length).toBeGreaterThan(before);
    } finally {
      answering.reply(path, completionReply('Two years on the heating element.'));
    }
  });

  it('without a fallback, fails with a clean OpenAI-shaped 504 timeout_error naming the bound', async () => {
    const failure = await client.chat.completions.create({ model: 'lonely/1', messages }).catch((error) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(504);
    expect(error.type).toBe('timeout_error');
    expect(error.message).toContain('no response within 200 ms (timeoutMs)');
    // Nothing about the upstream's address or any key leaks beyond the endpoint it names.
    expect(error.message).not.toMatch(/authorization|bearer/i);
  });
});
