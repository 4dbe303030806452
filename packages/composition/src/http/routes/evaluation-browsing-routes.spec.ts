import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { errorResponseSchema } from '@llmops/kernel';
import { kettleCallers, servedKettleHelp } from '../../__fixtures__/kettle-workspace.js';
import type { RunningLlmopsServer } from '../llmops-server.js';

const dataset = {
  name: 'kettle-qa',
  examples: [
    {
      id: 'limescale',
      input: 'Is limescale damage covered by the warranty?',
      expected_output: 'No, limescale damage is not covered.',
    },
    { id: 'hours', input: 'When does support answer by chat?', expected_output: 'From 8:00 to 20:00 CET on weekdays.' },
    { id: 'element', input: 'How long is the heating element under warranty?', expected_output: 'Two years.' },
  ],
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the console reads of evaluations and traces (a real server on the embedded store)', () => {
  let running: RunningLlmopsServer;
  let cwd: string;
  let admin: ReturnType<typeof kettleCallers>['admin'];
  let baseline: string;
  let candidate: string;
  const read = async (path: string): Promise<{ status: number; body: Json }> => {
    const response = await admin('GET', path);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const evaluate = async (model: string, name: string): Promise<string> => {
    const started = await admin('POST', '/api/v1/evaluations', {
      name,
      model,
      dataset,
      gates: ['faithfulness.mean >= 0.5'],
      metrics: ['faithfulness', 'contextual_relevancy', 'answer_relevancy', 'latency'],
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    for (let attempt = 0; attempt < 400; attempt += 1) {
      const { body } = await read(`/api/v1/evaluations/${id}`);
      if (body['status'] !== 'running') return id;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`evaluation ${id} did not finish`);
  };

  beforeAll(async () => {
    ({ running, cwd } = await servedKettleHelp({
      prefix: 'llmops-console-reads-',
      files: {
        'confs/promotion-policy.yaml': 'name: kettle\ndataset: [kettle-qa]\ncriteria:\n  - faithfulness.mean >= 0\n',
      },
    }));
    ({ admin } = kettleCallers(running));
    const version2 = await admin('POST', '/api/v1/models/kettle-help/versions', {
      spec: {
        name: 'kettle-help',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 1 }, tokenBudget: 500 },
      },
    });
    expect(version2.status).toBe(201);
    baseline = await evaluate('kettle-help/1', 'baseline k=3');
    candidate = await evaluate('kettle-help/2', 'candidate k=1');
  });
  afterAll(async () => {
    await running.close();
  });

  it('lists runs newest first with their summary, filtered and paged with the total', async () => {
    const { status, body } = await read('/api/v1/evaluations?model=kettle-help&limit=1');
    expect(status).toBe(200);
    expect(body['object']).toBe('list');
    expect(body['total']).toBe(2);
    expect(body['data']).toEqual([
      {
        id: candidate,
        name: 'candidate k=1',
        model_ref: 'kettle-help/2',
        dataset: 'kettle-qa',
        status: 'finished',
        verdict: expect.stringMatching(/^(passed|failed)$/),
        metrics: expect.objectContaining({ faithfulness: expect.any(Number), latency: expect.any(Number) }),
        started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        example_count: 3,
        error_count: 0,
      },
    ]);
    const second = await read('/api/v1/evaluations?model=kettle-help/1&dataset=kettle-qa&q=BASELINE');
    expect(second.body['data'].map((run: Json) => run['id'])).toEqual([baseline]);
    expect((await read('/api/v1/evaluations?verdict=none')).body['total']).toBe(0);
  });

  it('refuses a bad page, verdict or unknown parameter with 400 in OpenAI error shape', async () => {
    for (const [query, named] of [
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['offset=-1', 'query.offset'],
      ['verdict=maybe', 'query.verdict'],
      ['colour=red', 'colour'],
    ]) {
      const { status, body } = await read(`/api/v1/evaluations?${query}`);
      expect([query, status]).toEqual([query, 400]);
      const error = errorResponseSchema.parse(body).error;
      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain(named);
    }
  });

  it('answers a run with its gate table, and 404 for an unknown run', async () => {
    const { body } = await read(`/api/v1/evaluations/${baseline}`);
    expect(body).toMatchObject({
      object: 'evaluation',
      id: baseline,
      judge: 'offline-heuristic',
      dataset: 'kettle-qa',
    });
    expect(body['gates']).toEqual([
      {
        metric: 'faithfulness',
        aggregate: 'mean',
        operator: '>=',
        threshold: 0.5,
        actual: body['metrics']['faithfulness'],
        passed: body['metrics']['faithfulness'] >= 0.5,
        criterion: 'faithfulness.mean >= 0.5',
        reason: expect.any(String),
      },
      // Every gate holds the default error rate unless it names its own.
      expect.objectContaining({ metric: 'error_rate', aggregate: 'mean', operator: '<=', threshold: 0.01, actual: 0 }),
    ]);
    expect(body['reports'].map((report: Json) => report['name'])).toContain('report.html');
    const unknown = await read('/api/v1/evaluations/0123456789abcdef0123456789abcdef');
    expect(unknown.status).toBe(404);
    expect(errorResponseSchema.parse(unknown.body).error.code).toBe('not_found');
    expect((await read('/api/v1/evaluations/0123456789abcdef0123456789abcdef/examples')).status).toBe(404);
    expect((await read('/api/v1/evaluations/not..an..id')).status).toBe(400);
  });

  it("pages a run's examples sorted by a metric, filtered and searched, and names the sort keys it accepts", async () => {
    const sorted = await read(`/api/v1/evaluations/${baseline}/examples?sort=faithfulness&order=desc&limit=2`);
    expect(sorted.status).toBe(200);
    expect(sorted.body['total']).toBe(3);
    expect(sorted.body['data']).toHaveLength(2);
    const [first, second] = sorted.body['data'] as Json[];
    expect(first?.['scores']['faithfulness']).toBeGreaterThanOrEqual(second?.['scores']['faithfulness']);
    expect(Object.keys(first ?? {}).sort()).toEqual(
      ['error', 'example_id', 'expected_output', 'index', 'input', 'output', 'passed', 'scores'].sort(),
    );
    const searched = await read(`/api/v1/evaluations/${baseline}/examples?q=LIMESCALE`);
    expect(searched.body['data'].map((row: Json) => row['example_id'])).toEqual(['limescale']);
    const failed = await read(`/api/v1/evaluations/${baseline}/examples?failed=true`);
    const passed = await read(`/api/v1/evaluations/${baseline}/examples?failed=false`);
    expect(failed.body['total'] + passed.body['total']).toBe(3);
    const bad = await read(`/api/v1/evaluations/${baseline}/examples?sort=colour`);
    expect(bad.status).toBe(400);
    const message = errorResponseSchema.parse(bad.body).error.message;
    expect(message).toContain('query.sort');
    expect(message).toContain('index, contextual_relevancy, faithfulness');
  });

  it('answers one example with its passages (titles and scores), every metric and the trace that produced it', async () => {
    const { status, body } = await read(`/api/v1/evaluations/${baseline}/examples/0`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ index: 0, example_id: 'limescale', input: dataset.examples[0]?.input });
    expect(body['retrieval_context'][0]).toEqual({
      rank: 1,
      source: expect.stringContaining('warranty.md'),
      title: 'Warranty',
      score: expect.any(Number),
      text: expect.stringContaining('Limescale damage is not covered'),
    });
    const faithfulness = body['metrics'].find((metric: Json) => metric['name'] === 'faithfulness');
    expect(faithfulness).toMatchObject({ threshold: 0.5, operator: '>=', reason: expect.any(String) });
    expect(body['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(body['tokens']).toEqual({ prompt: expect.any(Number), completion: expect.any(Number) });
    let trace = await read(`/api/v1/traces/${body['trace_id']}`);
    for (let attempt = 0; attempt < 100 && trace.status === 404; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      trace = await read(`/api/v1/traces/${body['trace_id']}`);
    }
    expect(trace.status).toBe(200);
    expect(trace.body).toMatchObject({ trace_id: body['trace_id'], model: 'kettle-help/1', status: 'ok' });
    expect(trace.body['spans'].map((span: Json) => span['name'])).toContain('retrieve');
    expect((await read(`/api/v1/evaluations/${baseline}/examples/3`)).status).toBe(404);
    expect((await read(`/api/v1/evaluations/${baseline}/examples/-1`)).status).toBe(400);
  });

  it('bins every metric on the server', async () => {
    const { body } = await read(`/api/v1/evaluations/${baseline}/histograms?bins=4`);
    expect(body['faithfulness']['edges']).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(body['faithfulness']['counts'].reduce((sum: number, count: number) => sum + count, 0)).toBe(3);
    expect((await read(`/api/v1/evaluations/${baseline}/histograms?bins=0`)).status).toBe(400);
  });

  it("keeps a finished run's histograms in the store once read, and answers the same from there", async () => {
    const first = await read(`/api/v1/evaluations/${candidate}/histograms?bins=3`);
    expect(first.status).toBe(200);
    const file = new DatabaseSync(join(cwd, '.llmops', 'llmops.db'), { readOnly: true });
    try {
      const rows = file
        .prepare('SELECT bins, histograms FROM evaluation_run_histograms WHERE run_id = ?')
        .all(candidate) as Array<{ bins: number; histograms: string }>;
      expect(rows.map((row) => [row.bins, JSON.parse(row.histograms)])).toEqual([[3, first.body]]);
    } finally {
      file.close();
    }
    expect((await read(`/api/v1/evaluations/${candidate}/histograms?bins=3`)).body).toEqual(first.body);
  });

  it('compares runs with bootstrap intervals paired on example ids, and grids their examples', async () => {
    const { status, body } = await read(`/api/v1/evaluations/compare?runs=${baseline},${candidate}`);
    expect(status).toBe(200);
    expect(body['runs'].map((run: Json) => run['id'])).toEqual([baseline, candidate]);
    const faithfulness = body['metrics'].find((metric: Json) => metric['name'] === 'faithfulness');
    expect(faithfulness['values'].map((value: Json) => value['run_id'])).toEqual([baseline, candidate]);
    const [delta] = faithfulness['deltas'];
    expect(delta).toMatchObject({ run_id: candidate, confidence: 0.95, paired: true });
    expect(delta['ci_low']).toBeLessThanOrEqual(delta['delta']);
    expect(delta['ci_high']).toBeGreaterThanOrEqual(delta['delta']);
    const grid = await read(`/api/v1/evaluations/compare/examples?runs=${baseline},${candidate}&limit=10`);
    expect(grid.body['total']).toBe(3);
    expect(grid.body['data'][0]).toMatchObject({
      example_key: 'limescale',
      cells: [
        { run_id: baseline, passed: expect.any(Boolean) },
        { run_id: candidate, passed: expect.any(Boolean) },
      ],
      disagree: expect.any(Boolean),
    });
    const disagreeing = await read(`/api/v1/evaluations/compare/examples?runs=${baseline},${candidate}&disagree=true`);
    const agreeing = await read(`/api/v1/evaluations/compare/examples?runs=${baseline},${candidate}&disagree=false`);
    expect(disagreeing.body['total'] + agreeing.body['total']).toBe(3);
    const one = await read(`/api/v1/evaluations/compare?runs=${baseline}`);
    expect(one.status).toBe(400);
    expect(errorResponseSchema.parse(one.body).error.message).toContain('expected 2 to 6 run ids');
    expect((await read(`/api/v1/evaluations/compare?runs=${baseline},0123456789abcdef0123456789abcdef`)).status).toBe(
      404,
    );
  });

  it("says by which rule the grid's cells pass or fail: each run's gate thresholds (faithfulness.mean >= 0.5 here)", async () => {
    const grid = await read(`/api/v1/evaluations/compare/examples?runs=${baseline},${candidate}&limit=10`);
    expect(grid.body['rules']).toEqual(
      [baseline, candidate].map((id) => ({
        run_id: id,
        source: 'gate',
        thresholds: [{ metric: 'faithfulness', operator: '>=', value: 0.5 }],
        default_threshold: 0.5,
      })),
    );
  });

  it('lists the promotions and rollbacks of a model, newest first, with the evaluation runs behind each', async () => {
    const promoted = await admin('POST', '/api/v1/models/kettle-help/promote', { version: 2, reason: 'k=1 is enough' });
    expect(promoted.status).toBe(200);
    const rolledBack = await admin('POST', '/api/v1/models/kettle-help/rollback', { reason: 'answers got shorter' });
    expect(rolledBack.status).toBe(200);
    const { status, body } = await read('/api/v1/models/kettle-help/promotions');
    expect(status).toBe(200);
    expect(body['total']).toBe(3);
    const [rollback, promotion, first] = body['data'] as Json[];
    expect(rollback).toMatchObject({
      kind: 'rollback',
      alias: 'champion',
      from_version: 2,
      to_version: 1,
      reason: 'answers got shorter',
    });
    expect(promotion).toMatchObject({
      kind: 'promote',
      forced: false,
      from_version: 1,
      to_version: 2,
      reason: 'k=1 is enough',
      at: expect.stringMatching(/^\d{4}-/),
      actor: expect.any(String),
    });
    expect(promotion?.['evidence']).toEqual([
      {
        run_id: candidate,
        run_name: 'candidate k=1',
        // The version the run evaluated, for a reader of the promotion.
        target: 'kettle-help/2',
        dataset: 'kettle-qa',
        verdict: 'passed',
        metrics: expect.objectContaining({ faithfulness: expect.any(Number) }),
      },
    ]);
    expect(first).toMatchObject({ kind: 'promote', forced: true, to_version: 1, reason: 'test release' });
    const paged = await read('/api/v1/models/kettle-help/promotions?limit=1&offset=2');
    expect([paged.body['total'], paged.body['data'].length]).toEqual([3, 1]);
    expect((await read('/api/v1/models/kettle-help/promotions?limit=500')).status).toBe(400);
  });

  it('lists traces newest first with their summary, filtered by status, with the total', async () => {
    const { status, body } = await read('/api/v1/traces?model=kettle-help&status=ok&limit=2');
    expect(status).toBe(200);
    expect(body['total']).toBeGreaterThanOrEqual(6);
    expect(body['data']).toHaveLength(2);
    expect(body['data'][0]).toMatchObject({
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      model_ref: expect.stringMatching(/^kettle-help/),
      model: expect.stringMatching(/^kettle-help\/[12]$/),
      pipeline: 'rag',
      started_at: expect.stringMatching(/^\d{4}-/),
      duration_ms: expect.any(Number),
      status: 'ok',
      tokens: { prompt: expect.any(Number), completion: expect.any(Number) },
    });
    expect(Object.keys(body['data'][0]).sort()).toEqual(
      [
        'cache',
        'cost_usd',
        'duration_ms',
        'guardrail',
        'model',
        'model_ref',
        'pipeline',
        'request_id',
        'started_at',
        'status',
        'tokens',
        'trace_id',
      ].sort(),
    );
    expect((await read('/api/v1/traces?status=blocked')).body['total']).toBe(0);
    expect((await read('/api/v1/traces?status=lost')).status).toBe(400);
    expect((await read('/api/v1/traces/XYZ')).status).toBe(400);
    expect((await read(`/api/v1/traces/${'0'.repeat(32)}`)).status).toBe(404);
  });
});
