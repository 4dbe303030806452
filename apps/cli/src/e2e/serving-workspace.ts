import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, llmopsBin, runLlmops } from './run-cli.js';

/**
 * A workspace with a small knowledge base, a prompt and a RAG model `kettle-help` registered and
 * promoted to champion, on the embedded store or on the store given.
 */
export function registeredWorkspace(store?: string): string {
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
    'name: kettle-help\nprovider: offline/extractive\npipeline:\n  kind: rag\n  prompt: answer\n  corpus: kb\n  retrieval:\n    k: 3\n  tokenBudget: 500\n',
  );
  writeFileSync(
    join(workdir, 'register.yaml'),
    'job:\n  kind: register\n  prompts:\n    - name: answer\n      templateFile: answer.txt\n  models:\n    - file: model.yaml\n',
  );
  writeFileSync(join(workdir, 'serve.yaml'), 'job:\n  kind: serve\n  port: 8080\n  quiet: true\n');
  const storeArgs = store ? ['--store', store] : [];
  for (const args of [
    ['run', 'register.yaml'],
    ['models', 'promote', 'kettle-help', '1', '--force', '--reason', 'first release'],
  ]) {
    const run = runLlmops([...storeArgs, ...args], { cwd: workdir });
    if (run.status !== 0) throw new Error(`llmops ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
  }
  return workdir;
}

/** Starts the built bin (with `env` added to the test's environment) and resolves once it prints where it listens. */
export function startServing(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => { stdout: string; stderr: string } }> {
  const child = spawn(process.execPath, [llmopsBin, ...args], {
    cwd,
    // Anonymous inference on loopback: these tests call /v1 with the openai client's placeholder key.
    env: childEnv({ LLMOPS_ANONYMOUS_INFERENCE: 'true', ...env }),
  });
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

/** Resolves with the exit status of a child process. */
export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (status) => resolve(status)));
}
