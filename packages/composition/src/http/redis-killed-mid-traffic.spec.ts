import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import OpenAI from 'openai';
import { findFreePort } from '@llmops/mlflow-client/testing';
import { capturingLogger } from '../__fixtures__/capturing-logger.js';
import { kettleAdminHeaders, kettleWorkspace, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from './llmops-server.js';
import type { RunningLlmopsServer } from './llmops-server.js';

/** Whether a Redis on the port answers PING. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** A redis-server of this test's own (never the shared one on 6379), in memory only. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 20_000;
  while (!(await pong(port))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exit;
}

describe('Redis killed during traffic: the cache and the limits go on in this process, and come back to Redis', () => {
  let redis: ChildProcess | undefined;
  let running: RunningLlmopsServer;
  const lines: string[] = [];

  afterAll(async () => {
    await running?.close();
    if (redis && redis.exitCode === null) await killed(redis);
  });

  it('answers every request through the outage, logs it once per backend, counts the fallback, and logs the return', async () => {
    const port = await findFreePort();
    redis = await startRedis(port);
    const cwd = kettleWorkspace('llmops-redis-killed-');
    await seedKettleAdminKey(cwd);
    running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      logger: capturingLogger(lines),
    });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${running.url}${path}`, {
        method: 'POST',
        headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(`${path} ${response.status}`).toMatch(/ 20[01]$/);
      return response.json() as Promise<Record<string, unknown>>;
    };
    await post('/api/v1/prompts', { name: 'answer', template: 'Answer from the passages.\n\n{{context}}' });
    await post('/api/v1/models', {
      spec: {
        name: 'kettle-help',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 2 }, tokenBudget: 300 },
        cache: { ttlSeconds: 600 },
      },
    });
    // A limit, so the counters live in Redis, but one four clients of cache hits never reach (a fast machine answers
    // over 1,000 in the traffic below).
    const { apiKey } = (await post('/api/v1/keys', {
      name: 'app',
      role: 'inference',
      limits: { rpm: 1_000_000 },
    })) as {
      apiKey: string;
    };
    const openai = new OpenAI({ baseURL: `${running.url}/v1`, apiKey, maxRetries: 0 });
    const questions = ['How long is the warranty?', 'When does support answer?', 'Is limescale covered?'];
    const statuses: number[] = [];
    const ask = async (index: number) => {
      const { response } = await openai.chat.completions
        .create({
          model: 'kettle-help',
          messages: [{ role: 'user', content: questions[index % questions.length] as string }],
        })
        .withResponse();
      statuses.push(response.status);
      return response.headers.get('x-llmops-cache');
    };
    const fallbackCalls = async (backend: string) => {
      const metrics = await (await fetch(`${running.url}/metrics`, { headers: kettleAdminHeaders })).text();
      return Number(
        new RegExp(`llmops_backend_fallback_calls_total\\{backend="${backend}"\\} (\\d+)`).exec(metrics)?.[1],
      );
    };

    for (let index = 0; index < 6; index += 1) await ask(index);
    expect(await fallbackCalls('response_cache')).toBe(0);

    // Traffic keeps going from four clients while Redis is SIGKILLed under it.
    let stop = false;
    const clients = Array.from({ length: 4 }, async (_, client) => {
      for (let index = client; !stop; index += 4) await ask(index);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await killed(redis);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stop = true;
    await Promise.all(clients);
    // The cache answers from this process now: an answer cached during the outage is a hit.
    expect(await ask(0)).toBe('hit');
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const outages = lines.filter((line) => line.includes('Redis unreachable'));
    expect(outages.filter((line) => line.includes('response cache:'))).toHaveLength(1);
    expect(outages.filter((line) => line.includes('limit counters:'))).toHaveLength(1);
    expect(await fallbackCalls('response_cache')).toBeGreaterThan(0);
    expect(await fallbackCalls('limit_counters')).toBeGreaterThan(0);

    // Redis is back on the same port: after the back-off (5 s) the next calls go to it again, logged once.
    redis = await startRedis(port);
    const deadline = Date.now() + 30_000;
    let index = 0;
    while (!lines.some((line) => line.includes('response cache: Redis reachable again')) && Date.now() < deadline) {
      await ask(index);
      index += 1;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(lines.filter((line) => line.includes('Redis reachable again')).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 120_000);
});
