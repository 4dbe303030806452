import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatCompletionSchema } from '@llmops/kernel';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { runLlmops, runLlmopsAsync } from './run-cli.js';

const workdir = mkdtempSync(join(tmpdir(), 'llmops-chat-'));
writeFileSync(
  join(workdir, 'refunds.md'),
  'Refunds are issued within 14 days of receiving the returned item. Shipping costs are not refunded.\n',
);
writeFileSync(
  join(workdir, 'shipping.md'),
  'Standard orders ship within two business days. Express orders ship the same day.\n',
);
writeFileSync(
  join(workdir, 'cancel.md'),
  '# Cancelling a plan\n\nYou can cancel a plan at any time from the billing page. The plan stays active until the end of the paid month.\n',
);
mkdirSync(join(workdir, 'confs'));
writeFileSync(
  join(workdir, 'confs', 'pricing.yaml'),
  'unit: usd_per_million_tokens\nmodels:\n  offline/extractive: { input: 0, output: 0 }\n  gpt-test: { input: 1, output: 2 }\n',
);

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }] })}`;

describe('llmops chat (built bin)', () => {
  let server: OpenAiWireServer;
  beforeAll(async () => {
    server = await startOpenAiWireServer();
  });
  afterAll(async () => server.close());

  it('answers from a context file with a citation, offline and without a key', () => {
    const result = runLlmops(
      [
        'chat',
        '--model',
        'offline/extractive',
        '--context-file',
        'shipping.md',
        '--context-file',
        'refunds.md',
        'How long do refunds take?',
      ],
      { cwd: workdir },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Refunds are issued within 14 days of receiving the returned item\.? ?\[2\]/);
  });

  it("reads a Markdown file's heading as the passage's title, never as the start of the answer", () => {
    const result = runLlmops(
      ['chat', '--model', 'offline/extractive', '--context-file', 'cancel.md', 'How do I cancel a plan?'],
      { cwd: workdir },
    );
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^You can cancel a plan at any time from the billing page ?\[1\]/);
  });

  it('says it does not know when the context does not answer', () => {
    const result = runLlmops(
      [
        'chat',
        '--model',
        'offline/extractive',
        '--context-file',
        'refunds.md',
        'Which programming language is the warehouse robot written in?',
      ],
      {
        cwd: workdir,
      },
    );
    expect([result.status, result.stdout.trim()]).toEqual([0, "I don't know based on the provided context."]);
  });

  it('prints the whole completion with usage and cost under --json', () => {
    const result = runLlmops(
      ['--json', 'chat', '--model', 'offline/extractive', '--context-file', 'refunds.md', 'How long do refunds take?'],
      { cwd: workdir },
    );
    expect(result.status).toBe(0);
    const body = JSON.parse(result.stdout) as Record<string, unknown> & { llmops: { cost_usd: number | null } };
    const completion = chatCompletionSchema.parse(body);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(10);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(3);
    expect(body.llmops.cost_usd).toBe(0);
  });

  it('streams from any OpenAI-compatible server as the answer arrives', async () => {
    server.reply('/v1/chat/completions', {
      kind: 'sse',
      events: [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Hel' }),
        chunk({ content: 'lo!' }),
        chunk({}, 'stop'),
        'data: [DONE]',
      ],
    });
    const result = await runLlmopsAsync(
      ['chat', '--model', 'openai/gpt-test', '--base-url', server.baseUrl, '--stream', 'hi'],
      { cwd: workdir },
    );
    expect(result.stderr).toBe('');
    expect([result.status, result.stdout]).toEqual([0, 'Hello!\n']);
    const request = server.requestsTo('/v1/chat/completions').at(-1);
    expect(request?.body).toMatchObject({
      model: 'gpt-test',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('sends the key from --api-key-env and prices the call', async () => {
    server.reply('/v1/chat/completions', {
      kind: 'json',
      body: {
        id: 'x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-test',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Sure.', refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: 1_000, completion_tokens: 500, total_tokens: 1_500 },
      },
    });
    const result = await runLlmopsAsync(
      [
        '--json',
        'chat',
        '--model',
        'openai/gpt-test',
        '--base-url',
        server.baseUrl,
        '--api-key-env',
        'LLMOPS_PROVIDER_KEY_TEST',
        'hi',
      ],
      {
        cwd: workdir,
        env: {
          LLMOPS_PROVIDER_KEY_TEST: 'sk-test-secret',
          LLMOPS_PROVIDER_KEY_TEST_HOSTS: new URL(server.baseUrl).host,
        },
      },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).llmops.cost_usd).toBeCloseTo(0.002, 10);
    expect(server.requestsTo('/v1/chat/completions').at(-1)?.headers['authorization']).toBe('Bearer sk-test-secret');
  });

  it('rejects a bad spec, a missing key variable and a missing context file with exit 2', () => {
    const spec = runLlmops(['chat', '--model', 'gpt-4o', 'hi'], { cwd: workdir });
    expect([spec.status, spec.stderr]).toEqual([
      2,
      'error: model "gpt-4o" is not registered, and is not of the form <provider>/<model>; expected a registry reference (name@alias, name/3, name) or a provider spec such as offline/extractive or openai/gpt-4o-mini\n',
    ]);
    const provider = runLlmops(['chat', '--model', 'acme/large', 'hi'], { cwd: workdir });
    expect([provider.status, provider.stderr]).toEqual([
      2,
      'error: model "acme/large": unknown provider "acme"; known providers: offline, openai\n',
    ]);
    const key = runLlmops(['chat', '--model', 'openai/gpt-4o-mini', '--api-key-env', 'LLMOPS_TEST_NO_SUCH_KEY', 'hi'], {
      cwd: workdir,
    });
    expect(key.status).toBe(2);
    expect(key.stderr).toMatch(/^error: .*LLMOPS_TEST_NO_SUCH_KEY/);
    const file = runLlmops(['chat', '--model', 'offline/extractive', '--context-file', 'nope.md', 'hi'], {
      cwd: workdir,
    });
    expect([file.status, file.stderr]).toEqual([2, 'error: --context-file nope.md not found\n']);
  });

  it('rejects an empty or blank message with exit 2 instead of answering it', () => {
    for (const message of ['', '   ']) {
      const empty = runLlmops(['chat', '--model', 'offline/extractive', '--context-file', 'refunds.md', message], {
        cwd: workdir,
      });
      expect([empty.status, empty.stdout]).toEqual([2, '']);
      expect(empty.stderr).toBe(
        'error: the message (the last argument of llmops chat) is empty; expected a question, such as "How do refunds work?"\n',
      );
    }
  });

  it('refuses (exit 2) to send the admin token or an undeclared variable as a key, and sends nothing', async () => {
    const before = server.requests.length;
    for (const variable of ['LLMOPS_ADMIN_TOKEN', 'PGPASSWORD', 'TEST_KEY']) {
      const result = await runLlmopsAsync(
        ['chat', '--model', 'openai/gpt-test', '--base-url', server.baseUrl, '--api-key-env', variable, 'hi'],
        { cwd: workdir, env: { LLMOPS_ADMIN_TOKEN: 'admin-secret-value', PGPASSWORD: 'pg-secret', TEST_KEY: 'k' } },
      );
      expect([variable, result.status]).toEqual([variable, 2]);
      expect(result.stderr).toContain(`apiKeyEnv: ${variable}`);
      expect(result.stderr).not.toContain('admin-secret-value');
    }
    expect(server.requests.length).toBe(before);
  });

  it('fails with exit 1 and one line when the base URL is unreachable', async () => {
    const result = await runLlmopsAsync(
      ['chat', '--model', 'openai/gpt-test', '--base-url', 'http://127.0.0.1:9/v1', 'hi'],
      { cwd: workdir },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: /);
  });
});
