import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { defaultMonitoringConfFile, loadMonitoringConf } from './monitoring-conf-file.js';

const workspaceRoot = resolve(__dirname, '../../../../..');

function failureOf(text: string): LlmopsError {
  try {
    loadMonitoringConf('confs/monitoring.yaml', { readFile: () => text });
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the conf to be refused');
}

describe('loadMonitoringConf', () => {
  it('loads the shipped conf: two windows and the five objectives of the product', () => {
    const conf = loadMonitoringConf(resolve(workspaceRoot, defaultMonitoringConfFile));
    expect(conf.windows.map((window) => window.name)).toEqual(['1h', '24h']);
    expect(conf.slos.map((slo) => slo.kind)).toEqual([
      'latency',
      'harmful_output',
      'error_rate',
      'refusal_rate',
      'online_metric',
    ]);
    expect(conf.slos[0]).toEqual({ name: 'latency_p95', kind: 'latency', percentile: 95, thresholdMs: 500 });
  });

  it('names the file, the line and the field of a wrong value', () => {
    const text = readFileSync(resolve(workspaceRoot, defaultMonitoringConfFile), 'utf8').replace(
      'maxRate: 0.01',
      'maxRate: 2',
    );
    const line = text.split('\n').findIndex((candidate) => candidate.includes('maxRate: 2')) + 1;
    const error = failureOf(text);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe(`confs/monitoring.yaml:${line}: slos[2].maxRate: a rate is at most 1`);
  });

  it('names an unknown kind and a malformed window', () => {
    const error = failureOf('windows: [1h, soon]\nslos:\n  - name: x\n    kind: uptime\n');
    expect(error.message).toContain(
      'confs/monitoring.yaml:1: windows[1]: expected a whole number and a unit s, m, h, d or w, for example 1h or 24h',
    );
    expect(error.message).toContain('confs/monitoring.yaml:4: slos[0].kind: ');
  });

  it('loads the shipped alert rules: live notifications on the local log and file, a rehearsed rollback on drift and a rehearsed rebuild on a changed corpus or unanswered topics', () => {
    const alerts = loadMonitoringConf(resolve(workspaceRoot, defaultMonitoringConfFile)).alerts;
    expect(alerts?.dryRun).toBe(false);
    // Both datasets of the promotion policy, the manual's over its own corpus.
    expect(alerts?.reevaluation).toEqual([
      { dataset: 'confs/data/eval/support-qa.jsonl', gates: 'confs/gates.yaml' },
      { dataset: 'confs/data/eval/manual-qa.jsonl', corpus: 'confs/data/manual/', gates: 'confs/gates.yaml' },
    ]);
    expect(alerts?.drift).toEqual({
      current: { text: '1h', ms: 3_600_000 },
      reference: { text: '24h', ms: 86_400_000 },
    });
    expect(alerts?.judge).toBe('offline');
    expect(alerts?.rules.map((rule) => [rule.name, rule.when, rule.actions, rule.dryRun])).toEqual([
      ['latency-breach', 'slo:latency_p95', [], false],
      ['harmful-output', 'slo:harmful_output', [], false],
      ['error-rate-breach', 'slo:error_rate', [], false],
      ['drift', 'drift', [], false],
      ['drift-rollback', 'drift', ['reevaluate', 'rollback'], true],
      ['corpus-rebuild', 'corpus_changed', ['rebuild'], true],
      ['unanswered-topics-rebuild', 'unanswered_topics', ['rebuild'], true],
    ]);
    expect(alerts?.rules[0]?.notify).toEqual([{ kind: 'log' }, { kind: 'file', path: '.llmops/alerts.jsonl' }]);
  });

  it('names the file, the line and the field of a malformed alerts section', () => {
    const shipped = readFileSync(resolve(workspaceRoot, defaultMonitoringConfFile), 'utf8');
    const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

    const channel = shipped.replace('notify: [log]', 'notify: [log, pager]');
    expect(failureOf(channel).message).toBe(
      `confs/monitoring.yaml:${lineOf(channel, 'notify: [log, pager]')}: alerts.rules[4].notify[1]: expected "log", "webhook <http(s) url>" or "file <path>", got "pager"`,
    );

    const objective = shipped.replace('when: slo:error_rate', 'when: slo:error_ratio');
    expect(failureOf(objective).message).toBe(
      `confs/monitoring.yaml:${lineOf(objective, 'slo:error_ratio')}: alerts.rules[2].when: "slo:error_ratio" names no objective of this file (objectives: latency_p95, harmful_output, error_rate, refusal_rate, online_contextual_relevancy)`,
    );

    const window = shipped.replace(
      'drift: { current: 1h, reference: 24h }',
      'drift: { current: 1h, reference: a day }',
    );
    expect(failureOf(window).message).toBe(
      `confs/monitoring.yaml:${lineOf(window, 'reference: a day')}: alerts.drift.reference: expected a whole number and a unit s, m, h, d or w, for example 1h or 24h`,
    );

    const corpus = shipped.replace('corpus: confs/data/manual/', 'corpora: confs/data/manual/');
    expect(failureOf(corpus).message).toContain(
      `confs/monitoring.yaml:${lineOf(corpus, 'corpora:')}: alerts.reevaluation[1].corpora: Unrecognized key: "corpora"`,
    );

    const rollbackAlone = shipped.replace('actions: [reevaluate, rollback]', 'actions: [rollback]');
    expect(failureOf(rollbackAlone).message).toContain(
      `confs/monitoring.yaml:${lineOf(rollbackAlone, 'actions: [rollback]')}: alerts.rules[4].actions: a rollback is only allowed after a re-evaluation`,
    );
  });
});
