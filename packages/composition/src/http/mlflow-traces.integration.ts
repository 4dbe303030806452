import { join } from 'node:path';
import { startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowServer } from '@llmops/mlflow-client/testing';
import { kettleAdminHeaders, kettleWorkspace, seedKettleAdminKey } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from './llmops-server.js';
import type { RunningLlmopsServer } from './llmops-server.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the traces API on an MLflow store (a real mlflow server)', () => {
  let mlflow: MlflowServer;
  let running: RunningLlmopsServer;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
  };

  beforeAll(async () => {
    mlflow = await startMlflowServer({ workspaceRoot, backend: 'sqlite' });
    const cwd = kettleWorkspace('llmops-mlflow-traces-');
    await seedKettleAdminKey(cwd, 'keys.db');
    running = await startLlmopsServer({ port: 0, cwd, env: {}, storeUri: mlflow.trackingUri, logger: false });
    // kettle-help/1, a RAG model on the workspace's kb, promoted to champion.
    const model = {
      spec: {
        name: 'kettle-help',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 2 }, tokenBudget: 300 },
      },
    };
    for (const [path, body] of [
      ['/api/v1/prompts', { name: 'answer', template: 'Passages:\n{{context}}\n\nQ: {{question}}' }],
      ['/api/v1/models', model],
      ['/api/v1/models/kettle-help/promote', { version: 1, force: true, reason: 'traces test' }],
    ] as const) {
      const { status, body: answer } = await call('POST', path, body);
      if (status >= 300) throw new Error(`POST ${path} answered ${status}: ${JSON.stringify(answer)}`);
    }
  }, 600_000);
  afterAll(async () => {
    await running?.close();
    await mlflow?.stop();
  });

  it('lists a request served on an MLflow store and reads its trace with spans, tokens and retrieval', async () => {
    const answer = await call('POST', '/v1/chat/completions', {
      model: 'kettle-help@champion',
      messages: [{ role: 'user', content: 'How long is the warranty?' }],
    });
    expect(answer.status).toBe(200);

    // Traces reach MLflow through the trace queue, a moment after the answer.
    let listed = await call('GET', '/api/v1/traces?model=kettle-help');
    const deadline = Date.now() + 60_000;
    while (listed.body['total'] === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      listed = await call('GET', '/api/v1/traces?model=kettle-help');
    }
    expect(listed.status).toBe(200);
    expect(listed.body['total']).toBe(1);
    const [summary] = listed.body['data'] as Body[];
    expect(summary).toMatchObject({
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      model_ref: 'kettle-help@champion',
      model: 'kettle-help/1',
      pipeline: 'rag',
      status: 'ok',
      tokens: { prompt: expect.any(Number), completion: expect.any(Number) },
    });
    expect(summary?.['tokens']['prompt']).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/traces?status=error')).body).toMatchObject({ total: 0, data: [] });
    expect((await call('GET', '/api/v1/traces?model=kettle-help/2')).body['total']).toBe(0);

    const detail = await call('GET', `/api/v1/traces/${summary?.['trace_id']}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ ...summary, provider: 'offline/extractive', error: null });
    const spans = detail.body['spans'] as Body[];
    expect(spans.map((span) => span['name'])).toEqual(expect.arrayContaining(['resolve', 'retrieve', 'generate']));
    for (const span of spans) {
      expect(span['start_offset_ms']).toBeGreaterThanOrEqual(0);
      expect(span['duration_ms']).toBeGreaterThanOrEqual(0);
    }
    for (const span of spans) expect(span['span_id']).toMatch(/^[0-9a-f]{16}$/);
    // A RAG request's steps all run directly under the request.
    expect(spans.map((span) => span['parent_id'])).toEqual(spans.map(() => null));
    const retrieval = detail.body['retrieval'] as Body[];
    expect(retrieval.length).toBeGreaterThan(0);
    expect(retrieval[0]).toMatchObject({ rank: 1, source: expect.any(String), score: expect.any(Number) });
    expect(detail.body['online_scores']).toEqual(expect.any(Array));

    expect((await call('GET', `/api/v1/traces/${'0'.repeat(32)}`)).status).toBe(404);
  }, 180_000);

  it('evaluates a served model through POST /api/v1/evaluations and links each example to its trace, in MLflow once the run is finished', async () => {
    const questions = ['How long is the warranty?', 'Is limescale damage covered?', 'When does support answer?'];
    const started = await call('POST', '/api/v1/evaluations', {
      model: 'kettle-help/1',
      dataset: { name: 'kettle-questions', examples: questions.map((input, index) => ({ id: `q${index}`, input })) },
      metrics: ['answer_relevancy'],
    });
    expect(started.status).toBe(202);
    const runId = started.body['id'] as string;
    let run = await call('GET', `/api/v1/evaluations/${runId}`);
    const deadline = Date.now() + 120_000;
    while (run.body['status'] === 'running' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      run = await call('GET', `/api/v1/evaluations/${runId}`);
    }
    expect(run.body['status']).toBe('finished');
    // No waiting from here: the run's traces were flushed to MLflow before it was marked finished.
    for (const index of questions.keys()) {
      const example = await call('GET', `/api/v1/evaluations/${runId}/examples/${index}`);
      expect(example.status).toBe(200);
      expect(example.body['trace_id']).toMatch(/^[0-9a-f]{32}$/);
      const trace = await call('GET', `/api/v1/traces/${example.body['trace_id']}`);
      expect([index, trace.status]).toEqual([index, 200]);
      expect(trace.body).toMatchObject({ trace_id: example.body['trace_id'], model: 'kettle-help/1' });
      expect((trace.body['spans'] as Body[]).map((span) => span['name'])).toEqual(
        expect.arrayContaining(['retrieve', 'generate']),
      );
    }
  }, 180_000);
});
