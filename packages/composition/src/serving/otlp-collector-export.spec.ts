import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startOtlpCollector } from '@llmops/mlflow-client/testing';
import type { OtlpCollector } from '@llmops/mlflow-client/testing';
import { createRegistry, SqliteRegistryStore } from '@llmops/registry';
import type { Registry } from '@llmops/registry';
import { SqliteTraceStore } from '@llmops/serving';
import { createServingWiring } from './serving-wiring.js';

const question = 'Which kettle descaler should I buy for hard water?';

async function registryWithOneModel(): Promise<Registry> {
  const registry = createRegistry({ store: new SqliteRegistryStore({ path: ':memory:' }) });
  await registry.registerPrompt({ name: 'brief', template: 'Answer briefly.' });
  await registry.registerModel({
    spec: { name: 'helper', provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'brief' } },
  });
  return registry;
}

async function storedTraceIds(path: string): Promise<string[]> {
  const store = new SqliteTraceStore({ path });
  try {
    return (await store.list()).map((trace) => trace.traceId);
  } finally {
    store.close();
  }
}

describe('served traces go to the store and to the OTLP collector of LLMOPS_OTLP_ENDPOINT', () => {
  let collector: OtlpCollector;

  beforeEach(async () => {
    collector = await startOtlpCollector();
  });

  afterEach(async () => {
    await collector.close();
  });

  it('exports each request to both: the collector gets its spans with the configured headers and no question text', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-otlp-'));
    const registry = await registryWithOneModel();
    const serving = createServingWiring({
      registry,
      cwd,
      env: { LLMOPS_OTLP_ENDPOINT: collector.url, LLMOPS_OTLP_HEADERS: 'authorization=Bearer%20collector-token' },
      storeUri: `sqlite:${join(cwd, 'llmops.db')}`,
    });
    const { trace } = await serving.service.complete(
      'helper/1',
      { messages: [{ role: 'user', content: question }] },
      { requestId: 'req-otlp-1' },
    );
    await serving.close();
    await registry.close();

    expect(serving.collector).toMatchObject({ location: collector.url });
    expect(serving.collector?.queue.stats()).toEqual({ queued: 0, written: 1, dropped: 0, abandoned: 0 });
    expect(await storedTraceIds(join(cwd, 'llmops.db'))).toEqual([trace.traceId]);
    expect(collector.received).toHaveLength(1);
    expect(collector.received[0]?.headers['authorization']).toBe('Bearer collector-token');
    const spans = collector.spans();
    const root = spans.find((span) => span.parentSpanId === undefined);
    expect(root).toMatchObject({
      traceId: trace.traceId,
      name: 'chat.completions helper/1',
      attributes: { 'llmops.request_id': 'req-otlp-1', 'llmops.model': 'helper/1', 'llmops.status': 'ok' },
    });
    expect(spans.filter((span) => span !== root).map((span) => span.name)).toEqual(
      trace.spans.map((span) => span.name),
    );
    expect(spans.every((span) => span === root || span.parentSpanId === root?.spanId)).toBe(true);
    expect(spans.map((span) => span.name)).toEqual(expect.arrayContaining(['resolve', 'generate']));
    const sent = JSON.stringify(spans, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    expect(sent).not.toContain('descaler');
  });

  it('answers every request when the collector is down: its batch is dropped and counted, the store still has the trace', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-otlp-'));
    const registry = await registryWithOneModel();
    const errors: Array<{ message: string; dropped: number }> = [];
    const serving = createServingWiring({
      registry,
      cwd,
      env: {
        LLMOPS_OTLP_ENDPOINT: `http://127.0.0.1:${await findFreePort()}/v1/traces`,
        LLMOPS_OTLP_HEADERS: 'authorization=Bearer collector-token',
      },
      storeUri: `sqlite:${join(cwd, 'llmops.db')}`,
      // Connection refused is retried with back-off until this timeout (10 s by default).
      collectorTimeoutMs: 500,
      onTraceError: (error, dropped) => errors.push({ message: (error as Error).message, dropped }),
    });
    const { completion, trace } = await serving.service.complete('helper/1', {
      messages: [{ role: 'user', content: question }],
    });
    expect(completion.choices[0]?.message.role).toBe('assistant');
    await serving.close();
    await registry.close();

    expect(serving.collector?.queue.stats()).toEqual({ queued: 0, written: 0, dropped: 1, abandoned: 0 });
    expect(serving.traces.stats()).toEqual({ queued: 0, written: 1, dropped: 0, abandoned: 0 });
    expect(await storedTraceIds(join(cwd, 'llmops.db'))).toEqual([trace.traceId]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.dropped).toBe(1);
    expect(errors[0]?.message).toMatch(
      /^OTLP collector at http:\/\/127\.0\.0\.1:\d+\/v1\/traces did not take 1 traces/,
    );
    expect(errors[0]?.message).not.toContain('collector-token');
  });

  it('exports nothing and has no collector when no endpoint is configured', async () => {
    const registry = await registryWithOneModel();
    const serving = createServingWiring({
      registry,
      cwd: mkdtempSync(join(tmpdir(), 'llmops-otlp-')),
      env: {},
      storeUri: 'sqlite::memory:',
    });
    await serving.service.complete('helper/1', { messages: [{ role: 'user', content: question }] });
    await serving.close();
    await registry.close();
    expect(serving.collector).toBeUndefined();
    expect(collector.received).toEqual([]);
  });
});
