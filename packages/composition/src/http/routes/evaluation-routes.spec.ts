import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvaluationService } from '@llmops/evaluation';
import { InMemoryRunTracker, StaticTarget } from '@llmops/evaluation/testing';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { createApiServer } from '../api-server.js';
import { evaluationRoutes } from './evaluation-routes.js';

const root = mkdtempSync(join(tmpdir(), 'llmops-api-eval-'));
mkdirSync(join(root, 'data'));
writeFileSync(
  join(root, 'data', 'mini.jsonl'),
  '{"id":"a","input":"Can annual plans be refunded?","expected_output":"Yes, within 14 days.","reference_contexts":["Annual plans are refunded within 14 days."]}\n',
);
writeFileSync(join(root, 'gates.yaml'), 'gates:\n  - faithfulness.mean >= 0.9\n  - latency.p95 <= 500\n');
const token = 'test-admin-token';
const auth = { authorization: `Bearer ${token}` };

async function server() {
  const requested: string[] = [];
  const corpora: (string | undefined)[] = [];
  const tracker = new InMemoryRunTracker();
  const app = await createApiServer({
    routes: [
      evaluationRoutes({
        workspace: {
          service: new EvaluationService({ tracker }),
          cwd: root,
          // The server's own key: it must never reach an endpoint a request names.
          env: { OPENAI_API_KEY: 'sk-server-secret' },
          endpointKeys: false,
          confineFiles: true,
          modelTarget: async (reference, targetOptions) => {
            requested.push(reference);
            corpora.push(targetOptions.corpus);
            return {
              target: new StaticTarget(
                () => ({
                  output: 'Annual plans are refunded within 14 days.',
                  retrievalContext: ['Annual plans are refunded within 14 days.'],
                  latencyMs: 40,
                }),
                { kind: 'pipeline', name: 'support-rag/2' },
              ),
              close: async () => undefined,
            };
          },
        },
      }),
    ],
  });
  return { app, requested, corpora, tracker };
}

async function waitFor(app: Awaited<ReturnType<typeof server>>['app'], id: string) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/evaluations/${id}` });
    if (response.json().status !== 'running') return response;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`evaluation ${id} did not finish`);
}

describe('evaluation routes', () => {
  it('starts an evaluation (202 with its id) and serves the finished run with its gate verdicts', async () => {
    const { app, requested } = await server();
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: auth,
      payload: {
        model: 'support-rag@champion',
        dataset: 'data/mini.jsonl',
        gates: 'gates.yaml',
        metrics: ['faithfulness:strict', 'latency'],
      },
    });
    expect(started.statusCode).toBe(202);
    const { id, status, url } = started.json();
    expect([status, url]).toEqual(['running', `/api/v1/evaluations/${id}`]);
    expect(requested).toEqual(['support-rag@champion']);
    const finished = await waitFor(app, id);
    expect(finished.statusCode).toBe(200);
    expect(finished.json()).toMatchObject({
      object: 'evaluation',
      id,
      status: 'finished',
      dataset: 'mini',
      dataset_source: 'data/mini.jsonl',
      example_count: 1,
      judge: 'offline-heuristic',
      verdict: 'passed',
      metrics: { faithfulness: 1 },
      aggregates: { faithfulness: { mean: 1 }, latency: { p95: 40 } },
    });
    await app.close();
  });

  it('serves the model over another corpus inside its folder when the body names one', async () => {
    const { app, requested, corpora } = await server();
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: auth,
      payload: { model: 'support-rag/2', corpus: 'data/', dataset: 'data/mini.jsonl' },
    });
    expect(started.statusCode).toBe(202);
    expect((await waitFor(app, started.json().id)).json().status).toBe('finished');
    expect([requested, corpora]).toEqual([['support-rag/2'], ['data/']]);
    await app.close();
  });

  it('accepts inline examples and gate criteria, and an endpoint target that gets none of the server keys', async () => {
    const upstream: OpenAiWireServer = await startOpenAiWireServer();
    upstream.reply('/v1/chat/completions', {
      kind: 'json',
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'llama3.1',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Refunds take 14 days.' }, finish_reason: 'stop' },
        ],
      },
    });
    const { app, requested } = await server();
    try {
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/evaluations',
        headers: auth,
        payload: {
          endpoint: { baseUrl: upstream.baseUrl, model: 'llama3.1' },
          dataset: { name: 'inline', examples: [{ id: 'x', input: 'Refunds?' }] },
          gates: ['harmful_rate == 0'],
        },
      });
      expect(started.statusCode).toBe(202);
      expect(requested).toEqual([]);
      expect((await waitFor(app, started.json().id)).json()).toMatchObject({
        dataset: 'inline',
        dataset_source: 'request body',
        verdict: 'passed',
      });
      const calls = upstream.requestsTo('/v1/chat/completions');
      expect(calls).toHaveLength(1);
      expect(calls[0]?.headers.authorization ?? '').not.toContain('sk-server-secret');
    } finally {
      await app.close();
      await upstream.close();
    }
  });

  it('refuses files outside its folder and invalid bodies, and 404s unknown runs', async () => {
    const { app } = await server();
    const escape = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: auth,
      payload: { model: 'm', dataset: '../etc/passwd.jsonl' },
    });
    expect(escape.statusCode).toBe(403);
    expect(escape.json().error.message).toBe('dataset ../etc/passwd.jsonl is outside the folder files are read from');
    const both = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: auth,
      payload: { dataset: 'data/mini.jsonl' },
    });
    expect([both.statusCode, both.json().error.message]).toEqual([
      400,
      'invalid request body: body: give exactly one of model or endpoint',
    ]);
    const badExample = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: auth,
      payload: { model: 'm', dataset: { name: 'd', examples: [{ id: 'a' }] } },
    });
    expect(badExample.json().error.message).toBe(
      'invalid request body: body.dataset.examples[0]: input: Invalid input: expected string or array, received undefined',
    );
    const badMetric = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: auth,
      payload: { model: 'm', dataset: 'data/mini.jsonl', metrics: ['faithfulness:lenient'] },
    });
    expect(badMetric.statusCode).toBe(400);
    expect(badMetric.json().error.message).toContain(
      'invalid request body: body.metrics[0]: expected a metric name, optionally followed by :strict',
    );
    const corpusEscape = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: auth,
      payload: { model: 'm', dataset: 'data/mini.jsonl', corpus: '../elsewhere/' },
    });
    expect([corpusEscape.statusCode, corpusEscape.json().error.message]).toEqual([
      403,
      'corpus ../elsewhere/ is outside the folder files are read from',
    ]);
    const corpusWithoutModel = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluations',
      headers: auth,
      payload: {
        endpoint: { baseUrl: 'http://127.0.0.1:9/v1', model: 'x' },
        dataset: 'data/mini.jsonl',
        corpus: 'data/',
      },
    });
    expect([corpusWithoutModel.statusCode, corpusWithoutModel.json().error.message]).toEqual([
      400,
      'invalid request body: body.corpus: corpus applies to a model (a registered rag model) only',
    ]);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/evaluations/0123456789abcdef' });
    expect(missing.statusCode).toBe(404);
    await app.close();
  });

  it('answers latest and previous as the CLI resolves them, and 404 naming the word while runs are missing', async () => {
    const { app } = await server();
    const none = await app.inject({ method: 'GET', url: '/api/v1/evaluations/latest' });
    expect([none.statusCode, none.json().error.message]).toEqual([
      404,
      expect.stringMatching(/^"latest" names the newest evaluation run, but the store has none/),
    ]);
    const ids: string[] = [];
    for (const dataset of ['data/mini.jsonl', 'data/mini.jsonl']) {
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/evaluations',
        headers: auth,
        payload: { model: 'support-rag/2', dataset },
      });
      ids.push(started.json().id);
      await waitFor(app, started.json().id);
    }
    const latest = await app.inject({ method: 'GET', url: '/api/v1/evaluations/latest' });
    const previous = await app.inject({ method: 'GET', url: '/api/v1/evaluations/previous' });
    expect([latest.json().id, previous.json().id]).toEqual([ids[1], ids[0]]);
    await app.close();
  });
});
