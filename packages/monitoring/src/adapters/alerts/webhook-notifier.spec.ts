import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@llmops/kernel';
import { AlertEngine } from '../../application/alerts/alert-engine.js';
import type { AlertPayload } from '../../application/alerts/alert-ports.js';
import { alertsConfigSchema } from '../../domain/alerts/alerts-config.js';
import { SqliteAlertStore } from '../sqlite/sqlite-alert-store.js';
import { createNotifierFactory } from './create-notifier.js';
import { WebhookNotifier } from './webhook-notifier.js';

/** The one item of a list (fails the test when it holds another number). */
function onlyOne<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

interface Received {
  method: string;
  contentType: string | undefined;
  body: unknown;
}

/** A real HTTP server that answers each request with the next handler of a script (the last one repeats). */
async function webhookServer(
  script: Array<(response: ServerResponse) => void>,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        contentType: request.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const handle = script[Math.min(received.length - 1, script.length - 1)] ?? never;
      handle(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/alerts?token=s3cret`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const answer = (status: number) => (response: ServerResponse) => response.writeHead(status).end('{}');
const never = () => undefined;

const payload: AlertPayload = {
  id: 'alert-1',
  rule: 'latency',
  severity: 'critical',
  at: '2026-11-29T12:00:00.000Z',
  model: 'support-rag',
  dryRun: false,
  signal: { source: 'slo', name: 'latency_p95', breached: true, value: 812, threshold: 500, window: null, details: {} },
  actions: ['reevaluate'],
};

describe('WebhookNotifier against a real HTTP server', () => {
  it('retries a webhook that fails twice with 500, with growing jittered back-off, and is sent on the third attempt', async () => {
    const hook = await webhookServer([answer(500), answer(500), answer(200)]);
    servers.push(hook.server);
    const delays: number[] = [];
    const notifier = new WebhookNotifier({
      url: hook.url,
      timeoutMs: 2_000,
      retry: { maxAttempts: 4, baseDelayMs: 40, maxDelayMs: 1_000 },
      sleep: async (ms) => void delays.push(ms),
    });
    expect(await notifier.send(payload)).toEqual({ status: 'sent', attempts: 3 });
    expect(hook.received).toEqual([
      { method: 'POST', contentType: 'application/json', body: { type: 'llmops.alert', alert: payload } },
      { method: 'POST', contentType: 'application/json', body: { type: 'llmops.alert', alert: payload } },
      { method: 'POST', contentType: 'application/json', body: { type: 'llmops.alert', alert: payload } },
    ]);
    // Full jitter: retry n waits a random share of base × 2^(n-1).
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeLessThan(40);
    expect(delays[1]).toBeLessThan(80);
    expect(notifier.target).toBe(new URL(hook.url).origin);
  });

  it('records a webhook that never answers as failed once every attempt has timed out', async () => {
    const hook = await webhookServer([never]);
    servers.push(hook.server);
    const notifier = new WebhookNotifier({
      url: hook.url,
      timeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    expect(await notifier.send(payload)).toEqual({
      status: 'failed',
      attempts: 2,
      error: `webhook ${new URL(hook.url).origin} did not answer within 100 ms`,
    });
    expect(hook.received).toHaveLength(2);
  });

  it('does not retry a webhook that refuses the alert (404)', async () => {
    const hook = await webhookServer([answer(404), answer(200)]);
    servers.push(hook.server);
    const notifier = new WebhookNotifier({
      url: hook.url,
      timeoutMs: 2_000,
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1 },
    });
    expect(await notifier.send(payload)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringContaining('HTTP 404'),
    });
    expect(hook.received).toHaveLength(1);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/x', 'not a url'])('refuses the URL %s', (url) => {
    expect(
      () => new WebhookNotifier({ url, timeoutMs: 1, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } }),
    ).toThrow('is not an http(s) URL');
  });
});

describe('an alert to a webhook that times out', () => {
  it('is recorded at once as pending, does not hold up the caller, and ends recorded as failed without the URL’s token', async () => {
    const hook = await webhookServer([never]);
    servers.push(hook.server);
    const config = alertsConfigSchema.parse({
      webhook: { timeoutMs: 100, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      rules: [{ name: 'latency', when: 'slo:latency_p95', notify: [`webhook ${hook.url}`] }],
    });
    const store = new SqliteAlertStore({ path: ':memory:' });
    const engine = new AlertEngine({
      config,
      store,
      clock: new ManualClock(1_000),
      notifierFor: createNotifierFactory({ logger: { warn: () => undefined }, root: '/', webhook: config.webhook }),
    });
    const signal = {
      source: 'slo' as const,
      name: 'latency_p95',
      breached: true,
      value: 9,
      threshold: 5,
      window: null,
      details: {},
    };
    const fired = onlyOne(await engine.evaluate([signal]));
    expect(fired.record.notifications).toEqual([
      { channel: 'webhook', target: new URL(hook.url).origin, status: 'pending', attempts: 0 },
    ]);
    const record = await fired.done;
    expect(record.notifications[0]).toMatchObject({ status: 'failed', attempts: 2 });
    const stored = await store.list({ since: 0 });
    expect(stored).toEqual([record]);
    expect(JSON.stringify(stored)).not.toContain('s3cret');
    expect(JSON.stringify(hook.received)).not.toContain('s3cret');
  });
});
