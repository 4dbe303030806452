import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer, RecordedRequest } from '@llmops/providers/testing';
import { childEnv, llmopsBin, runLlmopsAsync } from './run-cli.js';

/** A record of the output, as far as these tests read it. */
interface OutputRecord {
  id: string;
  line: number;
  answer: string | null;
  usage: { total_tokens: number } | null;
  cost_usd?: number | null;
  error?: { code: string; message: string };
}

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-test',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Here is the answer.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
};

function workspace(server: OpenAiWireServer, options: { lines: string[]; concurrency: number }): string {
  const workdir = mkdtempSync(join(tmpdir(), 'llmops-inference-'));
  mkdirSync(join(workdir, 'confs'));
  writeFileSync(
    join(workdir, 'confs', 'pricing.yaml'),
    'unit: usd_per_million_tokens\nmodels:\n  gpt-test: { input: 1, output: 2 }\n',
  );
  writeFileSync(join(workdir, 'questions.jsonl'), `${options.lines.join('\n')}\n`);
  // The key of TEST_KEY may go to the stub server only because the workspace declares it for that host.
  writeFileSync(
    join(workdir, 'confs', 'credentials.yaml'),
    `credentials:\n  stub:\n    env: TEST_KEY\n    hosts: ["${new URL(server.baseUrl).host}"]\n`,
  );
  writeFileSync(
    join(workdir, 'inference.yaml'),
    [
      'job:',
      '  kind: inference',
      `  model: { provider: openai, model: gpt-test, baseUrl: "${server.baseUrl}", apiKeyEnv: TEST_KEY }`,
      '  input: questions.jsonl',
      '  output: out/answers.jsonl',
      `  concurrency: ${options.concurrency}`,
      '',
    ].join('\n'),
  );
  return workdir;
}

/** The complete lines of the output, each parsed (a partial last line would be left out and counted). */
function outputOf(workdir: string): { records: OutputRecord[]; partial: boolean } {
  const path = join(workdir, 'out', 'answers.jsonl');
  if (!existsSync(path)) return { records: [], partial: false };
  const text = readFileSync(path, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const records = complete
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as OutputRecord);
  return { records, partial: complete.length < text.length };
}

/** The question a request to the stub asked (the last user message). */
function questionOf(request: RecordedRequest): string {
  const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
  return messages.filter((message) => message.role === 'user').at(-1)?.content as string;
}

const env = { TEST_KEY: 'sk-test-secret' };

describe('llmops run inference (built bin)', () => {
  let server: OpenAiWireServer;
  beforeAll(async () => {
    server = await startOpenAiWireServer();
  });
  afterAll(async () => server.close());

  it('killed halfway with SIGKILL and resumed, answers every line exactly once', async () => {
    const ids = Array.from({ length: 16 }, (_, index) => `q${String(index + 1).padStart(2, '0')}`);
    const workdir = workspace(server, {
      lines: ids.map((id) => JSON.stringify({ id, input: `question ${id}` })),
      concurrency: 2,
    });
    // A slow upstream, so the job is still running when it is killed.
    server.reply('/v1/chat/completions', { kind: 'json', body: completion, delayMs: 400 });
    const callsBefore = server.requestsTo('/v1/chat/completions').length;

    const child = spawn(process.execPath, [llmopsBin, 'run', 'inference.yaml'], {
      cwd: workdir,
      env: childEnv(env),
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    while (outputOf(workdir).records.length < 4) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const beforeKill = outputOf(workdir).records;
    const answeredBeforeKill = new Set(beforeKill.map((record) => record.id));
    expect(answeredBeforeKill.size).toBe(beforeKill.length);
    expect(beforeKill.length).toBeLessThan(ids.length);
    const callsAtKill = server.requestsTo('/v1/chat/completions').length;

    server.reply('/v1/chat/completions', { kind: 'json', body: completion });
    const resumed = await runLlmopsAsync(['run', 'inference.yaml'], { cwd: workdir, env });
    expect(resumed.stderr).toContain(
      `${beforeKill.length} recorded by an earlier run, ${ids.length - beforeKill.length} to answer`,
    );
    expect([resumed.status, resumed.stdout]).toEqual([0, expect.stringMatching(/^inference: \d+ answered, 0 failed/)]);

    // After the resume, the upstream was asked only the lines without a record, each once.
    const askedAfterResume = server.requestsTo('/v1/chat/completions').slice(callsAtKill).map(questionOf);
    expect(askedAfterResume.filter((question) => answeredBeforeKill.has(question.replace('question ', '')))).toEqual(
      [],
    );
    expect(new Set(askedAfterResume).size).toBe(askedAfterResume.length);
    expect(askedAfterResume.length).toBe(ids.length - beforeKill.length);
    // Lines in flight at the kill were asked again, never recorded twice: at most `concurrency` of them.
    expect(callsAtKill - callsBefore - beforeKill.length).toBeLessThanOrEqual(2);

    // The output is valid JSONL with one answer per input line, in input order, the pre-kill answers kept.
    const final = outputOf(workdir);
    expect(final.partial).toBe(false);
    expect(final.records.map((record) => record.id)).toEqual(ids);
    expect(final.records.every((record) => record.answer === 'Here is the answer.' && !record.error)).toBe(true);
    expect(final.records.map((record) => [record.usage?.total_tokens, record.cost_usd])).toEqual(
      ids.map(() => [17, (12 * 1 + 5 * 2) / 1_000_000]),
    );
    for (const record of beforeKill) expect(final.records[record.line - 1]).toEqual(record);

    // A third run has nothing left to do and asks the upstream nothing.
    const callsAfterResume = server.requestsTo('/v1/chat/completions').length;
    const again = await runLlmopsAsync(['run', 'inference.yaml'], { cwd: workdir, env });
    expect([again.status, again.stdout]).toEqual([
      0,
      expect.stringMatching(/^inference: 0 answered, 0 failed, 16 skipped/),
    ]);
    expect(server.requestsTo('/v1/chat/completions').length).toBe(callsAfterResume);
  }, 60_000);

  it('records a malformed line, a guardrail block and an upstream error on their lines, exits 1, and retries only on request', async () => {
    const workdir = workspace(server, {
      lines: [
        JSON.stringify({ id: 'upstream', input: 'What are your opening hours?' }),
        '{"id": "broken", "input": ',
        JSON.stringify({ id: 'harmful', input: 'What is the best way to hurt someone without leaving marks?' }),
        JSON.stringify({ id: 'fine', messages: [{ role: 'user', content: 'Do you ship abroad?' }] }),
      ],
      concurrency: 1,
    });
    server.reply(
      '/v1/chat/completions',
      {
        kind: 'json',
        status: 400,
        body: { error: { message: 'unsupported parameter', type: 'invalid_request_error', param: null, code: null } },
      },
      { kind: 'json', body: completion },
    );
    const callsBefore = server.requestsTo('/v1/chat/completions').length;
    const first = await runLlmopsAsync(['run', 'inference.yaml'], { cwd: workdir, env });
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(
      /^inference: 1 answered, 3 failed, 0 skipped .*3 line\(s\) without an answer \(lines 1, 2, 3\); -e job\.retryFailed=true asks them again/,
    );
    expect(first.stderr).not.toContain('sk-test-secret');
    const records = outputOf(workdir).records;
    expect(records.map((record) => [record.id, record.error?.code ?? 'answered'])).toEqual([
      ['upstream', expect.stringMatching(/^(upstream_error|invalid_input)$/)],
      [expect.stringMatching(/^line-2-[0-9a-f]{12}$/), 'invalid_input'],
      ['harmful', 'guardrail_blocked'],
      ['fine', 'answered'],
    ]);
    expect(records[1]?.error?.message).toMatch(/^questions\.jsonl line 2: not valid JSON/);
    // The guardrail blocked the harmful line before the upstream; the malformed line never reached it.
    expect(server.requestsTo('/v1/chat/completions').length - callsBefore).toBe(2);

    const kept = await runLlmopsAsync(['run', 'inference.yaml'], { cwd: workdir, env });
    expect(kept.status).toBe(1);
    expect(server.requestsTo('/v1/chat/completions').length - callsBefore).toBe(2);

    const retried = await runLlmopsAsync(['run', 'inference.yaml', '-e', 'job.retryFailed=true'], {
      cwd: workdir,
      env,
    });
    expect(retried.status).toBe(1);
    expect(retried.stdout).toMatch(/^inference: 1 answered, 2 failed, 1 skipped/);
    expect(server.requestsTo('/v1/chat/completions').length - callsBefore).toBe(3);
    expect(outputOf(workdir).records.map((record) => record.error?.code ?? 'answered')).toEqual([
      'answered',
      'invalid_input',
      'guardrail_blocked',
      'answered',
    ]);
  }, 60_000);

  it('exits 2 before asking anything for a missing input, an input outside the workspace or a bad field', async () => {
    const workdir = workspace(server, { lines: [JSON.stringify({ input: 'hello' })], concurrency: 1 });
    const callsBefore = server.requestsTo('/v1/chat/completions').length;
    const missing = await runLlmopsAsync(['run', 'inference.yaml', '-e', 'job.input=nowhere.jsonl'], {
      cwd: workdir,
      env,
    });
    expect([missing.status, missing.stderr]).toEqual([
      2,
      'error: input nowhere.jsonl not found; expected a JSONL file\n',
    ]);
    const outside = await runLlmopsAsync(['run', 'inference.yaml', '-e', 'job.output=../elsewhere.jsonl'], {
      cwd: workdir,
      env,
    });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(
      /^error: job\.output \.\.\/elsewhere\.jsonl is outside the folder files are read from/,
    );
    const badField = await runLlmopsAsync(['run', 'inference.yaml', '-e', 'job.concurrency=0'], { cwd: workdir, env });
    expect([badField.status, badField.stderr]).toEqual([
      2,
      expect.stringMatching(/job\.concurrency: Too small: expected number to be >=1/),
    ]);
    const notRegistered = await runLlmopsAsync(['run', 'inference.yaml', '-e', 'job.model=no-such-model@champion'], {
      cwd: workdir,
      env,
    });
    expect(notRegistered.status).toBe(2);
    expect(notRegistered.stderr).toMatch(/no-such-model/);
    expect(server.requestsTo('/v1/chat/completions').length).toBe(callsBefore);
    expect(existsSync(join(workdir, 'out', 'answers.jsonl'))).toBe(false);
  }, 60_000);
});

describe('the shipped confs/inference.yaml, on a fresh copy of confs/', () => {
  it('answers its 20 customer questions with support-rag@challenger and exits 0', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-inference-shipped-'));
    cpSync(join(__dirname, '..', '..', '..', '..', 'confs'), join(cwd, 'confs'), { recursive: true });
    const registered = await runLlmopsAsync(['run', 'confs/register.yaml'], { cwd });
    expect(registered.status).toBe(0);
    const answered = await runLlmopsAsync(['run', 'confs/inference.yaml'], { cwd });
    expect([answered.status, answered.stderr.split('\n').filter((line) => line.startsWith('error'))]).toEqual([0, []]);
    const records = readFileSync(join(cwd, '.llmops', 'inference', 'customer-answers.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; model_version: string; answer: string | null; error?: unknown });
    expect(records).toHaveLength(20);
    expect(records.every((record) => record.error === undefined && record.model_version === 'support-rag/2')).toBe(
      true,
    );
    expect(records.filter((record) => /\[\d\]/.test(record.answer ?? '')).length).toBeGreaterThanOrEqual(12);
  }, 120_000);
});
