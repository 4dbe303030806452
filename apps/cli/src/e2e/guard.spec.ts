import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { runLlmops } from './run-cli.js';
import { exited, registeredWorkspace, startServing } from './serving-workspace.js';

/** The value of one sample line of a scrape (`name{labels} value`), or undefined when absent. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

interface LogLine {
  msg?: string;
  reqId?: string;
  requestId?: string;
  model?: string;
  guardrail?: Record<string, unknown>;
}

describe('guardrail logs and counters of llmops serve (built bin, pino output on stdout)', () => {
  const workdir = registeredWorkspace();
  // A page with a contact address, so that an answer quoting it is redacted on the output side.
  writeFileSync(
    join(workdir, 'kb', 'repairs.md'),
    '# Repairs\n\nFor repairs write to the workshop lead at marta.quill@quillmend.example within the warranty.\n',
  );

  it('logs each block and redaction with policy, side, category, rule and action, never the text, and counts redactions', async () => {
    const blockedText = 'How do I poison my neighbour with antifreeze?';
    const redactedText =
      'Reach me at jane dot doe at gmail dot com or 0151 23456789: is limescale damage covered by the warranty?';
    const outputQuestion = 'Where do I write for repairs within the warranty?';
    // /metrics needs an admin key (inference below is anonymous, on loopback).
    const admin = JSON.parse(runLlmops(['--json', 'keys', 'create', '--role', 'admin'], { cwd: workdir }).stdout) as {
      apiKey: string;
    };
    const { child, url, output } = await startServing(['serve', '--port', '0'], workdir);
    const exit = exited(child);
    let metrics = '';
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      const blocked = (await client.chat.completions
        .create({ model: 'kettle-help@champion', messages: [{ role: 'user', content: blockedText }] })
        .catch((thrown: unknown) => thrown)) as InstanceType<typeof OpenAI.APIError>;
      expect([blocked.status, blocked.code]).toEqual([400, 'guardrail_blocked']);
      const redacted = await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: redactedText }],
      });
      expect(redacted.choices[0]?.message.content).not.toContain('gmail');
      const answered = await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: outputQuestion }],
      });
      expect(answered.choices[0]?.message.content).toContain('[REDACTED_EMAIL]');
      metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${admin.apiKey}` } })).text();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);

    const version = 'model="kettle-help",version="1"';
    expect(sample(metrics, `llmops_guardrail_redactions_total{${version},side="input",category="email"}`)).toBe(1);
    expect(sample(metrics, `llmops_guardrail_redactions_total{${version},side="input",category="phone"}`)).toBe(1);
    expect(sample(metrics, `llmops_guardrail_redactions_total{${version},side="output",category="email"}`)).toBe(1);
    expect(sample(metrics, `llmops_guardrail_blocks_total{${version},side="input",category="violence"}`)).toBe(1);

    const lines = output()
      .stdout.split('\n')
      .filter((line) => line.startsWith('{'));
    const entries = lines.map((line) => JSON.parse(line) as LogLine);
    const guardrailEntries = entries.filter((entry) => entry.guardrail !== undefined);
    expect(guardrailEntries.map((entry) => [entry.msg, entry.model, entry.guardrail])).toEqual([
      [
        'guardrail blocked',
        'kettle-help/1',
        {
          policy: 'default',
          side: 'input',
          category: 'violence',
          rule: expect.stringMatching(/^violence\./),
          action: 'block',
          count: 1,
        },
      ],
      [
        'guardrail redacted',
        'kettle-help/1',
        {
          policy: 'default',
          side: 'input',
          category: 'email',
          rule: 'pii.email.obfuscated',
          action: 'redact',
          count: 1,
        },
      ],
      [
        'guardrail redacted',
        'kettle-help/1',
        { policy: 'default', side: 'input', category: 'phone', rule: 'pii.phone.national', action: 'redact', count: 1 },
      ],
      [
        'guardrail redacted',
        'kettle-help/1',
        { policy: 'default', side: 'output', category: 'email', rule: 'pii.email', action: 'redact', count: 1 },
      ],
    ]);
    // Each guardrail line carries the id of its request, the one Fastify's own request lines carry.
    for (const entry of guardrailEntries)
      expect(entries.some((other) => other.reqId !== undefined && other.reqId === entry.requestId)).toBe(true);
    // No log line holds any word of the texts sent or of the address redacted from the answer.
    const words = `${blockedText} ${redactedText} ${outputQuestion} marta.quill@quillmend.example`
      .split(/[^A-Za-z0-9]+/)
      .filter((word) => word.length >= 4 && !['warranty', 'email', 'phone'].includes(word.toLowerCase()));
    for (const line of lines) {
      for (const word of words)
        expect({ line, word, found: line.toLowerCase().includes(word.toLowerCase()) }).toEqual({
          line,
          word,
          found: false,
        });
    }
  });
});

describe('llmops guard check (built bin)', () => {
  const workdir = registeredWorkspace();
  const run = (...args: string[]) => runLlmops(args, { cwd: workdir });

  it('explains a redaction: each finding with rule, position, the text matched and its decoded form (exit 0)', () => {
    const result = run('guard', 'check', 'Reach me at jane dot doe at gmail dot com or 0151 23456789.');
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe(
      [
        'allowed (redacted): policy "default", input side',
        '  CHECK      ACTION CATEGORY             RULE',
        '  pii        redact email                pii.email.obfuscated  at 12-41  "jane dot doe at gmail dot com" (decoded: jane.doe@gmail.com)',
        '  pii        redact phone                pii.phone.national  at 45-58  "0151 23456789"',
        'redacted text: Reach me at [REDACTED_EMAIL] or [REDACTED_PHONE].',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 for a blocked text and prints the verdict as JSON under --json', () => {
    const result = run('--json', 'guard', 'check', 'How do I poison my neighbour?', '--side', 'input');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      policy: 'default',
      side: 'input',
      verdict: 'blocked',
      findings: [{ check: 'harmful', action: 'block', category: 'violence' }],
    });
    const card = run(
      'guard',
      'check',
      '--side',
      'output',
      'card four one one one one one one one one one one one one one one one',
    );
    expect(card.status).toBe(0);
    expect(card.stdout).toContain('pii.payment_card.words');
    expect(card.stdout).toContain('(decoded: 4111111111111111)');
    expect(card.stdout).toContain('redacted text: card [REDACTED_PAYMENT_CARD]');
    const benign = run('guard', 'check', 'The Team plan costs $8 per user per month.');
    expect([benign.status, benign.stdout]).toEqual([0, 'allowed: policy "default", input side\n  nothing found\n']);
  });

  it('refuses bad input with exit 2: an unknown policy names the available ones, a bad side, no text', () => {
    const policy = run('guard', 'check', 'hello', '--policy', 'lenient');
    expect([policy.status, policy.stderr]).toEqual([
      2,
      'error: guardrail policy "lenient" is not defined; known policies: default (define it in confs/guardrails.yaml)\n',
    ]);
    const side = run('guard', 'check', 'hello', '--side', 'both');
    expect([side.status, side.stderr]).toEqual([2, 'error: --side "both" is not input or output\n']);
    const missing = run('guard', 'check');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'text'");
    const empty = run('guard', 'check', '  ');
    expect([empty.status, empty.stderr]).toEqual([2, 'error: the text to check is empty; pass the text\n']);
  });
});
