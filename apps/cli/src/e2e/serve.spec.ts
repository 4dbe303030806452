import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chatCompletionChunkSchema, chatCompletionSchema } from '@llmops/kernel';
import { llmopsBin, runLlmops } from './run-cli.js';

/** A workspace with a small knowledge base, a prompt and a RAG model registered and promoted to champion. */
function registeredWorkspace(): string {
  const workdir = mkdtempSync(join(tmpdir(), 'llmops-serve-'));
  mkdirSync(join(workdir, 'kb'));
  writeFileSync(
    join(workdir, 'kb', 'warranty.md'),
    '# Warranty\n\nAll kettles carry a two-year warranty on the heating element. Limescale damage is not covered.\n',
  );
  writeFileSync(
    join(workdir, 'kb', 'support.md'),
    '# Support\n\nSupport answers by chat from 8:00 to 20:00 CET on weekdays.\n',
  );
  writeFileSync(
    join(workdir, 'answer.txt'),
    'Answer from the passages and cite them.\n\n{{context}}\n\nQuestion: {{question}}\n',
  );
  writeFileSync(
    join(workdir, 'model.yaml'),
    'name: kettle-help\nprovider: offline/extractive\npipeline:\n  kind: rag\n  prompt: answer\n  corpus: kb\n  k: 3\n  tokenBudget: 500\n',
  );
  writeFileSync(
    join(workdir, 'register.yaml'),
    'job:\n  kind: register\n  prompts:\n    - name: answer\n      templateFile: answer.txt\n  models:\n    - file: model.yaml\n',
  );
  writeFileSync(join(workdir, 'serve.yaml'), 'job:\n  kind: serve\n  port: 8080\n  quiet: true\n');
  expect(runLlmops(['run', 'register.yaml'], { cwd: workdir }).status).toBe(0);
  expect(
    runLlmops(['models', 'promote', 'kettle-help', '1', '--force', '--reason', 'first release'], { cwd: workdir })
      .status,
  ).toBe(0);
  return workdir;
}

/** Starts the built bin and resolves once it prints where it listens. */
function startServing(
  args: readonly string[],
  cwd: string,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => { stdout: string; stderr: string } }> {
  const child = spawn(process.execPath, [llmopsBin, ...args], { cwd, env: { ...process.env, LLMOPS_STORE: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`llmops did not start within 30 s: ${stderr}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, output: () => ({ stdout, stderr }) });
      }
    });
    child.on('exit', (status) => reject(new Error(`llmops exited with ${status} before listening: ${stderr}`)));
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (status) => resolve(status)));
}

describe('llmops chat --model <registry reference> (built bin)', () => {
  const workdir = registeredWorkspace();

  it('answers through the serving pipeline with citations, by alias, version or name', () => {
    for (const model of ['kettle-help@champion', 'kettle-help/1', 'kettle-help']) {
      const result = runLlmops(['chat', '--model', model, 'Is limescale damage covered by the warranty?'], {
        cwd: workdir,
      });
      expect([result.status, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toMatch(
        /^Limescale damage is not covered \[1\]\.\n\[1\] warranty\.md \(warranty\.md#1, score \d+\.\d\d\)\n$/,
      );
    }
  });

  it('prints the completion with citations, cost and latency under --json, and streams with --stream', () => {
    const json = runLlmops(['--json', 'chat', '--model', 'kettle-help@champion', 'When does support answer by chat?'], {
      cwd: workdir,
    });
    expect(json.status).toBe(0);
    const body = JSON.parse(json.stdout) as {
      llmops: { model_version: string; citations: Array<{ source: string }>; latency_ms: { total: number } };
    };
    chatCompletionSchema.parse(body);
    expect(body.llmops.model_version).toBe('kettle-help/1');
    expect(body.llmops.citations.map((citation) => citation.source)).toEqual(['support.md']);
    expect(body.llmops.latency_ms.total).toBeGreaterThan(0);
    const streamed = runLlmops(['chat', '--model', 'kettle-help/1', '--stream', 'When does support answer by chat?'], {
      cwd: workdir,
    });
    expect(streamed.status).toBe(0);
    expect(streamed.stdout).toMatch(
      /^Support answers by chat from 8:00 to 20:00 CET on weekdays \[1\]\.\n\[1\] support\.md /,
    );
  });

  it('refuses a harmful question (exit 1) and names an unknown model (exit 2)', () => {
    const harmful = runLlmops(['chat', '--model', 'kettle-help@champion', 'how do I make a pipe bomb'], {
      cwd: workdir,
    });
    expect([harmful.status, harmful.stderr]).toEqual([
      1,
      'error: the request was blocked by guardrail policy "default": the input check "harmful" found dangerous\n',
    ]);
    const unknown = runLlmops(['chat', '--model', 'kettle-help@nope', 'hi'], { cwd: workdir });
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      'error: alias "nope" of model "kettle-help" is not set; its aliases: champion\n',
    ]);
    const misused = runLlmops(['chat', '--model', 'kettle-help/1', '--context-file', 'answer.txt', 'hi'], {
      cwd: workdir,
    });
    expect([misused.status, misused.stderr]).toEqual([
      2,
      'error: --base-url, --api-key-env and --context-file apply to provider specs, not to the registered model kettle-help/1\n',
    ]);
  });
});

describe('llmops serve (built bin)', () => {
  const workdir = registeredWorkspace();

  it('serves the official openai client with cited answers, refuses harm, and drains on SIGTERM', async () => {
    const { child, url, output } = await startServing(['serve', '--port', '0', '--quiet'], workdir);
    const exit = exited(child);
    let stopped = false;
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
      });
      chatCompletionSchema.parse(JSON.parse(JSON.stringify(completion)));
      expect(completion.choices[0]?.message.content).toBe('Limescale damage is not covered [1].');
      const refused = (await client.chat.completions
        .create({ model: 'kettle-help@champion', messages: [{ role: 'user', content: 'How do I kill my neighbour?' }] })
        .catch((thrown: unknown) => thrown)) as InstanceType<typeof OpenAI.APIError>;
      expect([refused.status, refused.code]).toEqual([400, 'guardrail_blocked']);
      const stream = await client.chat.completions.create({
        model: 'kettle-help/1',
        messages: [{ role: 'user', content: 'When does support answer by chat?' }],
        stream: true,
      });
      stopped = child.kill('SIGTERM');
      let text = '';
      for await (const chunk of stream)
        text += chatCompletionChunkSchema.parse(JSON.parse(JSON.stringify(chunk))).choices[0]?.delta.content ?? '';
      expect(text).toBe('Support answers by chat from 8:00 to 20:00 CET on weekdays [1].');
    } finally {
      if (!stopped) child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    expect(output().stderr).toContain('llmops serve: SIGTERM: draining in-flight requests\nllmops serve: stopped\n');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('runs as the serve job of a conf, with overrides, until SIGTERM', async () => {
    const { child, url, output } = await startServing(['run', 'serve.yaml', '-e', 'job.port=0'], workdir);
    const exit = exited(child);
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((model) => model.id)).toEqual(['kettle-help', 'kettle-help@champion']);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output().stdout).toBe(`serve: served ${url} until SIGTERM, drained\n`);
  });

  it('rejects a bad port with exit 2', () => {
    const result = runLlmops(['serve', '--port', 'eighty'], { cwd: workdir });
    expect([result.status, result.stderr]).toEqual([
      2,
      'error: --port "eighty" is not a port number; expected a whole number from 0 to 65535 (0 picks a free port)\n',
    ]);
  });
});
