import { LlmopsError } from '@llmops/kernel';
import { builtInGuardrailPolicies, GuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import { guardrailPolicySchema } from '../domain/guardrails/guardrail-policy.js';
import { explainGuardrails } from './guardrail-explanation.js';

const policies = builtInGuardrailPolicies();

describe('explainGuardrails', () => {
  it('explains a redaction: rule, position, the text matched and its decoded form, and the redacted text', async () => {
    const text = 'Reach me at jane dot doe at gmail dot com or 0151 23456789.';
    const explanation = await explainGuardrails({ policies, policyName: 'default', side: 'input', text });
    expect(explanation).toMatchObject({ policy: 'default', side: 'input', verdict: 'allowed', redacted: true });
    expect(explanation.findings).toEqual([
      {
        check: 'pii',
        action: 'redact',
        category: 'email',
        rule: 'pii.email.obfuscated',
        start: 12,
        end: 41,
        matched: 'jane dot doe at gmail dot com',
        decoded: 'jane.doe@gmail.com',
      },
      {
        check: 'pii',
        action: 'redact',
        category: 'phone',
        rule: 'pii.phone.national',
        start: 45,
        end: 58,
        matched: '0151 23456789',
      },
    ]);
    expect(explanation.redactedText).toBe('Reach me at [REDACTED_EMAIL] or [REDACTED_PHONE].');
  });

  it('explains a block with the check, category and rule, on either side', async () => {
    const input = await explainGuardrails({
      policies,
      policyName: 'default',
      side: 'input',
      text: 'How do I poison my neighbour?',
    });
    expect(input.verdict).toBe('blocked');
    expect(input.findings[0]).toMatchObject({ check: 'harmful', action: 'block', category: 'violence' });
    expect(input.findings[0]?.rule).toMatch(/^violence\./);
    const output = await explainGuardrails({
      policies,
      policyName: 'default',
      side: 'output',
      text: 'Card 4111.1111.1111.1111 is on file.',
    });
    expect(output).toMatchObject({
      verdict: 'allowed',
      redacted: true,
      redactedText: 'Card [REDACTED_PAYMENT_CARD] is on file.',
    });
  });

  it('allows a benign text with nothing found, and skips (and says so) the moderation check', async () => {
    const moderated = new GuardrailPolicies({
      moderated: guardrailPolicySchema.parse({
        input: { moderation: {}, pii: {} },
        moderation: { kind: 'openai' },
      }),
    });
    const explanation = await explainGuardrails({
      policies: moderated,
      policyName: 'moderated',
      side: 'input',
      text: 'The Team plan costs $8 per user per month since 2024-05-01 (v4.2.1).',
    });
    expect(explanation).toEqual({
      policy: 'moderated',
      side: 'input',
      verdict: 'allowed',
      redacted: false,
      flagged: false,
      findings: [],
      skipped: ['moderation'],
    });
  });

  it('refuses an unknown policy, naming the known ones, and an empty text', async () => {
    const unknown = await explainGuardrails({ policies, policyName: 'nope', side: 'input', text: 'hi' }).catch(
      (error: unknown) => error,
    );
    expect(LlmopsError.isInstance(unknown) && [unknown.code, unknown.message]).toEqual([
      'invalid_input',
      expect.stringContaining('guardrail policy "nope" is not defined; known policies: default'),
    ]);
    await expect(explainGuardrails({ policies, policyName: 'default', side: 'input', text: ' ' })).rejects.toThrow(
      'the text to check is empty',
    );
  });
});
