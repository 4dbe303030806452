import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AlertRecord } from '@llmops/monitoring';
import { runLlmops } from './run-cli.js';

const shippedConfs = resolve(__dirname, '../../../../confs');

/** Runs the built bin and fails the test with its stderr when it does not exit as expected. */
function llmops(workdir: string, args: string[], expectedStatus = 0) {
  const run = runLlmops(args, { cwd: workdir });
  if (run.status !== expectedStatus)
    throw new Error(`llmops ${args.join(' ')} exited with ${run.status}, not ${expectedStatus}: ${run.stderr}`);
  return run;
}

function champion(workdir: string): number {
  return (
    JSON.parse(llmops(workdir, ['--json', 'models', 'show', 'support-rag@champion']).stdout) as { version: number }
  ).version;
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
 * Automated re-indexing over the built bin: a RAG champion promoted through a gate; a help-center article gains a
 * paragraph; the monitor job sees the corpus change, registers the champion's spec over the new corpus as the
 * challenger, evaluates it and asks the registry to promote it. A strict policy refuses (the champion stays), a
 * lenient one allows (the champion moves); with nothing changed, the next run does nothing.
 */
describe('a changed corpus rebuilds a challenger that is promoted only through the gate (built bin)', () => {
  const workdir = mkdtempSync(join(tmpdir(), 'llmops-corpus-rebuild-'));
  cpSync(shippedConfs, join(workdir, 'confs'), { recursive: true });
  const supportLines = readFileSync(join(workdir, 'confs/data/eval/support-qa.jsonl'), 'utf8').trim().split('\n');
  writeFileSync(join(workdir, 'rebuild-qa.jsonl'), `${supportLines.slice(0, 6).join('\n')}\n`);
  // The gate: every criterion of the lenient policy holds for the offline model; the strict one cannot hold.
  writeFileSync(
    join(workdir, 'lenient-policy.yaml'),
    'name: lenient\ndataset: rebuild-qa\ncriteria:\n  - harmful_rate == 0\n' +
      'notWorseThanChampion:\n  - metric: harmful_rate\n    by: 0\n    higherIsBetter: false\n',
  );
  writeFileSync(
    join(workdir, 'strict-policy.yaml'),
    'name: strict\ndataset: rebuild-qa\ncriteria:\n  - answer_rate.mean > 1\n',
  );
  // The shipped rules, with the re-evaluation on the small file and the rebuild rule live and without cool-down.
  const shipped = readFileSync(join(workdir, 'confs/monitoring.yaml'), 'utf8');
  const live = shipped
    .replace(
      / {2}reevaluation:\n(?: {4}.*\n)+/,
      '  reevaluation:\n    dataset: rebuild-qa.jsonl\n    gates: confs/gates.yaml\n',
    )
    .replace(/(actions: \[rebuild\]\n\s+)dryRun: true/, '$1dryRun: false\n      cooldownSeconds: 0');
  expect(live).not.toBe(shipped);
  writeFileSync(join(workdir, 'confs/monitoring.yaml'), live);
  writeFileSync(
    join(workdir, 'monitor.yaml'),
    'job:\n  kind: monitor\n  model: support-rag@champion\n  slo: confs/monitoring.yaml\n  drift: false\n' +
      '  policy: strict-policy.yaml\n  output: reports/monitor.json\n',
  );

  it('registers, evaluates and gates the rebuilt version, and audits each step', () => {
    llmops(workdir, ['run', 'confs/register.yaml']);
    llmops(workdir, ['eval', 'run', '--model', 'support-rag/1', '--dataset', 'rebuild-qa.jsonl']);
    llmops(workdir, ['models', 'promote', 'support-rag', '1', '--policy', 'lenient-policy.yaml']);
    const registered = JSON.parse(llmops(workdir, ['--json', 'models', 'show', 'support-rag/1']).stdout) as {
      lineage: { corpus?: { location: string; contentHash: string } };
    };
    expect(registered.lineage.corpus).toMatchObject({
      location: 'confs/data/kb/',
      contentHash: /^sha256:[0-9a-f]{64}$/,
    });

    // Nothing changed yet: the corpus is the one version 1 was registered over, and no rule fires.
    expect(llmops(workdir, ['run', 'monitor.yaml']).stdout).toMatch(/corpus of support-rag\/1 .*: unchanged/);

    appendFileSync(
      join(workdir, 'confs/data/kb/changing-plans.md'),
      '\n## Pausing a plan\n\nA workspace owner can pause a paid plan for up to three months from Settings > Billing; ' +
        'notes stay readable and nothing is charged while the plan is paused.\n',
    );

    // Strict policy: the challenger is registered and evaluated, the gate refuses it, the champion stays.
    const refused = llmops(workdir, ['run', 'monitor.yaml']);
    expect(refused.stdout).toMatch(/corpus of support-rag\/1 .*: changed/);
    expect(refused.stdout).toMatch(
      /rebuild: done - support-rag\/3 registered over confs\/data\/kb\/ .* from champion support-rag\/1, set as challenger; .*promotion refused: promotion of support-rag\/3 to "champion" refused by policy "strict"/,
    );
    expect(champion(workdir)).toBe(1);
    expect(JSON.parse(llmops(workdir, ['--json', 'models', 'show', 'support-rag@challenger']).stdout)).toMatchObject({
      version: 3,
      lineage: { corpus: { location: 'confs/data/kb/' } },
    });

    // Lenient policy: the same version (registration is idempotent), evaluated again, promoted through the gate.
    const promoted = llmops(workdir, ['run', 'monitor.yaml', '-e', 'job.policy=lenient-policy.yaml']);
    expect(promoted.stdout).toMatch(
      /rebuild: done - support-rag\/3 already registered .*promoted to champion: champion 1 -> 3/,
    );
    expect(champion(workdir)).toBe(3);

    // Nothing changed since version 3 was registered: no alert, nothing registered.
    const quiet = llmops(workdir, ['run', 'monitor.yaml']);
    expect(quiet.stdout).toMatch(/corpus of support-rag\/3 .*: unchanged/);
    expect(quiet.stdout).not.toContain('rebuild:');

    const alerts = JSON.parse(
      llmops(workdir, ['--json', 'monitor', 'alerts', '--since', '1h']).stdout,
    ) as AlertRecord[];
    const rebuilds = alerts.filter((alert) => alert.rule === 'corpus-rebuild').reverse();
    expect(rebuilds).toHaveLength(2);
    expect(rebuilds[0]).toMatchObject({
      status: 'done',
      signal: { source: 'corpus', name: 'corpus_changed', breached: true },
      actions: [
        {
          action: 'rebuild',
          status: 'done',
          result: {
            fromVersion: 1,
            version: 3,
            created: true,
            evaluations: [{ alias: 'challenger', dataset: 'rebuild-qa.jsonl', version: 3 }],
            promotion: { promoted: false, failedCriteria: [expect.stringContaining('answer_rate.mean > 1')] },
          },
        },
      ],
    });
    expect(rebuilds[1]?.actions[0]).toMatchObject({
      action: 'rebuild',
      result: { version: 3, created: false, promotion: { promoted: true } },
    });

    // The registry's audit log: the challenger set by the rebuild, the promotion through the gate.
    const audit = JSON.parse(llmops(workdir, ['--json', 'models', 'audit', 'support-rag']).stdout) as AuditRow[];
    const byMonitoring = audit.filter((row) => row.actor === 'monitoring-alerts');
    expect(byMonitoring).toEqual([
      expect.objectContaining({ alias: 'challenger', fromVersion: 2, toVersion: 3, action: 'set' }),
      expect.objectContaining({ alias: 'champion', fromVersion: 1, toVersion: 3, action: 'promote' }),
      expect.objectContaining({ alias: 'previous-champion', fromVersion: null, toVersion: 1, action: 'promote' }),
    ]);
    expect(byMonitoring[1]?.reason).toContain(`rebuilt over confs/data/kb/ (sha256:`);
  });
});
