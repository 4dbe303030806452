import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpstreamPools } from '../openai-compatible/upstream-pools.js';
import { startOpenAiWireServer } from '../testing/openai-wire-server.js';
import type { OpenAiWireServer } from '../testing/openai-wire-server.js';
import { LlamaGuardClient } from './llama-guard-client.js';
import { OpenAiModerationClient } from './openai-moderation-client.js';

const flagged = JSON.parse(
  readFileSync(join(__dirname, '..', '__fixtures__', 'moderation-flagged.json'), 'utf8'),
) as unknown;
const safe = {
  id: 'cmpl-1',
  object: 'text_completion',
  created: 1,
  model: 'llama-guard',
  choices: [{ index: 0, text: 'safe', finish_reason: 'stop', logprobs: null }],
};

let server: OpenAiWireServer;
let pools: UpstreamPools;

beforeEach(async () => {
  server = await startOpenAiWireServer();
  server.reply('/v1/moderations', { kind: 'json', body: flagged });
  server.reply('/v1/completions', { kind: 'json', body: safe });
  pools = new UpstreamPools();
});

afterEach(async () => {
  await pools.close();
  await server.close();
});

/** Waits until the origin's pool has its connection back (undici returns it a turn after the body ends). */
async function idle(): Promise<void> {
  const pool = await pools.pool(new URL(server.baseUrl).origin);
  while (pool.stats.free === 0) await new Promise((resolve) => setTimeout(resolve, 2));
}

async function allClosed(upstream: OpenAiWireServer): Promise<number> {
  const deadline = Date.now() + 1_000;
  while (upstream.openConnections > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return upstream.openConnections;
}

describe('moderation clients on the upstream pools', () => {
  it('share one keep-alive connection of the origin, each call carrying only its own client’s key', async () => {
    const moderation = new OpenAiModerationClient({ baseUrl: server.baseUrl, apiKey: 'sk-moderation-1111', pools });
    const guard = new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'llama-guard', pools });
    await moderation.moderate('I will hurt him');
    await idle();
    await guard.moderate('hello');
    await idle();
    await moderation.moderate('again');

    expect(server.requests.map((request) => [request.path, request.connection, request.headers.authorization])).toEqual(
      [
        ['/v1/moderations', 1, 'Bearer sk-moderation-1111'],
        ['/v1/completions', 1, undefined],
        ['/v1/moderations', 1, 'Bearer sk-moderation-1111'],
      ],
    );
    expect(pools.origins()).toEqual([new URL(server.baseUrl).origin]);
  });

  it('are closed with their owner: the upstream sees the idle connection end at once, later calls fail', async () => {
    const guard = new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'llama-guard', pools });
    await guard.moderate('hello');
    await idle();
    expect(server.openConnections).toBe(1);

    await pools.close();
    expect(await allClosed(server)).toBe(0);
    await expect(guard.moderate('hello')).rejects.toMatchObject({ code: 'upstream_error' });
    expect(server.requests).toHaveLength(1);
  });

  it('follow no redirect: a 307 elsewhere is an error and the key never reaches the other host', async () => {
    const elsewhere = await startOpenAiWireServer();
    try {
      elsewhere.reply('/v1/moderations', { kind: 'json', body: flagged });
      server.reply('/v1/moderations', {
        kind: 'json',
        status: 307,
        body: {},
        headers: { location: `${elsewhere.baseUrl}/moderations` },
      });
      const moderation = new OpenAiModerationClient({
        baseUrl: server.baseUrl,
        apiKey: 'sk-moderation-2222',
        pools,
        retry: { maxAttempts: 1 },
      });
      await expect(moderation.moderate('x')).rejects.toMatchObject({ code: 'invalid_input' });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('keep no connection without pools: each call asks the upstream to close its own', async () => {
    await new OpenAiModerationClient({ baseUrl: server.baseUrl }).moderate('x');
    await new LlamaGuardClient({ baseUrl: server.baseUrl, model: 'llama-guard' }).moderate('x');

    expect(server.requests.map((request) => [request.connection, request.headers.connection])).toEqual([
      [1, 'close'],
      [2, 'close'],
    ]);
    expect(await allClosed(server)).toBe(0);
  });
});
