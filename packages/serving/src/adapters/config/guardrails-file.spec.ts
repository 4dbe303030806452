import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGuardrailPolicies } from './guardrails-file.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');

describe('loadGuardrailPolicies', () => {
  it('loads the shipped confs/guardrails.yaml with its default policy', () => {
    const policies = loadGuardrailPolicies(join(workspaceRoot, 'confs', 'guardrails.yaml'));
    expect(policies.names()).toEqual(['audit', 'default', 'moderated', 'none', 'strict', 'support']);
    const policy = policies.get('default');
    expect(policy.onBlock).toBe('error');
    expect(policy.input).toEqual({
      maxTokens: { limit: 16000, action: 'block' },
      injection: { action: 'block' },
      harmful: { action: 'block' },
      language: { uncovered: 'flag' },
      pii: { action: 'redact' },
    });
    expect(policies.get('support').onBlock).toBe('refuse');
    expect(policies.get('none').input).toEqual({});
  });

  it('names the file, line and field of a mistake', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-guardrails-')), 'guardrails.yaml');
    writeFileSync(file, 'policies:\n  default:\n    input:\n      harmful: { action: redact }\n');
    expect(() => loadGuardrailPolicies(file)).toThrow(
      new RegExp(
        `^${file}:4: policies\\.default\\.input\\.harmful\\.action: Invalid option: expected one of "block"\\|"flag"`,
      ),
    );
    writeFileSync(file, 'policies:\n  default:\n    output:\n      moderation: {}\n');
    expect(() => loadGuardrailPolicies(file)).toThrow(
      /policies\.default\.output\.moderation: the moderation check needs a `moderation` section in the policy/,
    );
  });
});
