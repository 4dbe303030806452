import type { GuardrailVerdict } from '@llmops/serving';
import { monitoredVerdicts } from './request-event-of.js';

const verdict = (overrides: Partial<GuardrailVerdict>): GuardrailVerdict => ({
  stage: 'input',
  check: 'pii',
  action: 'redact',
  outcome: 'redacted',
  findings: [],
  durationMs: 0.1,
  ...overrides,
});

describe('monitoredVerdicts', () => {
  it('keeps one entry per (side, category, rule, action) with the policy and the number of findings', () => {
    const verdicts = [
      verdict({ check: 'harmful', action: 'block', outcome: 'pass' }),
      verdict({
        findings: [
          { category: 'email', rule: 'pii.email', start: 0, end: 5 },
          { category: 'email', rule: 'pii.email', start: 9, end: 14 },
          { category: 'email', rule: 'pii.email.obfuscated', start: 20, end: 40 },
          { category: 'phone', rule: 'pii.phone.national', start: 44, end: 57 },
        ],
      }),
      verdict({
        stage: 'output',
        findings: [{ category: 'email', rule: 'pii.email', start: 3, end: 8 }],
      }),
    ];
    expect(monitoredVerdicts(verdicts, 'support')).toEqual([
      { side: 'input', category: 'email', rule: 'pii.email', action: 'redact', policy: 'support', count: 2 },
      { side: 'input', category: 'email', rule: 'pii.email.obfuscated', action: 'redact', policy: 'support', count: 1 },
      { side: 'input', category: 'phone', rule: 'pii.phone.national', action: 'redact', policy: 'support', count: 1 },
      { side: 'output', category: 'email', rule: 'pii.email', action: 'redact', policy: 'support', count: 1 },
    ]);
  });

  it('names the check when a verdict that acted has no findings, and leaves out the placeholder policy none', () => {
    const verdicts = [verdict({ check: 'max_tokens', action: 'block', outcome: 'blocked' })];
    expect(monitoredVerdicts(verdicts, 'none')).toEqual([
      { side: 'input', category: 'max_tokens', action: 'block', count: 1 },
    ]);
  });
});
