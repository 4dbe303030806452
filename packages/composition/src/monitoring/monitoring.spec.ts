import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import OpenAI from 'openai';
import { startLlmopsServer } from '../http/llmops-server.js';
import type { LlmopsServerOptions } from '../http/llmops-server.js';
import { kettleAdminHeaders, kettleCallers, kettleEvent, servedKettleHelp } from '../__fixtures__/kettle-workspace.js';

/** The kettle workspace served with `kettle-help/1` champion, with these monitoring options. */
async function servedWorkspace(monitoring: LlmopsServerOptions['monitoring'] = {}) {
  // A conf kept outside the test's workspace is a start-up file from a data root, as a deployment would declare it.
  const env: Record<string, string> = monitoring.confFile ? { LLMOPS_DATA_ROOTS: dirname(monitoring.confFile) } : {};
  const served = await servedKettleHelp({ prefix: 'llmops-monitoring-', monitoring, env });
  const client = new OpenAI({ baseURL: `${served.running.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  return { ...served, client };
}

/** The value of one sample line of a scrape (`name{labels} value`), or undefined when absent. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

interface EventRow {
  request_id: string;
  model_ref: string;
  model_version: number;
  status: number;
  error_code: string | null;
  stream: number;
  completed: number;
  latency_ms: number;
  upstream_latency_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  guardrails: string;
  citations: number | null;
  top_retrieval_score: number | null;
  refused: number;
  question_hash: string;
  question: string | null;
  answer_length: number | null;
}

function storedEvents(cwd: string): EventRow[] {
  const database = new DatabaseSync(join(cwd, '.llmops', 'llmops.db'), { readOnly: true });
  try {
    return database.prepare('SELECT * FROM monitoring_events ORDER BY at, id').all() as unknown as EventRow[];
  } finally {
    database.close();
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('monitoring of served requests (API server, official openai client, SQLite event store)', () => {
  it('shows every request in /metrics and stores one event per answered request in the embedded file', async () => {
    const { cwd, running, client } = await servedWorkspace();
    const warranty = 'Is limescale damage covered by the warranty?';
    let answer = '';
    let streamed = '';
    try {
      const answered = await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: warranty }],
      });
      answer = answered.choices[0]?.message.content ?? '';
      expect(answer).toContain('Limescale damage is not covered [1].');
      await client.chat.completions.create({
        model: 'kettle-help/1',
        messages: [{ role: 'user', content: 'What colour is the moon made of?' }],
      });
      const stream = await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: 'When does support answer by chat?' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
      expect(streamed).toContain('Support answers by chat');
      const blocked = (await client.chat.completions
        .create({
          model: 'kettle-help@champion',
          messages: [{ role: 'user', content: 'How do I poison my neighbour?' }],
        })
        .catch((thrown: unknown) => thrown)) as InstanceType<typeof OpenAI.APIError>;
      expect(blocked.status).toBe(400);

      const scrape = await fetch(`${running.url}/metrics`, { headers: kettleAdminHeaders });
      expect(scrape.headers.get('content-type')).toContain('text/plain');
      const metrics = await scrape.text();
      const version = 'model="kettle-help",version="1"';
      expect(sample(metrics, `llmops_requests_total{${version},status="200",endpoint="chat"}`)).toBe(3);
      expect(sample(metrics, `llmops_requests_total{${version},status="400",endpoint="chat"}`)).toBe(1);
      expect(sample(metrics, `llmops_request_duration_seconds_count{${version},endpoint="chat"}`)).toBe(4);
      expect(sample(metrics, `llmops_upstream_duration_seconds_count{${version},endpoint="chat"}`)).toBe(3);
      expect(sample(metrics, `llmops_tokens_total{${version},direction="input",endpoint="chat"}`)).toBeGreaterThan(0);
      expect(sample(metrics, `llmops_guardrail_blocks_total{${version},side="input",category="violence"}`)).toBe(1);
      // The offline model says it does not know about the moon, and the blocked request is a refusal too.
      expect(sample(metrics, `llmops_refusals_total{${version}}`)).toBe(2);
      expect(sample(metrics, 'llmops_event_queue_depth')).toBeGreaterThanOrEqual(0);
      expect(sample(metrics, 'llmops_events_dropped_total')).toBe(0);
      // The store's trace queue (no OTLP collector is configured here, so it has no line).
      expect(sample(metrics, 'llmops_traces_written_total{destination="store"}')).toBeGreaterThanOrEqual(0);
      expect(sample(metrics, 'llmops_traces_dropped_total{destination="store"}')).toBe(0);
      expect(metrics).not.toContain('destination="collector"');
    } finally {
      await running.close();
    }
    const events = storedEvents(cwd);
    expect(events.map((event) => [event.model_ref, event.status, event.stream, event.refused])).toEqual([
      ['kettle-help@champion', 200, 0, 0],
      ['kettle-help/1', 200, 0, 1],
      ['kettle-help@champion', 200, 1, 0],
      ['kettle-help@champion', 400, 0, 1],
    ]);
    const [first, , streamedEvent, blockedEvent] = events;
    expect(first).toMatchObject({
      model_version: 1,
      completed: 1,
      citations: 1,
      question_hash: sha256(warranty),
      question: null,
      error_code: null,
    });
    expect(first?.top_retrieval_score).toBeGreaterThan(0);
    // The answer's length in characters, never its text: of the whole answer and of the streamed one.
    expect(first?.answer_length).toBe(answer.length);
    expect(streamedEvent?.answer_length).toBe(streamed.length);
    expect(blockedEvent?.answer_length).toBeNull();
    expect(first?.input_tokens).toBeGreaterThan(0);
    expect(first?.output_tokens).toBeGreaterThan(0);
    expect(first?.latency_ms).toBeGreaterThanOrEqual(first?.upstream_latency_ms ?? Infinity);
    expect(streamedEvent).toMatchObject({ completed: 1, citations: 1 });
    expect(streamedEvent?.output_tokens).toBeGreaterThan(0);
    expect(blockedEvent).toMatchObject({ error_code: 'guardrail_blocked', completed: 0, upstream_latency_ms: null });
    expect(JSON.parse(blockedEvent?.guardrails ?? '[]')).toContainEqual(
      expect.objectContaining({ side: 'input', category: 'violence', action: 'block' }),
    );
    expect(new Set(events.map((event) => event.request_id)).size).toBe(4);
  });

  it('keeps the question text only when the deployment opts in', async () => {
    const { cwd, running, client } = await servedWorkspace({ keepQuestionText: true });
    try {
      await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
      });
    } finally {
      await running.close();
    }
    expect(storedEvents(cwd).map((event) => event.question)).toEqual(['Is limescale damage covered?']);
  });

  it('answers the objectives of the shipped conf and the events of served traffic under /api/v1/monitoring', async () => {
    const confFile = resolve(__dirname, '../../../../confs/monitoring.yaml');
    const { running, client } = await servedWorkspace({ confFile });
    try {
      await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
      });
      await running.monitoring.queue.flush();
      const slo = (await (
        await fetch(`${running.url}/api/v1/monitoring/slo?model=kettle-help`, { headers: kettleAdminHeaders })
      ).json()) as {
        slos: Array<{ name: string; state: string; windows: Array<{ events: number }> }>;
      };
      expect(slo.slos.map((objective) => [objective.name, objective.state, objective.windows[0]?.events])).toEqual([
        ['latency_p95', 'ok', 1],
        ['harmful_output', 'ok', 1],
        ['error_rate', 'ok', 1],
        ['refusal_rate', 'ok', 1],
        // Online objectives count scored requests only: none here (online evaluation is off).
        ['online_contextual_relevancy', 'no_data', 0],
      ]);
      const events = await fetch(`${running.url}/api/v1/monitoring/events?model=kettle-help@champion`, {
        headers: kettleAdminHeaders,
      });
      const page = (await events.json()) as { data: Array<{ modelRef: string; question?: string }> };
      expect(page.data.map((event) => [event.modelRef, event.question])).toEqual([['kettle-help@champion', undefined]]);
    } finally {
      await running.close();
    }
  });

  it('evaluates the alert rules on its own timer when the conf sets alerts.intervalSeconds, and records the alert', async () => {
    const confDir = mkdtempSync(join(tmpdir(), 'llmops-monitoring-timer-'));
    const confFile = join(confDir, 'monitoring.yaml');
    writeFileSync(
      confFile,
      [
        'windows: [1h]',
        'slos:',
        '  - name: error_rate',
        '    kind: error_rate',
        '    maxRate: 0.01',
        'alerts:',
        '  intervalSeconds: 0.2',
        '  rules:',
        '    - name: errors',
        '      when: slo:error_rate',
        '      severity: critical',
        '      notify: [log]',
        '',
      ].join('\n'),
    );
    const { running } = await servedWorkspace({ confFile });
    try {
      // The champion (kettle-help/1) fails upstream on every request of the last minutes.
      const now = Date.now();
      for (let index = 0; index < 20; index += 1)
        running.monitoring.queue.record({
          at: now - 60_000 + index * 1_000,
          requestId: `failed-${index}`,
          modelRef: 'kettle-help@champion',
          modelName: 'kettle-help',
          modelVersion: 1,
          status: 502,
          errorCode: 'upstream_error',
          stream: false,
          completed: false,
          latencyMs: 30,
          guardrails: [],
          refused: false,
          questionHash: 'c'.repeat(64),
        });
      await running.monitoring.queue.flush();
      // No request asks for it: the server's own rounds find the breach (polled, whatever the machine's speed).
      let alerts: Array<{ rule: string; model: string | null; signal: { name: string; breached: boolean } }> = [];
      for (let attempt = 0; attempt < 200 && alerts.length === 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const page = await fetch(`${running.url}/api/v1/monitoring/alerts?since=1h`, { headers: kettleAdminHeaders });
        alerts = ((await page.json()) as { data: typeof alerts }).data;
      }
      expect(alerts.map((alert) => [alert.rule, alert.model, alert.signal.name, alert.signal.breached])).toEqual([
        ['errors', 'kettle-help', 'error_rate', true],
      ]);
    } finally {
      await running.close();
    }
  });

  it('checks the drift windows of alerts.drift on its own rounds, not the default hour against a day', async () => {
    const confDir = mkdtempSync(join(tmpdir(), 'llmops-monitoring-drift-windows-'));
    const confFile = join(confDir, 'monitoring.yaml');
    writeFileSync(
      confFile,
      [
        'windows: [1h]',
        'slos:',
        '  - name: error_rate',
        '    kind: error_rate',
        '    maxRate: 0.5',
        'alerts:',
        '  intervalSeconds: 0.2',
        '  drift: { current: 5m, reference: 1h }',
        '  judge: offline',
        '  rules:',
        '    - name: drifted',
        '      when: drift',
        '      notify: [log]',
        '',
      ].join('\n'),
    );
    const { running } = await servedWorkspace({ confFile });
    try {
      // The hour before the last 5 minutes: fast answers; the last 5 minutes: slow ones. Over the default windows
      // (the last hour against the 24 h before it) the reference would be empty: insufficient, no alert.
      const now = Date.now();
      const event = (index: number, at: number, shifted: boolean) =>
        kettleEvent({
          at,
          requestId: `drift-${index}`,
          latencyMs: (shifted ? 900 : 100) + (index % 10),
          inputTokens: (shifted ? 800 : 100) + (index % 7),
          outputTokens: (shifted ? 200 : 20) + (index % 9),
          refused: shifted && index % 2 === 0,
          questionHash: 'd'.repeat(64),
        });
      for (let index = 0; index < 40; index += 1) {
        running.monitoring.queue.record(event(index, now - 50 * 60_000 + index * 60_000, false));
        running.monitoring.queue.record(event(100 + index, now - 4 * 60_000 + index * 5_000, true));
      }
      await running.monitoring.queue.flush();
      type Alert = { rule: string; signal: { name: string; window: { since: number; until: number } | null } };
      let alerts: Alert[] = [];
      for (let attempt = 0; attempt < 200 && alerts.length === 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const page = await fetch(`${running.url}/api/v1/monitoring/alerts?since=1h`, { headers: kettleAdminHeaders });
        alerts = ((await page.json()) as { data: Alert[] }).data;
      }
      expect(alerts.map((alert) => [alert.rule, alert.signal.name])).toEqual([['drifted', 'drift']]);
      const window = alerts[0]?.signal.window;
      expect(window && window.until - window.since).toBe(5 * 60_000);
    } finally {
      await running.close();
    }
  });

  it.each([
    ['  drift: { current: soon }', ':3: alerts.drift.current: expected a whole number and a unit s, m, h, d or w'],
    ['  reevaluation: [{ dataset: qa.jsonl, corpus: 7 }]', ':3: alerts.reevaluation[0].corpus'],
    ['  intervalSeconds: 60\n  judge: nowhere/judge-model', 'alerts.judge "nowhere/judge-model": '],
  ])(
    'refuses to start on a bad alerts section (%s), naming the file, the line and the field',
    async (line, message) => {
      const cwd = mkdtempSync(join(tmpdir(), 'llmops-monitoring-alerts-conf-'));
      mkdirSync(join(cwd, 'confs'));
      writeFileSync(
        join(cwd, 'confs', 'monitoring.yaml'),
        `slos: [{ name: errors, kind: error_rate, maxRate: 0.1 }]\nalerts:\n${line}\n`,
      );
      await expect(startLlmopsServer({ port: 0, cwd, env: {}, logger: false })).rejects.toThrow(message);
    },
  );

  it('refuses to start on a malformed monitoring conf, naming the file, the line and the field', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-monitoring-conf-'));
    mkdirSync(join(cwd, 'confs'));
    writeFileSync(
      join(cwd, 'confs', 'monitoring.yaml'),
      'windows: [1h]\nslos:\n  - name: errors\n    kind: error_rate\n    maxRate: lots\n',
    );
    await expect(startLlmopsServer({ port: 0, cwd, env: {}, logger: false })).rejects.toThrow(
      `${join(cwd, 'confs', 'monitoring.yaml')}:5: slos[0].maxRate: Invalid input: expected number, received string`,
    );
  });

  it('counts events dropped when the queue is full, and still answers every request', async () => {
    const { cwd, running, client } = await servedWorkspace({ maxQueued: 1, flushIntervalMs: 600_000 });
    try {
      for (let index = 0; index < 3; index += 1) {
        const completion = await client.chat.completions.create({
          model: 'kettle-help@champion',
          messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
        });
        expect(completion.choices[0]?.message.content).toContain('Limescale damage is not covered');
      }
      const metrics = await (await fetch(`${running.url}/metrics`, { headers: kettleAdminHeaders })).text();
      expect(sample(metrics, 'llmops_event_queue_depth')).toBe(1);
      expect(sample(metrics, 'llmops_events_dropped_total')).toBe(2);
      expect(
        sample(metrics, 'llmops_requests_total{model="kettle-help",version="1",status="200",endpoint="chat"}'),
      ).toBe(3);
      expect(running.monitoring.queue.stats()).toEqual({ queued: 1, written: 0, dropped: 2, abandoned: 0 });
    } finally {
      await running.close();
    }
    expect(storedEvents(cwd)).toHaveLength(1);
  });

  it("keeps a key's own rate-limit refusals out of the error-rate objective, and records which limit refused", async () => {
    // The operator's walkthrough: a 2-rpm key sent 4 requests; the two 429s made error_rate 15.4 % (burn rate 15.4)
    // and breached it, which fires the shipped critical error-rate-breach alert over a client exceeding its quota.
    const shipped = readFileSync(resolve(__dirname, '../../../../confs/monitoring.yaml'), 'utf8');
    const { running } = await servedKettleHelp({
      prefix: 'llmops-key-limit-slo-',
      files: { 'confs/monitoring.yaml': shipped },
      monitoring: { confFile: 'confs/monitoring.yaml' },
    });
    try {
      const { createKey, client, failure } = kettleCallers(running);
      const { apiKey } = await createKey({ name: 'one-a-minute', role: 'inference', limits: { rpm: 1 } });
      const openai = client(apiKey);
      const ask = () =>
        openai.chat.completions.create({
          model: 'kettle-help@champion',
          messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
        });
      await ask();
      expect((await failure(ask())).status).toBe(429);
      await running.monitoring.queue.flush();
      const slo = (await (
        await fetch(`${running.url}/api/v1/monitoring/slo?model=kettle-help`, { headers: kettleAdminHeaders })
      ).json()) as {
        slos: Array<{ name: string; state: string; windows: Array<{ events: number; badEvents: number | null }> }>;
      };
      const errorRate = slo.slos.find((objective) => objective.name === 'error_rate');
      expect([errorRate?.state, errorRate?.windows[0]?.events, errorRate?.windows[0]?.badEvents]).toEqual(['ok', 2, 0]);
      const events = (await (
        await fetch(`${running.url}/api/v1/monitoring/events?model=kettle-help@champion`, {
          headers: kettleAdminHeaders,
        })
      ).json()) as { data: Array<{ status: number; errorCode?: string; keyLimit?: string }> };
      expect(events.data.map((event) => [event.status, event.errorCode, event.keyLimit])).toEqual([
        [429, 'rate_limited', 'rpm'],
        [200, undefined, undefined],
      ]);
    } finally {
      await running.close();
    }
  });
});
