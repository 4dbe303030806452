import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGuardrailPolicies } from './guardrails-file.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');

describe('loadGuardrailPolicies', () => {
  it('loads the shipped confs/guardrails.yaml with its default policy', () => {
    const policies = loadGuardrailPolicies(join(workspaceRoot, 'confs', 'guardrails.yaml'));
    expect(policies.names()).toEqual(['audit', 'default', 'llama-guard', 'moderated', 'none', 'strict', 'support']);
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
    expect(policies.get('llama-guard').moderation).toEqual({
      kind: 'llama_guard',
      baseUrl: 'http://127.0.0.1:8000/v1',
      model: 'meta-llama/Llama-Guard-3-8B',
      timeoutMs: 3000,
      api: 'completions',
      onUnavailable: 'block',
    });
  });

  it('reads a guard model from the environment, and refuses an unknown hazard code', () => {
    const policies = loadGuardrailPolicies(join(workspaceRoot, 'confs', 'guardrails.yaml'), {
      env: { LLMOPS_GUARD_BASE_URL: 'http://guard.internal:11434/v1', LLMOPS_GUARD_MODEL: 'llama-guard3:1b' },
    });
    expect(policies.get('llama-guard').moderation).toMatchObject({
      baseUrl: 'http://guard.internal:11434/v1',
      model: 'llama-guard3:1b',
    });
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-guardrails-')), 'guardrails.yaml');
    writeFileSync(
      file,
      'policies:\n  guarded:\n    moderation:\n      kind: llama_guard\n      baseUrl: http://127.0.0.1:8000/v1\n      model: lg\n      hazards: [S1, S15]\n',
    );
    expect(() => loadGuardrailPolicies(file)).toThrow(
      /policies\.guarded\.moderation\.hazards\[1\]: Invalid option: expected one of "S1"/,
    );
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

  it('confines the encoder weights of the harmful and the injection checks, input and retrieved', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-guardrails-')), 'guardrails.yaml');
    const encoder = (weights: string) => `classifier: { encoder: { weights: ${weights} } }`;
    writeFileSync(
      file,
      [
        'policies:',
        '  guarded:',
        '    input:',
        `      harmful: { ${encoder('harm.bin')} }`,
        `      injection: { ${encoder('input.bin')} }`,
        '    retrieved:',
        `      injection: { ${encoder('passages.bin')} }`,
        '',
      ].join('\n'),
    );
    const asked: string[] = [];
    const policy = loadGuardrailPolicies(file, {
      confineFile: (path, what) => {
        asked.push(`${what}: ${path}`);
        return `/data/${path}`;
      },
    }).get('guarded');
    expect(asked.sort()).toEqual([
      'encoder weights: harm.bin',
      'encoder weights: input.bin',
      'encoder weights: passages.bin',
    ]);
    expect(policy.input.injection?.classifier?.encoder).toEqual({ weights: '/data/input.bin' });
    expect(policy.retrieved?.injection?.classifier?.encoder).toEqual({ weights: '/data/passages.bin' });
    const refusal = new Error('encoder weights input.bin is outside the folder files are read from');
    expect(() =>
      loadGuardrailPolicies(file, {
        confineFile: (path) => {
          if (path === 'input.bin') throw refusal;
          return path;
        },
      }),
    ).toThrow(refusal);
  });
});
