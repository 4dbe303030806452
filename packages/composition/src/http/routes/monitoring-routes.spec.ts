import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorResponseSchema } from '@llmops/kernel';
import { monitoringConfSchema, SqliteAlertStore, SqliteEventStore } from '@llmops/monitoring';
import type { AlertRecord, RequestEvent } from '@llmops/monitoring';
import { createRegistry, SqliteRegistryStore } from '@llmops/registry';
import type { Registry } from '@llmops/registry';
import { InMemoryEvaluationEvidence } from '@llmops/registry/testing';
import { selectMonitoredModel } from '../../monitoring/monitored-model.js';
import { startApiServer } from '../start-api-server.js';
import type { RunningApiServer } from '../start-api-server.js';
import { monitoringRoutes } from './monitoring-routes.js';

const token = 'monitoring-admin-token';
const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const clock = { now: () => now, monotonic: () => 0 };
const minute = 60_000;
const hour = 60 * minute;
const conf = monitoringConfSchema.parse({
  windows: ['1h', '24h'],
  slos: [
    { name: 'latency_p95', kind: 'latency', percentile: 95, thresholdMs: 500 },
    { name: 'error_rate', kind: 'error_rate', maxRate: 0.01 },
    { name: 'online_contextual_relevancy', kind: 'online_metric', metric: 'contextual_relevancy', min: 0.9 },
  ],
});

function event(overrides: Partial<RequestEvent>): RequestEvent {
  return {
    at: now - minute,
    requestId: 'req',
    modelRef: 'support-rag@champion',
    modelName: 'support-rag',
    modelVersion: 2,
    status: 200,
    stream: false,
    completed: true,
    latencyMs: 100,
    inputTokens: 400,
    outputTokens: 50,
    guardrails: [],
    topRetrievalScore: 0.7,
    refused: false,
    questionHash: 'f'.repeat(64),
    ...overrides,
  };
}

const folder = mkdtempSync(join(tmpdir(), 'llmops-monitoring-routes-'));
let store: SqliteEventStore;
let alerts: SqliteAlertStore;
let registry: Registry;
let running: RunningApiServer;

async function start(options: { withConf: boolean; cwd?: string; dataRoots?: string[] }) {
  running = await startApiServer({
    port: 0,
    routes: [
      monitoringRoutes({
        store,
        alerts,
        conf: options.withConf ? conf : undefined,
        selectModel: (reference) => selectMonitoredModel(registry, reference),
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(options.dataRoots === undefined ? {} : { dataRoots: options.dataRoots }),
        clock,
      }),
    ],
  });
}

beforeEach(async () => {
  const id = `${Date.now()}-${Math.random()}`;
  store = new SqliteEventStore({ path: join(folder, `events-${id}.db`) });
  alerts = new SqliteAlertStore({ path: join(folder, `events-${id}.db`) });
  registry = createRegistry({
    store: new SqliteRegistryStore({ path: join(folder, `registry-${id}.db`) }),
    evidence: new InMemoryEvaluationEvidence(),
  });
  const spec = (temperature: number) => ({
    name: 'support-rag',
    provider: 'offline/extractive',
    params: { temperature },
    pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb' },
  });
  await registry.registerPrompt({ name: 'answer', template: 'Answer: {{question}}' });
  await registry.registerModel({ spec: spec(0) });
  await registry.registerModel({ spec: spec(0.5) });
  await registry.promote({ name: 'support-rag', version: 2, alias: 'champion', force: true, reason: 'test release' });
});

afterEach(async () => {
  await running?.close();
  store.close();
  alerts.close();
  await registry.close();
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function get(path: string, options: { token?: string | null } = {}) {
  const bearer = options.token === undefined ? token : options.token;
  const response = await fetch(`${running.url}${path}`, {
    headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function errorOf(body: unknown) {
  return errorResponseSchema.parse(body).error;
}

describe('GET /api/v1/monitoring/events', () => {
  beforeEach(async () => {
    await store.append([
      event({ requestId: 'v1-old', modelVersion: 1, at: now - 3 * hour }),
      event({ requestId: 'v1', modelVersion: 1, at: now - 30 * minute, question: 'Is descaling covered?' }),
      event({ requestId: 'v2-a', at: now - 20 * minute }),
      event({ requestId: 'v2-b', at: now - 10 * minute }),
      event({ requestId: 'v2-c', at: now - 5 * minute }),
    ]);
    await start({ withConf: true });
  });

  it('pages the window newest first, with the question only where it was stored', async () => {
    const first = await get('/api/v1/monitoring/events?since=1h&limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: 'list', limit: 2, offset: 0, has_more: true });
    const ids = (body: Record<string, unknown>) => (body['data'] as RequestEvent[]).map((item) => item.requestId);
    expect(ids(first.body)).toEqual(['v2-c', 'v2-b']);
    const second = await get('/api/v1/monitoring/events?since=1h&limit=2&offset=2');
    expect(ids(second.body)).toEqual(['v2-a', 'v1']);
    expect(second.body['has_more']).toBe(false);
    const [withoutText, withText] = second.body['data'] as RequestEvent[];
    expect(withoutText).not.toHaveProperty('question');
    expect(withText?.question).toBe('Is descaling covered?');
  });

  it('narrows to the version an alias points to, or every version of a name', async () => {
    const champion = await get(
      `/api/v1/monitoring/events?since=1h&model=${encodeURIComponent('support-rag@champion')}`,
    );
    expect((champion.body['data'] as RequestEvent[]).map((item) => item.requestId)).toEqual(['v2-c', 'v2-b', 'v2-a']);
    const all = await get('/api/v1/monitoring/events?since=4h&model=support-rag');
    expect((all.body['data'] as RequestEvent[]).length).toBe(5);
  });

  it('answers bad parameters with 400 and unknown models with 404, in the OpenAI error shape', async () => {
    const badLimit = await get('/api/v1/monitoring/events?limit=0');
    expect(badLimit.status).toBe(400);
    expect(errorOf(badLimit.body)).toEqual({
      message: 'invalid query: query.limit: Too small: expected number to be >=1',
      type: 'invalid_request_error',
      code: 'invalid_input',
      param: null,
    });
    const badSince = await get('/api/v1/monitoring/events?since=yesterday');
    expect(badSince.status).toBe(400);
    expect(errorOf(badSince.body).message).toBe(
      'invalid query: query.since: expected a whole number and a unit s, m, h, d or w, for example 15m, 1h or 7d',
    );
    const unknownParameter = await get('/api/v1/monitoring/events?colour=red');
    expect(unknownParameter.status).toBe(400);
    expect(errorOf(unknownParameter.body).message).toContain('query.colour');
    const unknownModel = await get('/api/v1/monitoring/events?model=nobody');
    expect(unknownModel.status).toBe(404);
    expect(errorOf(unknownModel.body).code).toBe('not_found');
    const unknownAlias = await get(`/api/v1/monitoring/events?model=${encodeURIComponent('support-rag@canary')}`);
    expect(unknownAlias.status).toBe(404);
  });
});

describe('GET /api/v1/monitoring/slo', () => {
  it('evaluates each objective per window with burn rates computed by hand', async () => {
    // Last hour: 40 requests, 4 slower than 500 ms (10 %), 1 failed (2.5 %). The day before: 60 fast ones.
    await store.append([
      ...Array.from({ length: 40 }, (_, index) =>
        event({
          requestId: `h${index}`,
          at: now - (index + 1) * minute,
          latencyMs: index < 4 ? 900 : 100,
          ...(index === 4 ? { status: 502, errorCode: 'upstream_error', completed: false } : {}),
        }),
      ),
      ...Array.from({ length: 60 }, (_, index) =>
        event({ requestId: `d${index}`, at: now - 2 * hour - index * minute }),
      ),
    ]);
    await start({ withConf: true });
    const response = await get('/api/v1/monitoring/slo?model=support-rag');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'monitoring.slo',
      at: '2026-11-29T12:00:00.000Z',
      model: { name: 'support-rag' },
      breached: ['latency_p95', 'error_rate'],
    });
    const slos = response.body['slos'] as Array<{
      name: string;
      state: string;
      windows: Array<Record<string, unknown>>;
    }>;
    const burn = (name: string) =>
      slos.find((slo) => slo.name === name)?.windows.map((window) => [window['window'], window['burnRate']]);
    // 4/40 = 0.1 over 0.05 → 2; 4/100 = 0.04 over 0.05 → 0.8.
    expect(burn('latency_p95')?.map(([window, rate]) => [window, Number((rate as number).toFixed(12))])).toEqual([
      ['1h', 2],
      ['24h', 0.8],
    ]);
    // 1/40 = 0.025 over 0.01 → 2.5; 1/100 over 0.01 → 1.
    expect(burn('error_rate')?.map(([window, rate]) => [window, Number((rate as number).toFixed(12))])).toEqual([
      ['1h', 2.5],
      ['24h', 1],
    ]);
    expect(slos.find((slo) => slo.name === 'online_contextual_relevancy')?.state).toBe('no_data');
  });

  it('answers 404 when the server has no monitoring conf', async () => {
    await start({ withConf: false });
    const response = await get('/api/v1/monitoring/slo');
    expect(response.status).toBe(404);
    expect(errorOf(response.body).message).toBe(
      'no service level objectives: the server has no monitoring conf (confs/monitoring.yaml)',
    );
  });
});

describe('GET /api/v1/monitoring/drift', () => {
  const topicA = ['How long is the warranty?', 'Is limescale covered?', 'How do I descale the kettle?'];
  const topicB = [
    'Why does my March invoice show a different amount than the one agreed on the phone with billing?',
    'Who in the billing team can refund the duplicate card charge on my annual plan this week?',
  ];

  beforeEach(async () => {
    const baseline = Array.from({ length: 120 }, (_, index) =>
      event({
        requestId: `b${index}`,
        at: now - 2 * hour - index * 5 * minute,
        latencyMs: 80 + (index % 40),
        inputTokens: 380 + (index % 50),
        topRetrievalScore: 0.6 + (index % 20) / 100,
        question: topicA[index % topicA.length] as string,
      }),
    );
    await store.append(baseline);
    await start({ withConf: true });
  });

  it('sees drift when the last hour is slower, longer, retrieved worse, refused more and on another topic', async () => {
    await store.append(
      Array.from({ length: 80 }, (_, index) =>
        event({
          requestId: `c${index}`,
          at: now - (index + 1) * 30_000,
          latencyMs: 380 + (index % 40),
          inputTokens: 880 + (index % 50),
          topRetrievalScore: 0.25 + (index % 20) / 100,
          refused: index % 3 === 0,
          question: topicB[index % topicB.length] as string,
        }),
      ),
    );
    const response = await get('/api/v1/monitoring/drift?reference=24h&since=1h');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'monitoring.drift',
      verdict: 'drift',
      reference: { kind: 'window', from: '2026-11-28T11:00:00.000Z', to: '2026-11-29T11:00:00.000Z', events: 120 },
      current: { events: 80 },
    });
    const features = response.body['features'] as Array<{ name: string; verdict: string }>;
    expect(Object.fromEntries(features.map((feature) => [feature.name, feature.verdict]))).toMatchObject({
      latency_ms: 'drift',
      input_tokens: 'drift',
      top_retrieval_score: 'drift',
      refused: 'drift',
      question: 'drift',
      status: 'no_drift',
    });
  });

  it('names a bad reference', async () => {
    const response = await get('/api/v1/monitoring/drift?reference=last-week');
    expect(response.status).toBe(400);
    expect(errorOf(response.body).message).toBe(
      'reference "last-week" is not a duration (a whole number and s, m, h, d or w, such as 24h); this server reads no dataset files',
    );
  });
});

describe("GET /api/v1/monitoring/drift against a dataset of the workspace (the CLI's --reference)", () => {
  const workspace = mkdtempSync(join(tmpdir(), 'llmops-monitoring-drift-dataset-'));
  const warranty = ['How long is the warranty?', 'Is limescale covered?', 'How do I descale the kettle?'];
  const billing = [
    'Why does my March invoice show a different amount than the one agreed on the phone with billing?',
    'Who in the billing team can refund the duplicate card charge on my annual plan this week?',
  ];
  const datasetOf = (questions: string[]) =>
    Array.from({ length: 60 }, (_, index) =>
      JSON.stringify({ id: `q${index}`, input: `${questions[index % questions.length]} (${index})` }),
    ).join('\n');
  writeFileSync(join(workspace, 'warranty-qa.jsonl'), `${datasetOf(warranty)}\n`);
  writeFileSync(join(workspace, 'broken.jsonl'), '{"id": "q1", "input": \n');
  writeFileSync(join(folder, 'outside-qa.jsonl'), `${datasetOf(warranty)}\n`);

  beforeEach(async () => {
    // The last hour: billing questions, their text kept (a dataset holds only inputs: text and length are compared).
    await store.append(
      Array.from({ length: 60 }, (_, index) =>
        event({
          requestId: `c${index}`,
          at: now - (index + 1) * 30_000,
          question: `${billing[index % billing.length]} (${index})`,
        }),
      ),
    );
    await start({ withConf: true, cwd: workspace });
  });

  it('compares the traffic with the questions of a dataset file named as the CLI names it', async () => {
    const response = await get('/api/v1/monitoring/drift?reference=warranty-qa.jsonl&since=1h');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'monitoring.drift',
      verdict: 'drift',
      reference: { kind: 'inputs', source: 'warranty-qa.jsonl' },
      current: { events: 60 },
    });
    const features = response.body['features'] as Array<{ name: string; verdict: string }>;
    expect(Object.fromEntries(features.map((feature) => [feature.name, feature.verdict]))).toMatchObject({
      question_length: 'drift',
      question: 'drift',
    });
  });

  it.each([
    [
      'missing-qa.jsonl',
      400,
      'reference "missing-qa.jsonl" is neither a duration (a whole number and s, m, h, d or w, such as 24h) nor an existing dataset file',
    ],
    ['.', 400, 'reference "." is neither a duration'],
    ['broken.jsonl', 400, 'broken.jsonl'],
    ['../outside-qa.jsonl', 403, 'reference dataset ../outside-qa.jsonl is outside the folder files are read from'],
    ['', 400, 'invalid query: query.reference: expected a duration such as 24h, or a dataset file of the workspace'],
  ])('answers reference=%j with %i in the OpenAI error shape', async (reference, status, message) => {
    const response = await get(`/api/v1/monitoring/drift?reference=${encodeURIComponent(reference)}`);
    expect(response.status).toBe(status);
    expect(errorOf(response.body).message).toContain(message);
  });
});

describe('GET /api/v1/monitoring/drift against a dataset of a data root (LLMOPS_DATA_ROOTS)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'llmops-monitoring-drift-workspace-'));
  const dataRoot = mkdtempSync(join(tmpdir(), 'llmops-monitoring-drift-data-root-'));
  const elsewhere = mkdtempSync(join(tmpdir(), 'llmops-monitoring-drift-elsewhere-'));
  const questions = Array.from({ length: 30 }, (_, index) =>
    JSON.stringify({ id: `q${index}`, input: `How long is the warranty of kettle ${index}?` }),
  ).join('\n');
  mkdirSync(join(dataRoot, 'eval'));
  writeFileSync(join(dataRoot, 'eval', 'warranty-qa.jsonl'), `${questions}\n`);
  // A file outside every allowed folder, reached through a link inside the workspace: its content must never show.
  writeFileSync(join(elsewhere, 'private.jsonl'), '{"id": "p1", "input": "private-content-never-echoed"}\n');
  symlinkSync(join(elsewhere, 'private.jsonl'), join(workspace, 'linked-qa.jsonl'));
  symlinkSync(elsewhere, join(dataRoot, 'linked-folder'));

  beforeEach(() => start({ withConf: true, cwd: workspace, dataRoots: [dataRoot] }));

  it('reads a dataset of the data root named by its absolute path', async () => {
    const reference = join(dataRoot, 'eval', 'warranty-qa.jsonl');
    const response = await get(`/api/v1/monitoring/drift?reference=${encodeURIComponent(reference)}&since=1h`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'monitoring.drift',
      reference: { kind: 'inputs', source: reference },
    });
  });

  it.each([
    ['linked-qa.jsonl', 'linked-qa.jsonl'],
    [join(dataRoot, 'linked-folder', 'private.jsonl'), join(dataRoot, 'linked-folder', 'private.jsonl')],
    [join(elsewhere, 'private.jsonl'), join(elsewhere, 'private.jsonl')],
  ])(
    'refuses %s, whose real path is outside the workspace and data roots, naming it and never its content',
    async (reference, named) => {
      const response = await get(`/api/v1/monitoring/drift?reference=${encodeURIComponent(reference)}`);
      expect(response.status).toBe(403);
      const message = errorOf(response.body).message;
      expect(message).toBe(`reference dataset ${named} is outside the workspace and data roots`);
      expect(JSON.stringify(response.body)).not.toContain('private-content');
    },
  );
});

describe('GET /api/v1/monitoring/alerts', () => {
  function alert(id: string, at: number): AlertRecord {
    return {
      id,
      rule: 'drift-rollback',
      severity: 'critical',
      dedupeKey: 'drift-rollback|drift:drift@support-rag',
      at,
      signal: { source: 'drift', name: 'drift', breached: true, value: 0.6, threshold: 0.5, window: null, details: {} },
      model: 'support-rag',
      dryRun: false,
      notifications: [{ channel: 'webhook', target: 'https://hooks.example.com', status: 'sent', attempts: 2 }],
      actions: [{ action: 'rollback', status: 'done', reason: 'champion support-rag/2 failed its gate' }],
      status: 'done',
    };
  }

  beforeEach(async () => {
    await alerts.insert(alert('old', now - 2 * 24 * hour));
    await alerts.insert(alert('recent', now - 2 * hour));
    await alerts.insert(alert('newest', now - minute));
    await start({ withConf: true });
  });

  it('lists the alerts of the window, newest first, with what each notified and did, ', async () => {
    const { status, body } = await get('/api/v1/monitoring/alerts');
    expect(status).toBe(200);
    expect(body).toMatchObject({ object: 'list', since: new Date(now - 24 * hour).toISOString(), limit: 100 });
    expect(body['data']).toEqual([alert('newest', now - minute), alert('recent', now - 2 * hour)]);

    const narrow = await get('/api/v1/monitoring/alerts?since=1h&limit=5');
    expect((narrow.body['data'] as AlertRecord[]).map((record) => record.id)).toEqual(['newest']);
  });

  it('answers 400 naming a bad window or limit', async () => {
    const since = await get('/api/v1/monitoring/alerts?since=yesterday');
    expect(since.status).toBe(400);
    expect(errorOf(since.body).message).toContain('since');
    const limit = await get('/api/v1/monitoring/alerts?limit=0');
    expect(limit.status).toBe(400);
    expect(errorOf(limit.body).message).toContain('limit');
  });
});
