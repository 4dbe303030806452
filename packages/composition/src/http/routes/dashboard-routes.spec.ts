import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ManualClock } from '@llmops/kernel';
import type { EvaluationRunRecord } from '@llmops/evaluation';
import type { AlertRecord, EventQuery, RequestEvent } from '@llmops/monitoring';
import type { ModelInfo, ModelVersion } from '@llmops/registry';
import { createApiServer } from '../api-server.js';
import { dashboardContentSecurityPolicy, dashboardRoutes } from './dashboard-routes.js';
import { kettleEvent } from '../../__fixtures__/kettle-workspace.js';

const now = Date.UTC(2026, 10, 29, 12, 0, 30);
const question = 'Is limescale damage covered by the warranty?';

function event(overrides: Partial<RequestEvent>): RequestEvent {
  return kettleEvent({
    at: now - 90_000,
    requestId: 'r',
    inputTokens: 40,
    outputTokens: 9,
    questionHash: 'f'.repeat(64),
    question,
    ...overrides,
  });
}

const model: ModelInfo = {
  name: 'kettle-help',
  description: '',
  tags: {},
  createdAt: now - 3_600_000,
  latestVersion: 2,
  aliases: { champion: 1, 'previous-champion': 1, challenger: 2 },
};

function version(number: number): ModelVersion {
  return {
    name: 'kettle-help',
    version: number,
    spec: {
      name: 'kettle-help',
      provider: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        baseUrl: 'http://10.0.0.9/v1',
        apiKeyEnv: 'SECRET_KEY_VAR',
      },
      pipeline: { kind: 'chat' },
    } as unknown as ModelVersion['spec'],
    contentHash: 'sha256:x',
    lineage: {},
    evidence: [{ runId: 'run-1', dataset: 'support-qa', verdict: 'passed', metrics: {}, attachedAt: now }],
    createdAt: now - 1_000,
    author: 'ci',
  };
}

const run = {
  id: 'run-1',
  name: 'kettle-help/1 on support-qa',
  status: 'finished',
  startedAt: now - 60_000,
  finishedAt: now - 50_000,
  target: { kind: 'pipeline', name: 'kettle-help/1', modelName: 'kettle-help', modelVersion: '1' },
  dataset: { name: 'support-qa', source: 'confs/data/eval/support-qa.jsonl', hash: 'h', digest: 'd', examples: 3 },
  judge: 'offline-heuristic',
  metrics: ['harmful_rate'],
  summary: { examples: 3, targetErrors: 0, aggregates: {}, harmfulByCategory: {} },
  gates: {
    passed: false,
    verdicts: [
      { metric: 'harmful_rate', statistic: 'mean', operator: '==', threshold: 0 },
      { metric: 'latency', statistic: 'p95', operator: '<=', threshold: 500 },
    ].map((criterion, index) => ({
      ...criterion,
      criterion: index === 0 ? 'harmful_rate.mean == 0' : 'latency.p95 <= 500',
      value: index === 0 ? 0 : 730,
      passed: index === 0,
      reason: 'because',
    })),
  },
  judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
  tags: { 'llmops.reason': 'private note' },
  artifacts: { 'report.html': '/srv/private/report.html' },
} as unknown as EvaluationRunRecord;

function defaultEvents(): RequestEvent[] {
  return [
    event({}),
    event({ at: now - 80_000, latencyMs: 30, costUsd: 0.002 }),
    event({ at: now - 10_000, status: 400, errorCode: 'guardrail_blocked', latencyMs: 2 }),
  ];
}

async function dashboardServer(
  events: (query: EventQuery) => RequestEvent[] = defaultEvents,
  alerts: AlertRecord[] = [],
) {
  const queries: unknown[] = [];
  const server = await createApiServer({
    routes: [
      dashboardRoutes({
        registry: { listModels: async () => [model], listModelVersions: async () => [version(1), version(2)] },
        tracker: { list: async () => [run] },
        events: {
          list: async (query) => {
            queries.push(query);
            return events(query);
          },
        },
        alerts: { list: async () => alerts },
        clock: new ManualClock(now),
      }),
    ],
  });
  return { server, queries };
}

describe('dashboard routes', () => {
  it('serves the page under a Content-Security-Policy without inline scripts, and its files', async () => {
    const { server } = await dashboardServer();
    const page = await server.inject({ method: 'GET', url: '/dashboard' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(dashboardContentSecurityPolicy);
    expect(dashboardContentSecurityPolicy).toContain("script-src 'self';");
    expect(dashboardContentSecurityPolicy).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // Scripts only by src: no inline script, no inline handler, no style attribute.
    expect(page.body).toMatch(/<script src="\/dashboard\/assets\/uplot\.js" defer><\/script>/);
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=|\sstyle=/i);

    const uplot = await server.inject({ method: 'GET', url: '/dashboard/assets/uplot.js' });
    expect(uplot.statusCode).toBe(200);
    expect(uplot.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // The file of the uplot package itself, not a copy.
    const installed = createRequire(__filename).resolve('uplot/dist/uPlot.iife.min.js');
    expect(uplot.body).toBe(readFileSync(installed, 'utf8'));
    for (const name of ['dashboard.js', 'dashboard.css', 'uplot.css']) {
      expect((await server.inject({ method: 'GET', url: `/dashboard/assets/${name}` })).statusCode).toBe(200);
    }
    for (const name of ['..%2Fpackage.json', 'other.js', '%2Fetc%2Fpasswd']) {
      const missing = await server.inject({ method: 'GET', url: `/dashboard/assets/${name}` });
      expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'not_found']);
    }
  });

  it('answers the data of a window: models with aliases, runs with gates, traffic per minute, no secrets or questions', async () => {
    const { server, queries } = await dashboardServer();
    const response = await server.inject({ method: 'GET', url: '/api/v1/dashboard?since=15m' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    // The window, then the drift's current window (the same 15 minutes) and the 15 minutes before it.
    expect(queries).toEqual([
      { since: now - 15 * 60_000, until: now + 1 },
      { since: now - 15 * 60_000, until: now + 1 },
      { since: now - 30 * 60_000, until: now - 15 * 60_000 },
    ]);
    const data = response.json();
    expect(data.window).toEqual({ from: now - 15 * 60_000, to: now, bucketMs: 60_000 });
    expect(data.models).toEqual([
      {
        name: 'kettle-help',
        latestVersion: 2,
        aliases: { champion: 1, 'previous-champion': 1, challenger: 2 },
        versions: [
          expect.objectContaining({ version: 2, aliases: ['challenger'], provider: 'openai/gpt-4o-mini' }),
          expect.objectContaining({
            version: 1,
            aliases: ['champion', 'previous-champion'],
            pipeline: 'chat',
            evidence: [{ runId: 'run-1', dataset: 'support-qa', verdict: 'passed' }],
          }),
        ],
      },
    ]);
    expect(data.evaluations).toEqual([
      expect.objectContaining({
        id: 'run-1',
        target: 'kettle-help/1',
        dataset: 'support-qa',
        examples: 3,
        gate: {
          passed: false,
          verdicts: [
            { criterion: 'harmful_rate.mean == 0', value: 0, passed: true },
            { criterion: 'latency.p95 <= 500', value: 730, passed: false },
          ],
        },
      }),
    ]);
    // 16 one-minute buckets (the window's first minute is partial); the events fall in two of them.
    const series = data.traffic.series as Array<{ at: number; requests: number; errors: number }>;
    expect(series).toHaveLength(16);
    expect(series.filter((bucket) => bucket.requests > 0).map((bucket) => [bucket.requests, bucket.errors])).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(data.traffic.byVersion).toEqual([
      expect.objectContaining({ modelName: 'kettle-help', modelVersion: 1, requests: 3, errors: 1 }),
    ]);
    expect(data.alerts).toEqual([]);
    // Three requests a side: every feature is below its minimum sample, so the verdict is insufficient.
    expect(data.drift).toMatchObject({ verdict: 'insufficient', current: { events: 3 }, reference: { events: 3 } });
    for (const secret of [question, 'SECRET_KEY_VAR', '10.0.0.9', 'private note', '/srv/private'])
      expect(response.body).not.toContain(secret);
  });

  it('says what each alert did: the signal, the runs a re-evaluation started (once each), the rollback, no targets', async () => {
    const evaluation = (alias: string, dataset: string, runId: string) => ({
      alias,
      dataset,
      version: 2,
      runId,
      gatePassed: false,
      failedCriteria: ['contextual_relevancy.mean >= 0.9 (was 0.581)'],
    });
    const alert: AlertRecord = {
      id: 'alert-1',
      rule: 'drift-rollback',
      severity: 'critical',
      dedupeKey: 'drift-rollback|drift:drift@kettle-help',
      at: now - 5_000,
      signal: {
        source: 'drift',
        name: 'drift',
        breached: true,
        value: 1,
        threshold: 0.5,
        window: null,
        model: 'kettle-help',
        details: { verdict: 'drift', testedFeatures: 2, driftedFeatures: [{ name: 'question_length' }] },
      },
      model: 'kettle-help',
      dryRun: false,
      notifications: [{ channel: 'webhook', target: 'https://hooks.example', status: 'sent', attempts: 1 }],
      actions: [
        {
          action: 'reevaluate',
          status: 'done',
          reason: 'champion kettle-help/2 failed its gate',
          result: {
            model: 'kettle-help',
            datasets: ['qa.jsonl', 'manual.jsonl'],
            // Champion and challenger on one version share their run.
            evaluations: [
              evaluation('champion', 'qa.jsonl', 'run-qa'),
              evaluation('challenger', 'qa.jsonl', 'run-qa'),
              evaluation('champion', 'manual.jsonl', 'run-manual'),
            ],
          },
        },
        {
          action: 'rollback',
          status: 'done',
          reason: 'champion kettle-help/2 failed its gate on qa.jsonl',
          result: { model: 'kettle-help', alias: 'champion', fromVersion: 2, toVersion: 1 },
        },
      ],
      status: 'done',
    };
    const { server } = await dashboardServer(defaultEvents, [alert]);
    const response = await server.inject({ method: 'GET', url: '/api/v1/dashboard?since=1h' });
    expect(response.json().alerts).toEqual([
      {
        id: 'alert-1',
        at: now - 5_000,
        rule: 'drift-rollback',
        severity: 'critical',
        model: 'kettle-help',
        signal: {
          source: 'drift',
          name: 'drift',
          value: 1,
          threshold: 0.5,
          details: { verdict: 'drift', testedFeatures: 2, driftedFeatures: [{ name: 'question_length' }] },
        },
        status: 'done',
        dryRun: false,
        actions: [
          {
            action: 'reevaluate',
            status: 'done',
            reason: 'champion kettle-help/2 failed its gate',
            runs: [
              { runId: 'run-qa', dataset: 'qa.jsonl', version: 2, gatePassed: false },
              { runId: 'run-manual', dataset: 'manual.jsonl', version: 2, gatePassed: false },
            ],
            moved: null,
          },
          {
            action: 'rollback',
            status: 'done',
            reason: 'champion kettle-help/2 failed its gate on qa.jsonl',
            runs: [],
            moved: { alias: 'champion', fromVersion: 2, toVersion: 1 },
          },
        ],
      },
    ]);
    expect(response.body).not.toContain('hooks.example');
  });

  it('measures drift over at most the last hour against the hour before, per feature', async () => {
    const hour = 3_600_000;
    // The hour before: 60 short answers; the last hour: 60 answers with five times the input tokens.
    const { server, queries } = await dashboardServer((query) =>
      Array.from({ length: 60 }, (_, index) =>
        query.since === now - 2 * hour
          ? event({ at: now - 2 * hour + index * 60_000, inputTokens: 40 + (index % 10), latencyMs: 10 + (index % 7) })
          : event({ at: now - hour + index * 60_000, inputTokens: 200 + (index % 10), latencyMs: 10 + (index % 7) }),
      ),
    );
    const response = await server.inject({ method: 'GET', url: '/api/v1/dashboard?since=6h' });
    expect(response.statusCode).toBe(200);
    expect(queries.slice(1)).toEqual([
      { since: now - hour, until: now + 1 },
      { since: now - 2 * hour, until: now - hour },
    ]);
    const drift = response.json().drift as {
      verdict: string;
      features: Array<{ name: string; method: string | null; verdict: string }>;
    };
    expect(drift.features.find((feature) => feature.name === 'input_tokens')).toMatchObject({
      method: 'kolmogorov_smirnov',
      verdict: 'drift',
    });
    expect(drift.features.find((feature) => feature.name === 'latency_ms')).toMatchObject({ verdict: 'no_drift' });
    expect(['drift', 'no_drift']).toContain(drift.verdict);
    expect(response.body).not.toContain(question);
  });

  it('measures the drift of each model apart, with its unanswered topics', async () => {
    const hour = 3_600_000;
    // kettle-help: the hour before answered 30 warranty questions; the last hour refused 12 of 12. other-bot: no topic.
    const { server, queries } = await dashboardServer((query) => {
      const before = query.since === now - 2 * hour;
      const at = (index: number) => (before ? now - 2 * hour : now - hour) + index * 60_000;
      const kettle = Array.from({ length: before ? 30 : 12 }, (_, index) =>
        event({ at: at(index), topic: 'warranty.md', refused: !before, citedSources: before ? ['warranty.md'] : [] }),
      );
      const other = Array.from({ length: 5 }, (_, index) => event({ at: at(index), modelName: 'other-bot' }));
      return [...kettle, ...other];
    });
    const response = await server.inject({ method: 'GET', url: '/api/v1/dashboard?since=1h' });
    // The drift windows are read once for the overall drift and every model.
    expect(queries).toHaveLength(3);
    const byModel = response.json().driftByModel as Array<{
      model: { name: string };
      current: { events: number };
      features: Array<{ name: string; referenceSize: number; currentSize: number }>;
      unansweredTopics: { topics: Array<{ topic: string; currentShare: number; referenceShare: number }> };
    }>;
    expect(byModel.map((report) => [report.model.name, report.current.events])).toEqual([
      ['kettle-help', 12],
      ['other-bot', 5],
    ]);
    const [kettle, other] = byModel;
    expect(kettle?.features.find((feature) => feature.name === 'topic')).toMatchObject({
      referenceSize: 30,
      currentSize: 12,
    });
    expect(kettle?.unansweredTopics.topics).toEqual([
      expect.objectContaining({ topic: 'warranty.md', currentShare: 1, referenceShare: 0 }),
    ]);
    expect(other?.unansweredTopics.topics).toEqual([]);
    expect(response.json().drift.unansweredTopics.topics).toHaveLength(1);
  });

  it('measures no drift when the last hour has no request', async () => {
    const { server, queries } = await dashboardServer(() => []);
    const response = await server.inject({ method: 'GET', url: '/api/v1/dashboard?since=1h' });
    expect(response.json().drift).toBeNull();
    expect(response.json().driftByModel).toEqual([]);
    expect(queries).toHaveLength(1);
  });

  it('answers a bad or too long since with 400 in the OpenAI error shape', async () => {
    const { server } = await dashboardServer();
    for (const [query, message] of [
      ['since=soon', /since "soon" is not a duration/],
      ['since=2d', /longer than the dashboard's 24h/],
      ['since=1h&model=x', /invalid query string/],
    ] as const) {
      const response = await server.inject({ method: 'GET', url: `/api/v1/dashboard?${query}` });
      expect(response.statusCode).toBe(400);
      const body = response.json();
      expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_input' });
      expect(body.error.message).toMatch(message);
    }
  });
});
