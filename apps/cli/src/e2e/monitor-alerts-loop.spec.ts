import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import type { AlertRecord } from '@llmops/monitoring';
import { runLlmops } from './run-cli.js';
import { exited, startServing } from './serving-workspace.js';

const shippedConfs = resolve(__dirname, '../../../../confs');

/** The questions of a shipped dataset, in file order. */
function questionsOf(workdir: string, file: string): string[] {
  return readFileSync(join(workdir, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => String((JSON.parse(line) as { input: string }).input));
}

/** Runs the built bin and fails the test with its stderr when it does not exit as expected. */
function llmops(workdir: string, args: string[], expectedStatus = 0) {
  const run = runLlmops(args, { cwd: workdir });
  if (run.status !== expectedStatus)
    throw new Error(`llmops ${args.join(' ')} exited with ${run.status}, not ${expectedStatus}: ${run.stderr}`);
  return run;
}

interface AuditRow {
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  action: string;
  actor: string;
  reason: string;
}

/**
 * The loop of issue 12, over the built bin and one SQLite file: the shipped models are registered, version 1 is
 * promoted and version 2 force-promoted as champion; the help-center model is asked questions from another topic
 * (the skerry manual) through the official OpenAI client; the monitor job sees the drift against the help
 * center's questions, fires the shipped drift rules, re-evaluates the champion, which fails the shipped gates,
 * and rolls it back to the previous champion. Every step is in the audit log and the alert store.
 */
describe('drift fires an alert that re-evaluates the champion and rolls it back (built bin, shipped confs)', () => {
  const workdir = mkdtempSync(join(tmpdir(), 'llmops-alert-loop-'));
  cpSync(shippedConfs, join(workdir, 'confs'), { recursive: true });
  // A quick re-evaluation: the first 12 help-center questions, against the shipped gates (confs/gates.yaml).
  const supportLines = readFileSync(join(workdir, 'confs/data/eval/support-qa.jsonl'), 'utf8').trim().split('\n');
  writeFileSync(join(workdir, 'reevaluation-qa.jsonl'), `${supportLines.slice(0, 12).join('\n')}\n`);
  // The shipped alert rules, with the re-evaluation pointed at the small file and the rollback made live.
  const shippedMonitoring = readFileSync(join(workdir, 'confs/monitoring.yaml'), 'utf8');
  const liveMonitoring = shippedMonitoring
    .replace(
      / {2}reevaluation:\n(?: {4}.*\n)+/,
      '  reevaluation:\n    dataset: reevaluation-qa.jsonl\n    gates: confs/gates.yaml\n',
    )
    .replace(/(actions: \[reevaluate, rollback\]\n\s+dryRun: )true/, '$1false');
  expect(liveMonitoring).not.toBe(shippedMonitoring);
  writeFileSync(join(workdir, 'confs/monitoring.yaml'), liveMonitoring);
  // Drift of the last hour of the champion's traffic against the help center's own questions.
  writeFileSync(
    join(workdir, 'monitor.yaml'),
    'job:\n  kind: monitor\n  model: support-rag@champion\n  slo: confs/monitoring.yaml\n' +
      '  drift:\n    reference: confs/data/eval/support-qa.jsonl\n    since: 1h\n  output: reports/monitor.json\n',
  );

  it('serves shifted traffic, sees drift, alerts, re-evaluates the champion, rolls it back, and audits each step', async () => {
    llmops(workdir, ['run', 'confs/register.yaml']);
    llmops(workdir, ['models', 'promote', 'support-rag', '1', '--force', '--reason', 'first release']);
    llmops(workdir, ['models', 'promote', 'support-rag', '2', '--force', '--reason', 'hotfix, evaluated later']);

    // Sixty questions about the skerry manual to the help-center champion, question text kept for drift.
    const env = { LLMOPS_MONITORING_QUESTION_TEXT: 'true', LLMOPS_MONITORING_FLUSH_MS: '200' };
    const { child, url } = await startServing(['serve', '--port', '0', '--quiet'], workdir, env);
    const exit = exited(child);
    let answered = 0;
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      for (const question of questionsOf(workdir, 'confs/data/eval/manual-qa.jsonl').slice(0, 60)) {
        const completion = await client.chat.completions
          .create({ model: 'support-rag@champion', messages: [{ role: 'user', content: question }] })
          .catch(() => undefined);
        if (completion) answered += 1;
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    expect(answered).toBeGreaterThanOrEqual(50);

    // A rehearsal first: the alerts are recorded with what they would do, and nothing moves.
    const rehearsal = llmops(workdir, ['run', 'monitor.yaml', '-e', 'job.dryRun=true'], 100);
    expect(rehearsal.stdout).toMatch(/^verdict: drift /m);
    expect(rehearsal.stdout).toContain(
      'rollback: dry_run - would roll support-rag@champion back to previous-champion if the champion fails its gate',
    );
    expect(JSON.parse(llmops(workdir, ['--json', 'models', 'show', 'support-rag@champion']).stdout)).toMatchObject({
      version: 2,
    });
    expect(existsSync(join(workdir, '.llmops/alerts.jsonl'))).toBe(false);

    // The live run: the drift alert notifies, the acting rule re-evaluates and rolls back.
    const live = llmops(workdir, ['run', 'monitor.yaml'], 100);
    expect(live.stdout).toContain('alert drift (warning): drift drift breached');
    expect(live.stdout).toMatch(
      /rollback: done - champion support-rag\/2 failed its gate.*\(support-rag@champion: 2 -> 1\)/,
    );
    expect(live.stderr).toContain('monitor support-rag@champion: ');

    const alerts = JSON.parse(
      llmops(workdir, ['--json', 'monitor', 'alerts', '--since', '1h']).stdout,
    ) as AlertRecord[];
    const byRule = (rule: string, dryRun: boolean) =>
      alerts.filter((alert) => alert.rule === rule && alert.dryRun === dryRun);
    expect(byRule('drift-rollback', true)).toHaveLength(1);
    expect(byRule('drift', true)).toHaveLength(1);
    const [acted] = byRule('drift-rollback', false);
    expect(acted).toMatchObject({
      status: 'done',
      model: 'support-rag',
      signal: { source: 'drift', breached: true, details: { verdict: 'drift' } },
      actions: [
        {
          action: 'reevaluate',
          status: 'done',
          result: {
            datasets: ['reevaluation-qa.jsonl'],
            evaluations: [
              { alias: 'champion', version: 2, gatePassed: false },
              // Both aliases on version 2: one run answers for both.
              { alias: 'challenger', version: 2, gatePassed: false },
            ],
          },
        },
        { action: 'rollback', status: 'done', result: { alias: 'champion', fromVersion: 2, toVersion: 1 } },
      ],
    });
    const runs = acted?.actions[0]?.action === 'reevaluate' ? acted.actions[0].result?.evaluations : [];
    expect(new Set(runs?.map((evaluation) => evaluation.runId)).size).toBe(1);
    const [notified] = byRule('drift', false);
    expect(notified?.notifications).toEqual([
      { channel: 'log', target: 'log', status: 'sent', attempts: 1 },
      { channel: 'file', target: '.llmops/alerts.jsonl', status: 'sent', attempts: 1 },
    ]);
    const fileLines = readFileSync(join(workdir, '.llmops/alerts.jsonl'), 'utf8').trim().split('\n');
    expect(fileLines.map((line) => (JSON.parse(line) as { id: string }).id)).toContain(notified?.id);

    // The registry serves version 1 again, and its audit log tells the whole story.
    expect(JSON.parse(llmops(workdir, ['--json', 'models', 'show', 'support-rag@champion']).stdout)).toMatchObject({
      version: 1,
    });
    const audit = JSON.parse(llmops(workdir, ['--json', 'models', 'audit', 'support-rag']).stdout) as AuditRow[];
    expect(
      audit
        .filter((entry) => entry.alias === 'champion')
        .map((entry) => [entry.action, entry.fromVersion, entry.toVersion, entry.actor === 'monitoring-alerts']),
    ).toEqual([
      ['force-promote', null, 1, false],
      ['force-promote', 1, 2, false],
      ['rollback', 2, 1, true],
    ]);
    expect(audit.find((entry) => entry.action === 'rollback')?.reason).toContain(
      `alert ${acted?.id} (rule drift-rollback): champion support-rag/2 failed its gate`,
    );

    // The job's report holds the alerts as they ended. The new champion (version 1) has served nothing yet: the
    // next run finds no data, no drift, and fires nothing.
    const written = JSON.parse(readFileSync(join(workdir, 'reports/monitor.json'), 'utf8')) as {
      drift: { verdict: string };
      alerts: AlertRecord[];
    };
    expect(written.drift.verdict).toBe('drift');
    expect(written.alerts.map((alert) => alert.id)).toContain(acted?.id);
    const quiet = llmops(workdir, ['run', 'monitor.yaml']);
    expect(quiet.stdout).toContain('no alert fired');
  }, 90_000);
});
