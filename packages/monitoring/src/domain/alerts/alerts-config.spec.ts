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

  it.each([
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
