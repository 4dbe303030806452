import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pValue, significant } from '../quickstart/human-numbers.js';
import { runLlmops, runLlmopsAsync } from './run-cli.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

interface StepResult {
  kind: string;
  summary: string;
  data?: unknown;
}

interface Exchange {
  ask: string;
  model: string;
  stream: boolean;
  outcome: string;
  text: string;
  cache: string | null;
}

interface ActionOutcome {
  action: string;
  status: string;
  result?: { alias?: string; fromVersion?: number; toVersion?: number; evaluations?: Array<{ gatePassed: boolean }> };
}

/**
 * The quickstart (`npm run quickstart` = build + `llmops run confs/pipeline.yaml`) on a fresh copy of the shipped confs:
 * every step of the loop is asserted from the pipeline's JSON result (what each job did), the human story from its
 * report lines, and the workspace it leaves from the registry. Its duration is measured in tools/bench, not here.
 */
describe('the quickstart: the whole loop in one command (built bin, shipped confs)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-quickstart-'));
  cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
  let run: { status: number | null; stdout: string; stderr: string };
  let steps: StepResult[];
  const step = (kind: string, index = 0) => steps.filter((result) => result.kind === kind)[index] as StepResult;

  beforeAll(async () => {
    // With --json the result (every job's data) is the JSON on stdout, and the story goes to stderr.
    run = await runLlmopsAsync(['--json', 'run', 'confs/pipeline.yaml'], { cwd, timeoutMs: 280_000 });
    if (run.status !== 0) throw new Error(`the quickstart exited with ${run.status}: ${run.stderr.slice(-3000)}`);
    steps = (JSON.parse(run.stdout) as { data: StepResult[] }).data;
  }, 300_000);

  it('runs every step in order and ends with 0', () => {
    expect(steps.map((result) => result.kind)).toEqual([
      'doctor',
      'register',
      'register',
      'promote',
      'evaluate',
      'evaluate',
      'evaluate',
      'evaluate',
      'compare',
      'traffic',
      'monitor',
      'traffic',
      'monitor',
      'summary',
    ]);
  });

  it('evaluates both versions on both datasets, and promotes the challenger, which wins on the deciding gated metrics', () => {
    const runs = steps
      .filter((result) => result.kind === 'evaluate')
      .map((result) => (result.data as { run: { target: { name: string }; dataset: { name: string } } }).run);
    expect(runs.map((record) => `${record.target.name} on ${record.dataset.name}`)).toEqual([
      'support-rag/1 on support-qa',
      'support-rag/1 on manual-qa',
      'support-rag/2 on support-qa',
      'support-rag/2 on manual-qa',
    ]);
    expect(step('compare').data).toMatchObject({
      champion: 1,
      challenger: 2,
      promoted: true,
      verdict: { wins: true, improved: expect.arrayContaining([expect.objectContaining({ dataset: 'manual-qa' })]) },
    });
    // The comparison is shown with its intervals, and where the winner is worse is said plainly.
    expect(run.stderr).toMatch(/contextual_relevancy {2}0\.11 +0\.58 +\+0\.48 +\+0\.\d\d to \+0\.\d\d +better/);
    expect(run.stderr).toContain('where support-rag/2 is worse on another metric: ');
    expect(run.stderr).toMatch(/recall_at_k on support-qa −0\.03 \(not gated, beyond its 95 % interval\)/);
    expect(run.stderr).toContain('promoted support-rag/2 to champion (was v1)');
  });

  it('serves and answers plain and streamed, from the cache, blocks the harmful prompt with its refusal, and the agent answers', () => {
    const { exchanges } = step('traffic').data as { exchanges: Exchange[] };
    expect(exchanges.map((exchange) => [exchange.model, exchange.stream, exchange.outcome, exchange.cache])).toEqual([
      ['support-rag@champion', false, 'answered', 'miss'],
      ['support-rag@champion', true, 'answered', 'miss'],
      ['support-rag@champion', false, 'answered', 'hit'],
      ['support-rag@champion', false, 'blocked', null],
      ['support-agent', false, 'answered', 'miss'],
    ]);
    expect(exchanges[0]?.text).toContain('$8 per user per month');
    expect(exchanges[4]?.text).toMatch(/password reset link/i);
    // The refusal is the server's own message, whole.
    expect(exchanges[3]?.text).toMatch(
      /^the request was blocked by guardrail policy "default": the input check "\w+" found \w+/,
    );
    expect(run.stderr).toContain(`-> blocked (HTTP 400), the refusal: ${exchanges[3]?.text} (`);
  });

  it('summarises monitoring, sees the simulated drift, alerts, re-evaluates the champion and rolls it back', () => {
    // Which objectives breach depends on the machine's load (latency); the summary names them either way.
    expect(step('monitor', 0).summary).toMatch(
      /^support-rag@champion: 4 objectives, [a-z_, ]+ breached; drift not checked$/,
    );
    const drifted = step('traffic', 1).data as { exchanges: Exchange[] };
    expect(drifted.exchanges).toHaveLength(60);
    const monitor = step('monitor', 1).data as {
      drift: { verdict: string };
      alerts: Array<{ rule: string; dryRun: boolean; actions: ActionOutcome[] }>;
    };
    expect(monitor.drift.verdict).toBe('drift');
    const acting = monitor.alerts.find((alert) => alert.rule === 'drift-rollback');
    expect(acting?.dryRun).toBe(false);
    const [reevaluate, rollback] = acting?.actions ?? [];
    expect(reevaluate).toMatchObject({ action: 'reevaluate', status: 'done' });
    expect(reevaluate?.result?.evaluations?.some((evaluation) => !evaluation.gatePassed)).toBe(true);
    expect(rollback).toMatchObject({
      action: 'rollback',
      status: 'done',
      result: { alias: 'champion', fromVersion: 2, toVersion: 1 },
    });
  });

  it('prints the drift table with rounded statistics and p-values, while the JSON keeps them whole', () => {
    const start = run.stderr.indexOf('\ndrift of ');
    const table = run.stderr.slice(start, run.stderr.indexOf('\nverdict: drift', start));
    expect(table).toMatch(/STATISTIC +P-VALUE +THRESHOLD/);
    const { drift } = step('monitor', 1).data as {
      drift: { features: Array<{ name: string; statistic: number; pValue: number | null }> };
    };
    expect(drift.features.map((feature) => feature.name)).toEqual(['question_length', 'question']);
    // Each feature's row shows its JSON statistic and p-value rounded; the JSON itself keeps every digit.
    for (const feature of drift.features) {
      const row = table.split('\n').find((line) => line.startsWith(`${feature.name} `));
      expect(row).toContain(`  ${significant(feature.statistic)}  `);
      expect(row).toContain(feature.pValue === null ? '  -  ' : `  ${pValue(feature.pValue)}  `);
    }
    expect(table).not.toMatch(/\d\.\d{4}|\de-\d/);
  });

  it('ends with a summary box with rounded numbers and links, and leaves a workspace llmops can serve', () => {
    const box = run.stderr.slice(run.stderr.indexOf('┌─ quickstart'));
    expect(box).toContain('champion now        support-rag/1');
    expect(box).toMatch(/rolled back[\s│]+champion v2 -> v1/);
    expect(box).toContain('http://127.0.0.1:8080/dashboard');
    // The console, with the command that serves it (no key needed from this machine).
    expect(box).toContain('llmops ui --port 8081      (the console, no key needed locally)');
    expect(box).toContain('console    http://127.0.0.1:8081/ui');
    expect(box).not.toMatch(/\d\.\d{3,}/);
    for (const report of box.matchAll(/\.llmops\/artifacts\/evaluations\/[0-9a-f]{32}\/report\.html/g))
      expect(existsSync(join(cwd, report[0]))).toBe(true);
    // The offline judge's work is judgements, not model calls.
    expect(run.stderr).toMatch(/offline judge: \d+ judgements, \d+ cached/);
    expect(run.stderr).not.toMatch(/judge offline-heuristic: \d+ calls/);
    // The registry is left as the loop ended: version 1 is the champion, for `llmops serve` to serve.
    const champion = runLlmops(['--json', 'models', 'show', 'support-rag@champion'], { cwd });
    expect(JSON.parse(champion.stdout)).toMatchObject({ version: 1 });
  });
});
