import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import OpenAI from 'openai';
import { createClient } from 'redis';
import { openApiKeys } from '@llmops/serving';

/** The built entry point of the API app, run as an operator would (`node apps/api/dist/main.js`). */
const mainFile = join(__dirname, '..', '..', 'dist', 'main.js');
/** The real Redis of the development machine and CI (`.ci/run` starts it). */
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const answer = ['Refunds take ', '5 to 7 ', 'business days.'];

/** An OpenAI-compatible upstream on 127.0.0.1 that answers every chat request the same way and counts the calls. */
async function startUpstream(): Promise<{ baseUrl: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server: Server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      calls += 1;
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { stream?: boolean };
      const base = { id: 'chatcmpl-upstream', created: 1_700_000_000, model: 'gpt-4o-mini' };
      const usage = { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 };
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            ...base,
            object: 'chat.completion',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: answer.join(''), refusal: null },
                finish_reason: 'stop',
                logprobs: null,
              },
            ],
            usage,
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`;
      response.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
      for (const piece of answer) response.write(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
      response.write(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
      response.write(chunk([], { usage }));
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls: () => calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Starts `node apps/api/dist/main.js` in `cwd` and resolves with its URL once it listens. */
async function startApi(cwd: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const childEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'info', ...env };
  delete childEnv['LLMOPS_STORE'];
  delete childEnv['PORT'];
  delete childEnv['LLMOPS_CACHE'];
  const child = spawn(process.execPath, [mainFile, '--port', '0'], { cwd, env: childEnv });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'llmops api listening' && entry.url) resolve(entry.url);
    });
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
  });
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('the response cache, end to end (two API processes sharing the real Redis, the official openai client)', () => {
  const prefix = `llmops:e2e:${randomUUID()}:`;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let cwd: string;
  let adminToken: string;
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    upstream = await startUpstream();
    cwd = mkdtempSync(join(tmpdir(), 'llmops-cache-e2e-'));
    mkdirSync(join(cwd, 'confs'));
    copyFileSync(join(__dirname, '..', '..', '..', '..', 'confs', 'pricing.yaml'), join(cwd, 'confs', 'pricing.yaml'));
    // An admin key in the workspace's store, as `llmops keys create --role admin` makes it.
    const keys = openApiKeys('sqlite:.llmops/llmops.db', { cwd });
    try {
      adminToken = (await keys.keys.create({ name: 'cache e2e', role: 'admin' })).apiKey;
    } finally {
      await keys.close();
    }
  });

  afterAll(async () => {
    for (const child of servers) await stop(child);
    await upstream.close();
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
      if (keys.length > 0) await client.del(keys);
    } finally {
      await client.close();
    }
  });

  it('misses then hits, bypasses on request, replays a stream, and shares hits between processes', async () => {
    // The openai clients below send a placeholder key: anonymous inference (loopback) answers them.
    const env = { REDIS_URL: redisUrl, LLMOPS_CACHE_PREFIX: prefix, LLMOPS_ANONYMOUS_INFERENCE: 'true' };
    const first = await startApi(cwd, env);
    servers.push(first.child);
    const post = async (path: string, body: unknown) =>
      fetch(`${first.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify(body),
      });

    // A bad cache policy is refused, naming the field and what it expects.
    const refused = await post('/api/v1/models', {
      spec: {
        name: 'support-bot',
        provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
        pipeline: { kind: 'chat' },
        cache: { ttlSeconds: 0 },
      },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('cache.ttlSeconds: expected at least 1 second');

    const prompt = await post('/api/v1/prompts', { name: 'answer', template: 'You answer support questions briefly.' });
    expect(prompt.status).toBe(201);
    const registered = await post('/api/v1/models', {
      spec: {
        name: 'support-bot',
        provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
        pipeline: { kind: 'chat', prompt: 'answer' },
        cache: { ttlSeconds: 600 },
      },
    });
    expect(`${registered.status} ${await registered.text()}`).toMatch(/^201 /);

    const client = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
    const ask = (content: string, headers: Record<string, string> = {}) =>
      client.chat.completions
        .create({ model: 'support-bot', messages: [{ role: 'user', content }] }, { headers })
        .withResponse();

    const miss = await ask('How long do refunds take?');
    expect(miss.response.headers.get('x-llmops-cache')).toBe('miss');
    expect(upstream.calls()).toBe(1);
    const hit = await ask('How long do refunds take?');
    expect(hit.response.headers.get('x-llmops-cache')).toBe('hit');
    expect(upstream.calls()).toBe(1);
    expect(hit.data.choices[0]?.message.content).toBe('Refunds take 5 to 7 business days.');
    expect(hit.data.id).not.toBe(miss.data.id);

    const bypass = await ask('How long do refunds take?', { 'x-llmops-cache': 'bypass' });
    expect(bypass.response.headers.get('x-llmops-cache')).toBe('bypass');
    expect(upstream.calls()).toBe(2);

    const streamOnce = async () => {
      const { data: stream, response } = await client.chat.completions
        .create({
          model: 'support-bot',
          messages: [{ role: 'user', content: 'Can I return a gift?' }],
          stream: true,
          stream_options: { include_usage: true },
        })
        .withResponse();
      const pieces: string[] = [];
      let usage: unknown;
      for await (const chunk of stream) {
        expect(chunk.object).toBe('chat.completion.chunk');
        const content = chunk.choices[0]?.delta.content;
        if (content) pieces.push(content);
        if (chunk.usage) usage = chunk.usage;
      }
      return { header: response.headers.get('x-llmops-cache'), pieces, usage };
    };
    const streamedMiss = await streamOnce();
    expect(streamedMiss.header).toBe('miss');
    expect(upstream.calls()).toBe(3);
    const streamedHit = await streamOnce();
    expect(streamedHit.header).toBe('hit');
    expect(streamedHit.pieces).toEqual(streamedMiss.pieces);
    expect(streamedHit.pieces.join('')).toBe('Refunds take 5 to 7 business days.');
    expect(streamedHit.usage).toEqual({ prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 });
    expect(upstream.calls()).toBe(3);

    // A second process on the same Redis answers from what the first one stored.
    const second = await startApi(cwd, env);
    servers.push(second.child);
    const secondClient = new OpenAI({ baseURL: `${second.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
    const shared = await secondClient.chat.completions
      .create({ model: 'support-bot', messages: [{ role: 'user', content: 'How long do refunds take?' }] })
      .withResponse();
    expect(shared.response.headers.get('x-llmops-cache')).toBe('hit');
    expect(shared.data.choices[0]?.message.content).toBe('Refunds take 5 to 7 business days.');
    expect(upstream.calls()).toBe(3);

    // Hits, misses, bypasses and the saved cost are counted.
    const metrics = await (
      await fetch(`${first.url}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })
    ).text();
    expect(metrics).toMatch(/llmops_cache_lookups_total\{model="support-bot",version="1",result="hit"\} 2/);
    expect(metrics).toMatch(/llmops_cache_lookups_total\{model="support-bot",version="1",result="miss"\} 2/);
    expect(metrics).toMatch(/llmops_cache_lookups_total\{model="support-bot",version="1",result="bypass"\} 1/);
    const saved = /llmops_cache_saved_cost_usd_total\{model="support-bot",version="1"\} ([0-9.e-]+)/.exec(metrics);
    expect(Number(saved?.[1])).toBeCloseTo((2 * (120 * 0.15 + 9 * 0.6)) / 1_000_000, 12);

    // Each request's trace has a `cache` span (written when the processes drain).
    await stop(first.child);
    await stop(second.child);
    const database = new DatabaseSync(join(cwd, '.llmops', 'llmops.db'));
    try {
      const records = database.prepare('SELECT record FROM traces ORDER BY started_at').all() as Array<{
        record: string;
      }>;
      const results = records
        .map((row) => JSON.parse(row.record) as { spans: Array<{ name: string; attributes: Record<string, unknown> }> })
        .map((trace) => trace.spans.find((span) => span.name === 'cache')?.attributes['cache.result']);
      expect(results).toEqual(['miss', 'hit', 'bypass', 'miss', 'hit', 'hit']);
    } finally {
      database.close();
    }
  });
});
