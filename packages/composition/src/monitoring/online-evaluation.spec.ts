import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import OpenAI from 'openai';
import { createJudge } from '@llmops/evaluation';
import type { OnlineEvaluator } from '@llmops/monitoring';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import { startLlmopsServer } from '../http/llmops-server.js';
import type { LlmopsServerOptions, RunningLlmopsServer } from '../http/llmops-server.js';
import { kettleAdminHeaders, servedKettleHelp } from '../__fixtures__/kettle-workspace.js';
import { createOnlineEvaluator } from './online-evaluator.js';

const objectives = `windows: [1h]
slos:
  - name: online_contextual_relevancy
    kind: online_metric
    metric: contextual_relevancy
    min: 0.9
`;

/** The kettle workspace served with `kettle-help/1` champion and a monitoring conf with this online section. */
async function servedWorkspace(onlineSection: string, monitoring: LlmopsServerOptions['monitoring'] = {}) {
  const served = await servedKettleHelp({
    prefix: 'llmops-online-',
    monitoring,
    files: { 'confs/monitoring.yaml': `${objectives}${onlineSection}` },
  });
  const client = new OpenAI({ baseURL: `${served.running.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  return { ...served, client };
}

const onlineSection = (settings: string) =>
  `onlineEvaluation:\n  metrics: [contextual_relevancy, faithfulness, answer_relevancy]\n  judge: offline\n${settings}`;

const questions = [
  'Is limescale damage covered by the warranty?',
  'When does support answer by chat?',
  'How long is the warranty on the heating element?',
];

interface ScoreRow {
  request_id: string;
  event_at: number;
  metric: string;
  score: number;
  judge: string;
}

function read<Row>(cwd: string, sql: string): Row[] {
  const database = new DatabaseSync(join(cwd, '.llmops', 'llmops.db'), { readOnly: true });
  try {
    return database.prepare(sql).all() as unknown as Row[];
  } finally {
    database.close();
  }
}

/** The value of one sample line of a scrape (`name{labels} value`), or undefined when absent. */
function metricSample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

interface SloBody {
  slos: Array<{ name: string; state: string; windows: Array<{ events: number; value: number | null }> }>;
}

async function onlineObjective(running: RunningLlmopsServer) {
  const body = (await (
    await fetch(`${running.url}/api/v1/monitoring/slo?model=kettle-help`, { headers: kettleAdminHeaders })
  ).json()) as SloBody;
  return body.slos.find((slo) => slo.name === 'online_contextual_relevancy');
}

async function ask(client: OpenAI, question: string, stream = false): Promise<string> {
  if (!stream) {
    const completion = await client.chat.completions.create({
      model: 'kettle-help@champion',
      messages: [{ role: 'user', content: question }],
    });
    return completion.choices[0]?.message.content ?? '';
  }
  const chunks = await client.chat.completions.create({
    model: 'kettle-help@champion',
    messages: [{ role: 'user', content: question }],
    stream: true,
  });
  let text = '';
  for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('online evaluation of served traffic (API server, official openai client, offline judge, SQLite)', () => {
  it('at sampleRate 1 scores every answer (streams too) into monitoring_scores; the SLO and /metrics get the scores', async () => {
    const { cwd, running, client } = await servedWorkspace(onlineSection('  sampleRate: 1\n'));
    try {
      expect(await ask(client, questions[0] as string)).toContain('Limescale damage is not covered');
      await ask(client, questions[1] as string);
      expect(await ask(client, questions[2] as string, true)).toContain('two-year warranty');
      await running.monitoring.online?.idle();
      await running.monitoring.queue.flush();
      const events = read<{ request_id: string; at: number; question: string | null }>(
        cwd,
        'SELECT request_id, at, question FROM monitoring_events ORDER BY at, id',
      );
      expect(events).toHaveLength(3);
      // Scoring used the question and the passages in memory; nothing of them is stored (no opt-in here).
      expect(events.every((event) => event.question === null)).toBe(true);
      const scores = read<ScoreRow>(cwd, 'SELECT request_id, event_at, metric, score, judge FROM monitoring_scores');
      for (const event of events) {
        const own = scores.filter((score) => score.request_id === event.request_id && score.event_at === event.at);
        expect(own.map((score) => score.metric).sort()).toEqual([
          'answer_relevancy',
          'contextual_relevancy',
          'faithfulness',
        ]);
        for (const score of own) {
          expect(score.score).toBeGreaterThanOrEqual(0);
          expect(score.score).toBeLessThanOrEqual(1);
          expect(score.judge).toBe('offline-heuristic');
        }
      }
      const relevancy = scores.filter((score) => score.metric === 'contextual_relevancy').map((score) => score.score);
      const mean = relevancy.reduce((sum, score) => sum + score, 0) / relevancy.length;
      const objective = await onlineObjective(running);
      expect(objective?.state).not.toBe('no_data');
      expect(objective?.windows[0]?.events).toBe(3);
      expect(objective?.windows[0]?.value).toBeCloseTo(mean, 12);
      expect(objective?.state).toBe(mean >= 0.9 ? 'ok' : 'breached');
      // The events API returns the scores on their events.
      const page = (await (
        await fetch(`${running.url}/api/v1/monitoring/events?model=kettle-help`, {
          headers: kettleAdminHeaders,
        })
      ).json()) as { data: Array<{ scores?: Record<string, number> }> };
      expect(page.data.map((event) => Object.keys(event.scores ?? {}).length)).toEqual([3, 3, 3]);
      const metrics = await (await fetch(`${running.url}/metrics`, { headers: kettleAdminHeaders })).text();
      const labels = 'model="kettle-help",version="1"';
      expect(metricSample(metrics, `llmops_online_evaluations_total{${labels},outcome="scored"}`)).toBe(3);
      expect(metricSample(metrics, `llmops_online_score_count{${labels},metric="contextual_relevancy"}`)).toBe(3);
      expect(metricSample(metrics, `llmops_online_score_sum{${labels},metric="contextual_relevancy"}`)).toBeCloseTo(
        mean * 3,
        9,
      );
    } finally {
      await running.close();
    }
  });

  it('at sampleRate 0 scores nothing, and the objective stays without data', async () => {
    const { cwd, running, client } = await servedWorkspace(onlineSection('  sampleRate: 0\n'));
    try {
      for (const question of questions) await ask(client, question);
      await running.monitoring.online?.idle();
      await running.monitoring.queue.flush();
      expect(running.monitoring.online?.stats()).toMatchObject({ accepted: 0, scored: 0 });
      expect(read(cwd, 'SELECT * FROM monitoring_scores')).toEqual([]);
      expect(read(cwd, 'SELECT * FROM monitoring_events')).toHaveLength(3);
      expect((await onlineObjective(running))?.state).toBe('no_data');
    } finally {
      await running.close();
    }
  });

  it('answers a request before a slow evaluator finishes scoring it (ordering, not timing)', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const slow: OnlineEvaluator = {
      evaluate: async () => {
        order.push('scoring started');
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        order.push('scoring finished');
        return { scores: { contextual_relevancy: 0.5 }, judge: 'slow-judge', judgeKind: 'llm' };
      },
    };
    const { cwd, running, client } = await servedWorkspace(onlineSection('  sampleRate: 1\n'), {
      onlineEvaluator: slow,
    });
    try {
      const answer = await ask(client, questions[0] as string);
      order.push('answered');
      expect(answer).toContain('Limescale damage is not covered');
      // The sample was taken, and its scoring has not ended while the client already holds its answer.
      expect(running.monitoring.online?.stats()).toMatchObject({ accepted: 1, scored: 0 });
      expect(order).not.toContain('scoring finished');
      // Let scoring start if it has not yet, then release it.
      while (!order.includes('scoring started')) await new Promise((resolve) => setTimeout(resolve, 5));
      release();
      await running.monitoring.online?.idle();
      expect(order.indexOf('answered')).toBeLessThan(order.indexOf('scoring finished'));
      expect(read<ScoreRow>(cwd, 'SELECT metric, score, judge FROM monitoring_scores')).toEqual([
        { metric: 'contextual_relevancy', score: 0.5, judge: 'slow-judge' },
      ]);
    } finally {
      await running.close();
    }
  });

  it('drops samples past the per-minute budget, counts them in /metrics, and answers every request', async () => {
    const { cwd, running, client } = await servedWorkspace(onlineSection('  sampleRate: 1\n  maxPerMinute: 2\n'));
    try {
      for (let index = 0; index < 5; index += 1)
        expect(await ask(client, questions[index % questions.length] as string)).not.toBe('');
      await running.monitoring.online?.idle();
      expect(running.monitoring.online?.stats()).toMatchObject({ accepted: 2, scored: 2, dropped: { budget: 3 } });
      const metrics = await (await fetch(`${running.url}/metrics`, { headers: kettleAdminHeaders })).text();
      const labels = 'model="kettle-help",version="1"';
      expect(metricSample(metrics, `llmops_online_evaluations_total{${labels},outcome="scored"}`)).toBe(2);
      expect(metricSample(metrics, `llmops_online_evaluations_total{${labels},outcome="dropped_budget"}`)).toBe(3);
      const scored = read<{ n: number }>(cwd, 'SELECT COUNT(DISTINCT request_id) AS n FROM monitoring_scores');
      expect(scored[0]?.n).toBe(2);
    } finally {
      await running.close();
    }
  });

  it('refuses to start on an online metric that needs ground truth, naming the file, the line and the field', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-online-conf-'));
    mkdirSync(join(cwd, 'confs'));
    const file = join(cwd, 'confs', 'monitoring.yaml');
    writeFileSync(
      file,
      `${objectives}onlineEvaluation:\n  sampleRate: 0.1\n  metrics:\n    - contextual_relevancy\n    - exact_match\n`,
    );
    await expect(startLlmopsServer({ port: 0, cwd, env: {}, logger: false })).rejects.toThrow(
      `${file}:11: onlineEvaluation.metrics[1]: "exact_match" cannot be scored online (choose from: contextual_relevancy, faithfulness, answer_relevancy)`,
    );
  });
});

describe('online evaluation with an LLM judge (a local OpenAI-compatible server)', () => {
  it("scores a served answer through the judge's chat completions and stores the score under the judge's name", async () => {
    const wire = await startOpenAiWireServer();
    const judgeUsage = { prompt_tokens: 80, completion_tokens: 20, total_tokens: 100 };
    // DeepEval's contextual relevancy: the judge breaks the passage into statements, then gives a verdict on each.
    wire.reply(
      '/v1/chat/completions',
      completionReply(
        '{"statements":["All kettles carry a two-year warranty on the heating element.","Limescale damage is not covered."]}',
        judgeUsage,
      ),
      completionReply(
        '{"verdicts":[{"verdict":"no","reason":"about the heating element"},{"verdict":"yes","reason":"says limescale is not covered"}]}',
        judgeUsage,
      ),
    );
    const judge = createJudge({ provider: 'openai', model: 'judge-model', baseUrl: wire.baseUrl });
    const { running, cwd, client } = await servedWorkspace(onlineSection('  sampleRate: 1\n'), {
      onlineEvaluator: createOnlineEvaluator({ judge, metrics: ['contextual_relevancy'] }),
    });
    try {
      await ask(client, questions[0] as string);
      await running.monitoring.online?.idle();
      const scores = read<ScoreRow>(cwd, 'SELECT request_id, event_at, metric, score, judge FROM monitoring_scores');
      expect(scores.map((score) => [score.metric, score.score, score.judge])).toEqual([
        ['contextual_relevancy', 0.5, 'openai/judge-model'],
      ]);
      const asked = wire.requestsTo('/v1/chat/completions').map((request) => JSON.stringify(request.body));
      expect(asked).toHaveLength(2);
      expect(asked[0]).toContain('All kettles carry a two-year warranty on the heating element. Limescale damage');
      expect(asked[1]).toContain('Is limescale damage covered by the warranty?');
      expect(running.monitoring.online?.stats()).toMatchObject({ scored: 1, failed: 0 });
    } finally {
      await running.close();
      await wire.close();
    }
  });
});
