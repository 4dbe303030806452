import OpenAI from 'openai';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { builtInGuardrailPolicies, PipelineFactory, ServingService } from '@llmops/serving';
import { InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { startApiServer } from '../start-api-server.js';
import type { RunningApiServer } from '../start-api-server.js';
import { openAiRoutes } from './openai-routes.js';

const upstreamChunk = (choices: unknown[]) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices })}`;

describe('n > 1 over HTTP (the official openai client)', () => {
  let upstream: OpenAiWireServer;
  let running: RunningApiServer;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startOpenAiWireServer();
    const resolver = new InMemoryModelResolver()
      .add(
        servableModelFromSpec(
          {
            name: 'writer',
            provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
            pipeline: { kind: 'chat', prompt: 'unpinned' },
          },
          { version: 1 },
        ),
      )
      .add(
        servableModelFromSpec(
          { name: 'echo', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'unpinned' } },
          { version: 1 },
        ),
      );
    const factory = new PipelineFactory({ guardrails: builtInGuardrailPolicies(), env: {} });
    running = await startApiServer({
      port: 0,
      routes: [openAiRoutes({ serving: new ServingService({ resolver, factory }) })],
    });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
  });

  afterAll(async () => {
    await running.close();
    await upstream.close();
  });

  it('answers several choices from an OpenAI-compatible upstream, whole and streamed', async () => {
    const names = ['Tidewater One', 'Harbour Mini'];
    upstream.reply(
      '/v1/chat/completions',
      completionReply(names, { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 }),
      {
        kind: 'sse',
        events: [
          upstreamChunk(
            names.map((_, index) => ({ index, delta: { role: 'assistant' }, finish_reason: null, logprobs: null })),
          ),
          ...names.map((content, index) =>
            upstreamChunk([{ index, delta: { content }, finish_reason: null, logprobs: null }]),
          ),
          upstreamChunk(names.map((_, index) => ({ index, delta: {}, finish_reason: 'stop', logprobs: null }))),
          'data: [DONE]',
        ],
      },
    );
    const messages = [{ role: 'user' as const, content: 'Name a kettle' }];
    const whole = await client.chat.completions.create({ model: 'writer', messages, n: 2 });
    expect(whole.choices.map((choice) => [choice.index, choice.message.content])).toEqual([
      [0, 'Tidewater One'],
      [1, 'Harbour Mini'],
    ]);
    const stream = await client.chat.completions.create({ model: 'writer', messages, n: 2, stream: true });
    const texts: string[] = [];
    for await (const chunk of stream)
      for (const choice of chunk.choices)
        texts[choice.index] = (texts[choice.index] ?? '') + (choice.delta.content ?? '');
    expect(texts).toEqual(names);
    expect(upstream.requestsTo('/v1/chat/completions').map((request) => (request.body as { n?: number }).n)).toEqual([
      2, 2,
    ]);
  });

  it('refuses n > 1 for the offline model with 400 naming n and the provider', async () => {
    const error = (await client.chat.completions
      .create({ model: 'echo', messages: [{ role: 'user', content: 'hi' }], n: 3 })
      .catch((thrown: unknown) => thrown)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.error).toEqual({
      message: 'n is 3; provider offline/extractive answers one choice per request; send n = 1 or leave it out',
      type: 'invalid_request_error',
      code: 'invalid_input',
      param: 'n',
    });
  });
});
