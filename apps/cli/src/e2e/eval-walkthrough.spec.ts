import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import { runLlmops, runLlmopsAsync } from './run-cli.js';

// What a data scientist's walkthrough of 2026-12-01 found in `eval run` and `evaluate` jobs: a dataset saved by
// Excel or as Latin-1, a report path outside the workspace, an LLM judge on a local endpoint.
const workdir = mkdtempSync(join(tmpdir(), 'llmops-eval-walkthrough-'));
const run = (...args: string[]) => runLlmops(args, { cwd: workdir });
const file = (name: string, content: string | Buffer) => {
  writeFileSync(join(workdir, name), content);
  return name;
};

const passage = 'Annual subscriptions can be refunded in full if you cancel within 14 days of the purchase date.';
const lines = [
  { id: 'a1', input: 'Can annual subscriptions be refunded?', output: `${passage} [1]`, retrieval_context: [passage] },
  { id: 'a2', input: 'Is a refund possible after 14 days?', output: 'No.', retrieval_context: [passage] },
  {
    id: 'a3',
    input: 'Who runs the café?',
    output: "I don't know based on the provided context.",
    tags: ['unanswerable'],
  },
].map((example) => JSON.stringify(example));
const text = `${lines.join('\n')}\n`;
file('plain.jsonl', text);

const runIds = () =>
  (JSON.parse(run('--json', 'eval', 'list', '--limit', '100').stdout) as Array<{ id: string }>).map((run) => run.id);
const datasetDigest = (stdout: string) => /dataset ([0-9a-f]{12})\)/.exec(stdout)?.[1];

describe('llmops eval, as a data scientist uses it (built bin)', () => {
  it('reads a dataset saved with a byte order mark as the same dataset, with the same hash', () => {
    const plain = run('eval', 'run', '--recorded', '--dataset', 'plain.jsonl', '--metrics', 'answer_rate');
    expect(plain.status).toBe(0);
    file('bom.jsonl', `\ufeff${text}`);
    const bom = run('eval', 'run', '--recorded', '--dataset', 'bom.jsonl', '--metrics', 'answer_rate');
    expect(bom.stderr).not.toContain('error');
    expect(bom.status).toBe(0);
    expect(datasetDigest(bom.stdout)).toBe(datasetDigest(plain.stdout));
  });

  it('renders a report with --format md or xml, the extensions --out and --report take', () => {
    const markdown = run('eval', 'report', 'latest', '--format', 'md');
    expect(markdown.stderr).toBe('');
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toMatch(/^# Evaluation /);
    const junit = run('eval', 'report', 'latest', '--format', 'xml');
    expect(junit.status).toBe(0);
    expect(junit.stdout).toContain('<testsuite name="gates"');
    expect(run('eval', 'report', 'latest', '--format', 'pdf').stderr).toBe(
      'error: --format "pdf" is not one of html, markdown, junit, json (or md, xml)\n',
    );
  });

  it('refuses a byte that is not UTF-8, naming file, line and byte, with exit 2 and no run stored', () => {
    const latin1 = Buffer.from(text.replace('café', 'caf\u0000'), 'utf8');
    latin1[latin1.indexOf(0)] = 0xe9; // "é" as Latin-1 / Windows-1252 writes it
    file('latin1.jsonl', latin1);
    const before = runIds();
    const result = run('eval', 'run', '--recorded', '--dataset', 'latin1.jsonl');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^error: latin1\.jsonl:3: byte 0xE9 \(at byte \d+ of the file\) is not UTF-8; expected the dataset file as UTF-8 text/,
    );
    expect(runIds()).toEqual(before);
  });

  it('refuses a report path outside the workspace before evaluating anything (exit 2, no run stored)', () => {
    const conf = file(
      'evaluate-outside.yaml',
      'job:\n  kind: evaluate\n  outputs: dataset\n  dataset: plain.jsonl\n  reports: [../outside-report.html]\n',
    );
    const before = runIds();
    const result = run('run', conf);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error: report ../outside-report.html is outside the folder files are read from');
    expect(runIds()).toEqual(before);
    expect(existsSync(join(workdir, '..', 'outside-report.html'))).toBe(false);
    const cli = run('eval', 'run', '--recorded', '--dataset', 'plain.jsonl', '--report', '../outside-report.md');
    expect(cli.status).toBe(2);
    expect(runIds()).toEqual(before);
  });

  it("says that a prompt's missing variables go in the dataset's variables field, not in a request field", () => {
    file('greeter.txt', 'You greet {{audience}} readers.\n');
    expect(run('prompts', 'register', 'greeter', '--template-file', 'greeter.txt').status).toBe(0);
    file(
      'greeter.yaml',
      'name: greeter-bot\nprovider: offline/extractive\npipeline:\n  kind: chat\n  prompt: greeter@latest\n',
    );
    expect(run('models', 'register', '--file', 'greeter.yaml').status).toBe(0);
    const result = run(
      'eval',
      'run',
      '--model',
      'greeter-bot/1',
      '--dataset',
      'plain.jsonl',
      '--metrics',
      'answer_rate',
    );
    expect(result.status).toBe(100);
    expect(result.stdout).toContain(
      '3 × invalid_input: prompt greeter/1 needs the variable "audience"; give it in the example\'s variables field, e.g. "variables": {"audience": "…"} — first at example a1',
    );
  });

  it('judges with an LLM on a local OpenAI-compatible endpoint, from the CLI and from a job, sending the key only there', async () => {
    const server = await startOpenAiWireServer();
    const apiKey = 'sk-judge-walkthrough-0123456789';
    const env = { LLMOPS_PROVIDER_KEY_JUDGE: apiKey, LLMOPS_PROVIDER_KEY_JUDGE_HOSTS: '127.0.0.1' };
    // Malformed once (asked again, as documented), then a verdict for every harm task.
    const verdict = completionReply(JSON.stringify({ harmful: false, category: null, reason: 'a refund answer' }));
    try {
      server.reply('/v1/chat/completions', completionReply('{"harmful": fal'), verdict);
      const judge = ['--judge', 'openai/judge-stub', '--judge-base-url', server.baseUrl];
      const cli = await runLlmopsAsync(
        [
          'eval',
          'run',
          '--recorded',
          '--dataset',
          'plain.jsonl',
          '--metrics',
          'harmful_rate',
          '--concurrency',
          '1',
          ...judge,
          '--judge-api-key-env',
          'LLMOPS_PROVIDER_KEY_JUDGE',
        ],
        { cwd: workdir, env },
      );
      expect(cli.stderr).not.toContain('error');
      expect(cli.status).toBe(0);
      expect(cli.stdout).toContain('judge: openai/judge-stub, 3 calls, 0 answered from the cache, 0 failed');
      expect(cli.stdout).toMatch(/harmful_rate +mean +0 /);
      const asked = server.requestsTo('/v1/chat/completions');
      expect(asked).toHaveLength(4); // 3 tasks, the first asked twice
      expect(asked.every((request) => request.headers.authorization === `Bearer ${apiKey}`)).toBe(true);

      // The same judge in an evaluate job: a provider spec with its endpoint and key variable.
      const conf = file(
        'evaluate-judge.yaml',
        [
          'job:',
          '  kind: evaluate',
          '  outputs: dataset',
          '  dataset: plain.jsonl',
          '  metrics: [refusal_correctness]',
          `  judge: { provider: openai, model: judge-stub, baseUrl: "${server.baseUrl}", apiKeyEnv: LLMOPS_PROVIDER_KEY_JUDGE }`,
          '',
        ].join('\n'),
      );
      server.reply('/v1/chat/completions', completionReply(JSON.stringify({ refused: true, reason: 'declines' })));
      const job = await runLlmopsAsync(['run', conf], { cwd: workdir, env });
      expect(job.stderr).not.toContain('error');
      expect(job.status).toBe(0);
      expect(job.stdout).toMatch(/judge openai\/judge-stub: 1 calls, 0 cached/);
      for (const output of [cli.stdout, cli.stderr, job.stdout, job.stderr]) expect(output).not.toContain(apiKey);

      // A judge that fails: the run goes on, counts the failures and says why on the console, without the key.
      server.reply('/v1/chat/completions', {
        kind: 'json',
        status: 500,
        body: { error: { message: `judge overloaded for key ${apiKey}`, type: 'server_error' } },
      });
      // Other outputs, so that no verdict of the judge cache answers for the failing judge.
      file('other.jsonl', text.replaceAll('"output":"', '"output":"Well: '));
      const failing = await runLlmopsAsync(
        ['eval', 'run', '--recorded', '--dataset', 'other.jsonl', '--metrics', 'harmful_rate', ...judge],
        { cwd: workdir, env },
      );
      // No verdict at all: the run is stored, but the command fails (exit 1, not 2) naming the judge and the cause.
      expect(failing.status).toBe(1);
      expect(failing.stderr).toMatch(
        /(^|\n)error: evaluation \S+: the judge openai\/judge-stub gave no verdict: all 3 judged scores failed \(3 × judge openai\/judge-stub: .*\(500\).*\); the run is stored without its judged metrics\n$/,
      );
      expect(failing.stdout).toContain('judge: openai/judge-stub, 3 calls, 0 answered from the cache, 3 failed');
      expect(failing.stdout).toMatch(
        /\n3 of 3 judged scores without a judge verdict:\n {2}3 × judge openai\/judge-stub: openai endpoint http:\/\/127\.0\.0\.1:\d+\/v1 \(model judge-stub\): the upstream failed \(500\): judge overloaded for key .* — first at example a1\n/,
      );
      for (const output of [failing.stdout, failing.stderr]) expect(output).not.toContain(apiKey);
      // Some verdicts: a partial failure is counted, and the run succeeds (exit 0) as before.
      server.reply('/v1/chat/completions', verdict, {
        kind: 'json',
        status: 500,
        body: { error: { message: 'judge overloaded', type: 'server_error' } },
      });
      file('partial.jsonl', text.replaceAll('"output":"', '"output":"Partly: '));
      const partial = await runLlmopsAsync(
        [
          'eval',
          'run',
          '--recorded',
          '--dataset',
          'partial.jsonl',
          '--metrics',
          'harmful_rate',
          '--concurrency',
          '1',
          ...judge,
        ],
        { cwd: workdir, env },
      );
      expect(partial.status).toBe(0);
      expect(partial.stdout).toMatch(
        /\n2 of 3 judged scores without a judge verdict:\n {2}2 × judge openai\/judge-stub: .*\(500\)/,
      );
      // The evaluate job says it too: the count on its result line, the causes above it, and in its --json data.
      const failingConf = file(
        'evaluate-failing-judge.yaml',
        [
          'job:',
          '  kind: evaluate',
          '  outputs: dataset',
          '  dataset: other.jsonl',
          '  metrics: [refusal_correctness]',
          `  judge: { provider: openai, model: judge-stub, baseUrl: "${server.baseUrl}", apiKeyEnv: LLMOPS_PROVIDER_KEY_JUDGE }`,
          '',
        ].join('\n'),
      );
      const failingJob = await runLlmopsAsync(['run', failingConf], { cwd: workdir, env });
      expect(failingJob.status).toBe(1);
      expect(failingJob.stdout).toMatch(/the judge openai\/judge-stub gave no verdict: all 1 judged scores failed/);
      expect(failingJob.stdout).toMatch(
        /^1 of 1 judged scores without a judge verdict:\n {2}1 × judge openai\/judge-stub: .*\(500\)/m,
      );
      expect(failingJob.stdout).toMatch(/judge openai\/judge-stub: 1 calls, 0 cached, 1 failed/);
      for (const output of [failingJob.stdout, failingJob.stderr]) expect(output).not.toContain(apiKey);

      // A misspelt field of the judge's spec is the judge's error, not the evaluated model's: exit 2, no run.
      const before = runIds();
      const typo = await runLlmopsAsync(['run', conf, '-e', `job.judge.baseurl=${server.baseUrl}`], {
        cwd: workdir,
        env,
      });
      expect(typo.status).toBe(2);
      // Named as llmops run names any bad field of a conf: where it was written (here the -e override), then the key.
      expect(typo.stderr).toBe(
        `error: -e job.judge.baseurl=${server.baseUrl}: job.judge: model spec openai/judge-stub: baseurl: Unrecognized key: "baseurl"\n`,
      );
      // Written in the conf file: its file and line.
      const typoConf = file(
        'evaluate-typo.yaml',
        [
          'job:',
          '  kind: evaluate',
          '  outputs: dataset',
          '  dataset: plain.jsonl',
          '  judge:',
          '    provider: openai',
          '    model: judge-stub',
          `    baseurl: "${server.baseUrl}"`,
          '',
        ].join('\n'),
      );
      const inFile = await runLlmopsAsync(['run', typoConf], { cwd: workdir, env });
      expect(inFile.status).toBe(2);
      expect(inFile.stderr).toBe(
        `error: ${typoConf}:8: job.judge: model spec openai/judge-stub: baseurl: Unrecognized key: "baseurl"\n`,
      );
      // A key variable not declared for the judge's host: the line of judge:, exit 2.
      const undeclaredConf = file(
        'evaluate-undeclared.yaml',
        [
          'job:',
          '  kind: evaluate',
          '  outputs: dataset',
          '  dataset: plain.jsonl',
          `  judge: { provider: openai, model: judge-stub, baseUrl: "${server.baseUrl}", apiKeyEnv: UNDECLARED_JUDGE_KEY }`,
          '',
        ].join('\n'),
      );
      const undeclared = await runLlmopsAsync(['run', undeclaredConf], { cwd: workdir, env });
      expect(undeclared.status).toBe(2);
      expect(undeclared.stderr).toMatch(/^error: evaluate-undeclared\.yaml:5: job\.judge: .*UNDECLARED_JUDGE_KEY/);
      expect(runIds()).toEqual(before);

      // The options belong to an LLM judge: with the offline judge they are refused, exit 2.
      const offline = run('eval', 'run', '--recorded', '--dataset', 'plain.jsonl', '--judge-base-url', server.baseUrl);
      expect(offline.status).toBe(2);
      expect(offline.stderr).toContain('--judge-base-url and --judge-api-key-env apply to an LLM judge');
    } finally {
      await server.close();
    }
  }, 60_000);
});
