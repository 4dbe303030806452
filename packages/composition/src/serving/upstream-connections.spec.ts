import { rmSync } from 'node:fs';
import OpenAI from 'openai';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer, WireReply } from '@llmops/providers/testing';
import { kettleWorkspace, postAsKettleAdmin, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from '../http/llmops-server.js';

const path = '/v1/chat/completions';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done` holds or `ms` have passed. */
async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * The whole llmops server over an OpenAI-wire stub: two versions of different models bound to the stub's origin share
 * one keep-alive connection, and closing the server closes it.
 */
describe('upstream connections of the llmops server', () => {
  let cwd: string;
  let upstream: OpenAiWireServer;

  beforeEach(async () => {
    upstream = await startOpenAiWireServer();
    upstream.reply(path, completionReply('Two years on the heating element.'));
    cwd = kettleWorkspace('llmops-upstream-connections-');
    await seedKettleAdminKey(cwd);
  });

  afterEach(async () => {
    await upstream.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('shares one connection between the versions of an origin and closes it when the server closes', async () => {
    const running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { LLMOPS_ANONYMOUS_INFERENCE: 'true' },
      logger: false,
      monitoring: {},
    });
    let closed = false;
    try {
      const post = (route: string, body: unknown) => postAsKettleAdmin(running.url, route, body);
      await post('/api/v1/prompts', { name: 'answer', template: 'Answer briefly.\n\nQuestion: {{question}}' });
      for (const [name, model] of [
        ['mini', 'gpt-4o-mini'],
        ['large', 'gpt-4o'],
      ])
        await post('/api/v1/models', {
          spec: {
            name,
            provider: { provider: 'openai', model, baseUrl: upstream.baseUrl },
            pipeline: { kind: 'chat', prompt: 'answer' },
          },
        });
      const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'anonymous', maxRetries: 0 });
      await client.chat.completions.create({ model: 'mini/1', messages: [{ role: 'user', content: 'Warranty?' }] });
      // The connection goes back to the pool a moment (an event-loop turn) after the answer's body ended.
      await pause(200);
      await client.chat.completions.create({ model: 'large/1', messages: [{ role: 'user', content: 'Descaling?' }] });
      expect(
        upstream.requests.map((request) => [(request.body as { model: string }).model, request.connection]),
      ).toEqual([
        ['gpt-4o-mini', 1],
        ['gpt-4o', 1],
      ]);
      // Idle, the keep-alive connection stays open for the next call (undici would keep it 4 s, the stub 5 s).
      await pause(50);
      expect(upstream.openConnections).toBe(1);

      await running.close();
      closed = true;
      // Closed by the server's shutdown, not by a keep-alive timeout: the upstream sees it end well within a second.
      await waitFor(() => upstream.openConnections === 0, 1_000);
      expect(upstream.openConnections).toBe(0);
    } finally {
      if (!closed) await running.close();
    }
  });

  it('opens at most LLMOPS_UPSTREAM_CONNECTIONS connections to an origin, and refuses to start on a bad value', async () => {
    upstream.reply(path, { ...completionReply('Two years.'), delayMs: 50 } as WireReply);
    const running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { LLMOPS_ANONYMOUS_INFERENCE: 'true', LLMOPS_UPSTREAM_CONNECTIONS: '1' },
      logger: false,
      monitoring: {},
    });
    try {
      const post = (route: string, body: unknown) => postAsKettleAdmin(running.url, route, body);
      await post('/api/v1/prompts', { name: 'answer', template: 'Answer briefly.\n\nQuestion: {{question}}' });
      await post('/api/v1/models', {
        spec: {
          name: 'mini',
          provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
          pipeline: { kind: 'chat', prompt: 'answer' },
          // Three identical questions must each reach the upstream.
          cache: { enabled: false },
        },
      });
      const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'anonymous', maxRetries: 0 });
      await Promise.all(
        ['Warranty?', 'Descaling?', 'Capacity?'].map((content) =>
          client.chat.completions.create({ model: 'mini/1', messages: [{ role: 'user', content }] }),
        ),
      );
      // Three requests at once, one connection allowed: they took turns on it.
      expect(upstream.requests.map((request) => request.connection)).toEqual([1, 1, 1]);
    } finally {
      await running.close();
    }

    await expect(
      startLlmopsServer({ port: 0, cwd, env: { LLMOPS_UPSTREAM_CONNECTIONS: 'lots' }, logger: false }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message:
        'environment variable LLMOPS_UPSTREAM_CONNECTIONS is "lots"; expected a whole number of connections per upstream origin from 1 to 4096',
    });
  });
});
