import { safeParseWithSchema } from '@llmops/kernel';
import { alertsConfigSchema, dedupeKeyOf, ruleMatches } from './alerts-config.js';
import type { AlertSignal } from './alert-signal.js';

function signal(source: AlertSignal['source'], name: string, model?: string): AlertSignal {
  return {
    source,
    name,
    breached: true,
    value: 1,
    threshold: 0,
    window: null,
    details: {},
    ...(model ? { model } : {}),
  };
}

describe('the alerts: section', () => {
  it('parses notify channels written as "log", "webhook <url>" and "file <path>", with defaults for the rest', () => {
    const config = alertsConfigSchema.parse({
      reevaluation: { dataset: 'confs/data/eval/support-qa.jsonl', gates: 'confs/gates.yaml' },
      rules: [
        {
          name: 'latency',
          when: 'slo:latency_p95',
          notify: ['log', 'webhook https://hooks.example.com/T0/abc?token=x', 'file .llmops/alerts.jsonl'],
          actions: ['reevaluate', 'rollback'],
        },
      ],
    });
    expect(config.dryRun).toBe(false);
    expect(config.reevaluation).toEqual([{ dataset: 'confs/data/eval/support-qa.jsonl', gates: 'confs/gates.yaml' }]);
    expect(config.drift).toEqual({
      current: { text: '1h', ms: 3_600_000 },
      reference: { text: '24h', ms: 86_400_000 },
    });
    expect(config.judge).toBe('offline');
    expect(config.webhook).toEqual({ timeoutMs: 5000, maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10000 });
    expect(config.rules[0]).toEqual({
      name: 'latency',
      when: 'slo:latency_p95',
      severity: 'warning',
      notify: [
        { kind: 'log' },
        { kind: 'webhook', url: 'https://hooks.example.com/T0/abc?token=x' },
        { kind: 'file', path: '.llmops/alerts.jsonl' },
      ],
      actions: ['reevaluate', 'rollback'],
      cooldownSeconds: 900,
      dryRun: false,
    });
  });

  it("reads a list of re-evaluation datasets, each with its own gates and corpus, and the server rounds' windows and judge", () => {
    const config = alertsConfigSchema.parse({
      reevaluation: [
        { dataset: 'confs/data/eval/support-qa.jsonl', gates: 'confs/gates.yaml' },
        { dataset: 'confs/data/eval/manual-qa.jsonl', gates: 'confs/gates.yaml', corpus: 'confs/data/manual/' },
      ],
      drift: { current: '15m', reference: '7d' },
      judge: 'openai/gpt-4o-mini',
    });
    expect(config.reevaluation).toEqual([
      { dataset: 'confs/data/eval/support-qa.jsonl', gates: 'confs/gates.yaml' },
      { dataset: 'confs/data/eval/manual-qa.jsonl', gates: 'confs/gates.yaml', corpus: 'confs/data/manual/' },
    ]);
    expect(config.drift).toEqual({ current: { text: '15m', ms: 900_000 }, reference: { text: '7d', ms: 604_800_000 } });
    expect(config.judge).toBe('openai/gpt-4o-mini');
  });

  it.each([
    [{ reevaluation: [] }, 'reevaluation: expected at least one {dataset, gates?, corpus?}'],
    [{ reevaluation: 'qa.jsonl' }, 'reevaluation: expected {dataset, gates?, corpus?} or a list of them'],
    [{ reevaluation: [{ dataset: 'a.jsonl' }, { gates: 'g.yaml' }] }, 'reevaluation[1].dataset'],
    [{ reevaluation: [{ dataset: 'a.jsonl', corpora: 'x/' }] }, 'corpora'],
    [
      { reevaluation: [{ dataset: 'a.jsonl' }, { dataset: 'a.jsonl' }] },
      'reevaluation[1].dataset: dataset "a.jsonl" is listed twice',
    ],
    [{ drift: { current: 'an hour' } }, 'drift.current: expected a whole number and a unit s, m, h, d or w'],
    [{ drift: { reference: '0h' } }, 'drift.reference: expected a whole number and a unit'],
    [{ drift: { window: '1h' } }, 'window'],
    [{ judge: '' }, 'judge'],
    [{ rules: [{ name: 'a', when: 'drift', notify: ['webhook file:///etc/passwd'] }] }, 'not an http(s) URL'],
    [{ rules: [{ name: 'a', when: 'drift', notify: ['email ops@example.com'] }] }, 'expected "log", "webhook'],
    [{ rules: [{ name: 'a', when: 'latency' }] }, 'expected "slo:<name>", "drift"'],
    [{ rules: [{ name: 'a', when: 'drift', actions: ['rollback'] }] }, 'add "reevaluate"'],
    [{ rules: [{ name: 'a', when: 'drift', actions: ['reevaluate'] }] }, 'needs "reevaluation: {dataset, gates}"'],
    [
      {
        rules: [
          { name: 'a', when: 'drift' },
          { name: 'a', when: 'slo:x' },
        ],
      },
      'rule name "a" is used twice',
    ],
    [{ rules: [{ name: 'a', when: 'drift', cooldown: 5 }] }, 'cooldown'],
  ])('refuses %j, saying %s', (input, message) => {
    const result = safeParseWithSchema(alertsConfigSchema, input, { where: 'confs/monitoring.yaml alerts' });
    expect(result.success ? 'parsed' : result.error.message).toContain(message);
  });
});

describe('which signals a rule selects', () => {
  it.each([
    ['slo:latency_p95', signal('slo', 'latency_p95'), true],
    ['slo:latency_p95', signal('slo', 'error_rate'), false],
    ['slo:latency_p95', signal('drift', 'latency_p95'), false],
    ['drift', signal('drift', 'drift'), true],
    ['drift', signal('drift', 'questions'), true],
    ['drift:questions', signal('drift', 'questions'), true],
    ['drift:questions', signal('drift', 'drift'), false],
  ])('%s on %j → %s', (when, candidate, expected) => {
    expect(ruleMatches({ when }, candidate)).toBe(expected);
  });

  it('keys deduplication by rule and signal, and by model when the signal names one', () => {
    expect(dedupeKeyOf({ name: 'r' }, signal('slo', 'latency_p95'))).toBe('r|slo:latency_p95');
    expect(dedupeKeyOf({ name: 'r' }, signal('slo', 'latency_p95'), true)).toBe('r|slo:latency_p95|dry-run');
    expect(dedupeKeyOf({ name: 'r' }, signal('slo', 'latency_p95', 'support-rag'))).toBe(
      'r|slo:latency_p95@support-rag',
    );
  });
});
