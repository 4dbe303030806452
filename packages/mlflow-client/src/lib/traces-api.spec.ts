import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { startTestServer } from './__fixtures__/http-test-server.js';
import type { TestServer } from './__fixtures__/http-test-server.js';
import { decodeExportTraceRequest } from '../testing/otlp-collector.js';
import { createMlflowClient } from './mlflow-client.js';

const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function caught(promise: Promise<unknown>): Promise<LlmopsError> {
  try {
    await promise;
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('setting a tag on a trace', () => {
  it('PATCHes the v3 tags path with the key and value as JSON', async () => {
    server = await startTestServer(() => ({ status: 200, body: '{}' }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    await client.traces.setTag({
      traceId: 'tr-0123456789abcdef0123456789abcdef',
      key: 'llmops.latency_ms',
      value: '42',
    });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('PATCH');
    expect(request?.url).toBe('/api/3.0/mlflow/traces/tr-0123456789abcdef0123456789abcdef/tags');
    expect(JSON.parse(request?.body.toString('utf8') ?? '')).toEqual({ key: 'llmops.latency_ms', value: '42' });
  });

  it("reports MLflow 3.17's answer for a trace it does not have (a foreign key error) as invalid_input", async () => {
    server = await startTestServer(() => ({
      status: 400,
      body: JSON.stringify({
        error_code: 'BAD_REQUEST',
        message: '(sqlite3.IntegrityError) FOREIGN KEY constraint failed',
      }),
    }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const error = await caught(client.traces.setTag({ traceId: 'tr-1', key: 'llmops.refused', value: 'false' }));
    expect(error.code).toBe('invalid_input');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 503, since writing the same tag twice is harmless', async () => {
    server = await startTestServer((_, index) => (index === 0 ? { status: 503, body: 'busy' } : { status: 200 }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    await client.traces.setTag({ traceId: 'tr-1', key: 'llmops.refused', value: 'true' });
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    { what: 'a trace id with a slash', traceId: 'tr-1/../x', key: 'k', message: /is not an MLflow trace id/ },
    { what: 'an empty key', traceId: 'tr-1', key: '', message: /must be 1 to 250 characters/ },
    {
      what: 'a key longer than MLflow keeps',
      traceId: 'tr-1',
      key: 'k'.repeat(251),
      message: /must be 1 to 250 characters/,
    },
  ])('refuses $what before sending anything', async ({ traceId, key, message }) => {
    server = await startTestServer(() => ({ status: 200, body: '{}' }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const error = await caught(client.traces.setTag({ traceId, key, value: 'v' }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });
});

describe('logging a feedback assessment on a trace', () => {
  const traceId = 'tr-0123456789abcdef0123456789abcdef';

  it('POSTs the v3 assessments path with the name, value, source, rationale and metadata', async () => {
    server = await startTestServer(() => ({
      status: 200,
      body: JSON.stringify({ assessment: { assessment_id: 'a-1' } }),
    }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const logged = await client.traces.logFeedback({
      traceId,
      name: 'contextual_relevancy',
      value: 0.75,
      source: { type: 'CODE', id: 'offline-heuristic' },
      rationale: 'online evaluation',
      metadata: { 'llmops.request_id': 'req-1' },
    });
    expect(logged).toEqual({ assessmentId: 'a-1' });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/api/3.0/mlflow/traces/${traceId}/assessments`);
    expect(JSON.parse(request?.body.toString('utf8') ?? '')).toEqual({
      assessment: {
        assessment_name: 'contextual_relevancy',
        trace_id: traceId,
        source: { source_type: 'CODE', source_id: 'offline-heuristic' },
        feedback: { value: 0.75 },
        rationale: 'online evaluation',
        metadata: { 'llmops.request_id': 'req-1' },
      },
    });
  });

  it('tries again after a 503 (MLflow did not take the first one)', async () => {
    server = await startTestServer((_, index) =>
      index === 0 ? { status: 503, body: 'busy' } : { status: 200, body: '{"assessment":{"assessment_id":"a-2"}}' },
    );
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const logged = await client.traces.logFeedback({
      traceId,
      name: 'faithfulness',
      value: 1,
      source: { type: 'CODE', id: 'x' },
    });
    expect(logged.assessmentId).toBe('a-2');
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    { what: 'a malformed trace id', change: { traceId: 'tr 1' }, message: 'is not an MLflow trace id' },
    { what: 'an empty name', change: { name: ' ' }, message: 'must be 1 to 250 characters' },
    { what: 'a value that is not finite', change: { value: Number.NaN }, message: 'is not a finite number' },
    { what: 'an object value', change: { value: {} as unknown as string }, message: 'is not a finite number' },
    {
      what: 'an unknown source type',
      change: { source: { type: 'ROBOT' as 'CODE', id: 'x' } },
      message: 'is not HUMAN, LLM_JUDGE or CODE',
    },
  ])('refuses $what before sending anything', async ({ change, message }) => {
    server = await startTestServer(() => ({ status: 200, body: '{}' }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const error = await caught(
      client.traces.logFeedback({
        traceId,
        name: 'faithfulness',
        value: 1,
        source: { type: 'CODE', id: 'x' },
        ...change,
      }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(message);
    expect(server.requests).toHaveLength(0);
  });
});

describe('searching traces', () => {
  it('POSTs the v3 search with the experiment as a location, the filter, the order and the page, and returns the next token', async () => {
    server = await startTestServer(() => ({
      status: 200,
      body: JSON.stringify({
        traces: [{ trace_id: 'tr-0f1e2d3c4b5a69788796a5b4c3d2e1f0', state: 'OK', tags: { 'llmops.model': 'bot/1' } }],
        next_page_token: 'page-2',
      }),
    }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const page = await client.traces.search({
      experimentIds: ['7'],
      filter: "tags.`llmops.model` = 'bot/1'",
      orderBy: ['timestamp_ms DESC'],
      maxResults: 500,
      pageToken: 'page-1',
    });
    expect(page.nextPageToken).toBe('page-2');
    expect(page.traces.map((trace) => [trace.traceId, trace.tags['llmops.model']])).toEqual([
      ['tr-0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'bot/1'],
    ]);
    const [request] = server.requests;
    expect([request?.method, request?.url]).toEqual(['POST', '/api/3.0/mlflow/traces/search']);
    expect(JSON.parse(request?.body.toString('utf8') ?? '')).toEqual({
      locations: [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '7' } }],
      filter: "tags.`llmops.model` = 'bot/1'",
      order_by: ['timestamp_ms DESC'],
      max_results: 500,
      page_token: 'page-1',
    });
  });

  it('refuses no experiment and a page size MLflow would refuse, without calling MLflow', async () => {
    server = await startTestServer(() => ({ status: 200, body: '{}' }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    expect((await caught(client.traces.search({ experimentIds: [] }))).code).toBe('invalid_input');
    const tooMany = await caught(client.traces.search({ experimentIds: ['7'], maxResults: 501 }));
    expect(tooMany.message).toMatch(/maxResults is 501; expected an integer from 1 to 500/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('getting traces with their spans', () => {
  it("reads MLflow 3.17.2's batchGet answer: hex span ids, the root without a parent, times in ms, attributes as values", async () => {
    const answer = readFileSync(join(__dirname, '__fixtures__', 'batch-get-traces-response.json'), 'utf8');
    server = await startTestServer(() => ({ status: 200, body: answer }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const [trace] = await client.traces.batchGet(['tr-0f1e2d3c4b5a69788796a5b4c3d2e1f0']);
    expect(server.requests[0]?.url).toBe(
      '/api/3.0/mlflow/traces/batchGet?trace_ids=tr-0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    );
    expect(trace?.info).toMatchObject({ traceId: 'tr-0f1e2d3c4b5a69788796a5b4c3d2e1f0', state: 'OK' });
    const spans = trace?.spans ?? [];
    const root = spans.find((span) => span.parentSpanId === undefined);
    expect(root).toMatchObject({
      name: 'chat.completions support-rag/2',
      status: 'OK',
      startTimeMs: 1_767_225_600_000,
    });
    expect(root?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(
      spans
        .filter((span) => span.parentSpanId === root?.spanId)
        .map((span) => [span.name, span.startTimeMs, span.endTimeMs]),
    ).toEqual([
      ['resolve', 1_767_225_600_000, 1_767_225_600_001],
      ['retrieve', 1_767_225_600_001, 1_767_225_600_013],
    ]);
    // A JSON string attribute comes back parsed (a key-value list); numbers stay numbers.
    expect(root?.attributes['llmops.record']).toMatchObject({
      traceId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      promptTokens: 530,
    });
    expect(root?.attributes['llmops.prompt_tokens']).toBe(530);
  });

  it('refuses more ids than one call takes, and malformed ids, without calling MLflow', async () => {
    server = await startTestServer(() => ({ status: 200, body: '{}' }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const ids = Array.from({ length: 101 }, (_, index) => `tr-${index.toString(16).padStart(32, '0')}`);
    expect((await caught(client.traces.batchGet(ids))).message).toMatch(/asks 101 traces; expected at most 100/);
    expect((await caught(client.traces.batchGet(['tr-0f 1e']))).code).toBe('invalid_input');
    expect(await client.traces.batchGet([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('logging several traces in one OTLP request', () => {
  const trace = (name: string, otelTraceId: string) => ({
    otelTraceId,
    spans: [
      { spanId: 'aaaaaaaaaaaaaaaa', name, startTimeMs: 1_700_000_000_000, endTimeMs: 1_700_000_000_010 },
      {
        parentSpanId: 'aaaaaaaaaaaaaaaa',
        name: 'generate',
        spanType: 'CHAT_MODEL',
        startTimeMs: 1_700_000_000_001,
        endTimeMs: 1_700_000_000_009,
      },
    ],
  });

  it('sends every span of every trace in one POST /v1/traces and returns the MLflow ids in order', async () => {
    server = await startTestServer(() => ({ status: 200, body: '' }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const first = '0123456789abcdef0123456789abcdef';
    const second = 'fedcba9876543210fedcba9876543210';
    const { traceIds } = await client.traces.logMany({
      experimentId: '7',
      traces: [trace('example 0', first), trace('example 1', second)],
    });
    expect(traceIds).toEqual([`tr-${first}`, `tr-${second}`]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.url).toBe('/v1/traces');
    expect(request?.headers['x-mlflow-experiment-id']).toBe('7');
    const spans = decodeExportTraceRequest(request?.body ?? Buffer.alloc(0));
    expect(spans.map((span) => [span.traceId, span.name, span.parentSpanId ?? null])).toEqual([
      [first, 'example 0', null],
      [first, 'generate', 'aaaaaaaaaaaaaaaa'],
      [second, 'example 1', null],
      [second, 'generate', 'aaaaaaaaaaaaaaaa'],
    ]);
  });

  it('refuses no trace, a trace without exactly one root and a trace id given twice, naming the trace, without calling MLflow', async () => {
    server = await startTestServer(() => ({ status: 200, body: '' }));
    const client = createMlflowClient({ trackingUri: server.url, retry: fast });
    const id = '0123456789abcdef0123456789abcdef';
    expect((await caught(client.traces.logMany({ experimentId: '7', traces: [] }))).message).toBe(
      'traces is empty; expected at least one',
    );
    const rootless = { otelTraceId: 'fedcba9876543210fedcba9876543210', spans: trace('x', id).spans.slice(1) };
    expect(
      (await caught(client.traces.logMany({ experimentId: '7', traces: [trace('x', id), rootless] }))).message,
    ).toBe('traces[1].spans has 0 root spans (spans without parentSpanId); expected exactly one');
    expect(
      (await caught(client.traces.logMany({ experimentId: '7', traces: [trace('x', id), trace('y', id)] }))).message,
    ).toBe(`traces[1].otelTraceId ${id} is given twice; expected one entry per trace`);
    expect(server.requests).toHaveLength(0);
  });
});
