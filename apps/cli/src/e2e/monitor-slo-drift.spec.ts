import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@llmops/monitoring';
import type { RequestEvent } from '@llmops/monitoring';
import { runLlmops } from './run-cli.js';
import { registeredWorkspace } from './serving-workspace.js';

const minute = 60_000;
const hour = 60 * minute;
const kettleQuestions = ['Is limescale damage covered?', 'How long is the warranty?', 'How do I descale it?'];
const billingQuestions = [
  'Why does my March invoice show a different amount than the one I agreed to on the phone with billing?',
  'Who in the billing team can refund the duplicate card charge on my annual plan before Friday?',
];

function event(at: number, index: number, overrides: Partial<RequestEvent>): RequestEvent {
  return {
    at,
    requestId: `e2e-${at}-${index}`,
    modelRef: 'kettle-help@champion',
    modelName: 'kettle-help',
    modelVersion: 1,
    status: 200,
    stream: false,
    completed: true,
    latencyMs: 90 + (index % 30),
    upstreamLatencyMs: 20,
    inputTokens: 380 + (index % 40),
    outputTokens: 40 + (index % 20),
    guardrails: [],
    citations: 1,
    topRetrievalScore: 0.6 + (index % 20) / 100,
    refused: false,
    questionHash: 'e'.repeat(64),
    question: kettleQuestions[index % kettleQuestions.length] as string,
    ...overrides,
  };
}

/** A day of kettle questions before the last hour, then an hour of slow billing questions, 10 % over 500 ms. */
async function storeShiftedTraffic(workdir: string): Promise<void> {
  const now = Date.now();
  const store = new SqliteEventStore({ path: join(workdir, '.llmops', 'llmops.db') });
  try {
    await store.append(
      Array.from({ length: 200 }, (_, index) => event(now - 2 * hour - index * 6 * minute, index, {})),
    );
    await store.append(
      Array.from({ length: 100 }, (_, index) =>
        event(now - 50 * minute + index * 20_000, index, {
          latencyMs: index % 10 === 0 ? 900 : 300 + (index % 50),
          inputTokens: 900 + (index % 40),
          topRetrievalScore: 0.25 + (index % 20) / 100,
          refused: index % 4 === 0,
          question: billingQuestions[index % billingQuestions.length] as string,
        }),
      ),
    );
  } finally {
    store.close();
  }
}

describe('llmops monitor slo / drift and kind: monitor (built bin, real SQLite events)', () => {
  const workdir = registeredWorkspace();
  mkdirSync(join(workdir, 'confs'), { recursive: true });
  copyFileSync(resolve(__dirname, '../../../../confs/monitoring.yaml'), join(workdir, 'confs', 'monitoring.yaml'));
  writeFileSync(
    join(workdir, 'kettle-qa.jsonl'),
    kettleQuestions
      .flatMap((question, index) =>
        Array.from({ length: 20 }, (_, copy) => ({ id: `q${index}-${copy}`, input: question })),
      )
      .map((example) => JSON.stringify(example))
      .join('\n') + '\n',
  );
  writeFileSync(
    join(workdir, 'monitor.yaml'),
    'job:\n  kind: monitor\n  model: kettle-help@champion\n  drift:\n    reference: 24h\n    since: 1h\n  output: reports/monitor.json\n',
  );

  beforeAll(() => storeShiftedTraffic(workdir));

  it('prints each objective per window with burn rates, and the breach of p95 latency', () => {
    const text = runLlmops(['monitor', 'slo', '--model', 'kettle-help@champion'], { cwd: workdir });
    expect([text.status, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toMatch(/^latency_p95 +p95 latency <= 500 ms +1h +100 +10 +10% +5% +2 +/m);
    expect(text.stdout).toContain('breached: latency_p95');
    expect(text.stdout).toMatch(
      /online_contextual_relevancy .*no_data: no event in the window carries an online contextual_relevancy/,
    );

    const json = runLlmops(['--json', 'monitor', 'slo'], { cwd: workdir });
    const report = JSON.parse(json.stdout) as {
      breached: string[];
      slos: Array<{ name: string; windows: Array<{ events: number; burnRate: number | null }> }>;
    };
    expect(report.breached).toEqual(['latency_p95']);
    // 24h: 10 slow of 300 → 3.33 % of 5 % → burn rate 0.667.
    expect(report.slos[0]?.windows.map((window) => [window.events, window.burnRate?.toFixed(3)])).toEqual([
      [100, '2.000'],
      [300, '0.667'],
    ]);
  });

  it('finds drift against the baseline window and against the questions of a dataset', () => {
    const text = runLlmops(['monitor', 'drift', '--reference', '24h', '--since', '1h'], { cwd: workdir });
    expect([text.status, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toMatch(/^latency_ms +numeric +kolmogorov_smirnov +200 +100 .* drift$/m);
    expect(text.stdout).toContain(
      'skipped cache_status: no event holds a cache status (no version with the response cache on was served)',
    );
    expect(text.stdout).toMatch(/^verdict: drift \(/m);

    const dataset = runLlmops(
      ['--json', 'monitor', 'drift', '--reference', 'kettle-qa.jsonl', '--model', 'kettle-help'],
      {
        cwd: workdir,
      },
    );
    expect(dataset.status).toBe(0);
    const report = JSON.parse(dataset.stdout) as {
      verdict: string;
      reference: unknown;
      features: Array<{ name: string; verdict: string }>;
    };
    expect(report.reference).toEqual({ kind: 'inputs', source: 'kettle-qa.jsonl', inputs: 60 });
    expect(report.features.map((feature) => [feature.name, feature.verdict])).toEqual([
      ['question_length', 'drift'],
      ['question', 'drift'],
    ]);
  });

  it('exits 2 naming a bad reference, a bad window or an unknown model', () => {
    const missing = runLlmops(['monitor', 'drift', '--reference', 'nowhere.jsonl'], { cwd: workdir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      '--reference "nowhere.jsonl" is neither a duration (a whole number and s, m, h, d or w, such as 24h) nor an existing dataset file',
    );
    const since = runLlmops(['monitor', 'drift', '--reference', '24h', '--since', 'today'], { cwd: workdir });
    expect(since.status).toBe(2);
    expect(since.stderr).toContain('--since "today" is not a duration');
    const model = runLlmops(['monitor', 'slo', '--model', 'kettle-help@canary'], { cwd: workdir });
    expect(model.status).toBe(2);
    expect(model.stderr).toContain('canary');
  });

  it('runs kind: monitor: exit 100 on a breach or drift with the JSON report written, 0 when both are waived', () => {
    const failed = runLlmops(['run', 'monitor.yaml'], { cwd: workdir });
    expect(failed.status).toBe(100);
    expect(failed.stderr).toContain('monitor kettle-help@champion: objectives breached: latency_p95; drift: ');
    const written = JSON.parse(readFileSync(join(workdir, 'reports', 'monitor.json'), 'utf8')) as {
      model: string;
      slo: { breached: string[] };
      drift: { verdict: string };
    };
    expect(written).toMatchObject({
      model: 'kettle-help@champion',
      slo: { breached: ['latency_p95'] },
      drift: { verdict: 'drift' },
    });

    const waived = runLlmops(['run', 'monitor.yaml', '-e', 'job.failOn.breach=false', '-e', 'job.failOn.drift=false'], {
      cwd: workdir,
    });
    // The shipped drift rules fired on the first run; within their cool-down the second fires nothing.
    expect(failed.stdout).toContain('alert drift (warning): drift drift breached');
    // The objectives, drift and alerts are printed above the job's summary, the last line of stdout, which names the
    // objective breached even when the breach is waived.
    expect([waived.status, waived.stdout.trimEnd().split('\n').at(-1)]).toEqual([
      0,
      'monitor: kettle-help@champion: 5 objectives, latency_p95 breached; drift drift; corpus unchanged; 0 alerts',
    ]);
  });

  it('exits 2 on a malformed monitoring conf, naming the file, the line and the field', () => {
    writeFileSync(
      join(workdir, 'broken.yaml'),
      'windows: [1h]\nslos:\n  - name: latency\n    kind: latency\n    thresholdMs: -5\n',
    );
    const run = runLlmops(['run', 'monitor.yaml', '-e', 'job.slo=broken.yaml'], { cwd: workdir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('broken.yaml:5: slos[0].thresholdMs: Too small: expected number to be >0');
  });
});
