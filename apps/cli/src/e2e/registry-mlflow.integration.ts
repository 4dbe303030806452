import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMlflowPython, startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowServer } from '@llmops/mlflow-client/testing';
import { runLlmops } from './run-cli.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

function workspace(): string {
  const directory = mkdtempSync(join(tmpdir(), 'llmops-cli-mlflow-'));
  for (const part of ['register.yaml', 'promote.yaml', 'promotion-policy.yaml', 'prompts', 'models']) {
    cpSync(join(workspaceRoot, 'confs', part), join(directory, 'confs', part), { recursive: true });
  }
  return directory;
}

describe('llmops with --store http://127.0.0.1:PORT (a real MLflow 3.17 server)', () => {
  let server: MlflowServer;
  let cwd: string;
  const run = (...args: string[]) =>
    runLlmops(['--store', server.trackingUri, ...args], { cwd, env: { LLMOPS_ACTOR: 'e2e' } });

  beforeAll(async () => {
    server = await startMlflowServer({ workspaceRoot, backend: 'sqlite' });
    cwd = workspace();
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('registers a prompt that Python reads back with mlflow.genai.load_prompt', async () => {
    const registered = run(
      'prompts',
      'register',
      'support-answer',
      '--template-file',
      'confs/prompts/support-answer.txt',
      '--message',
      'baseline',
      '--alias',
      'production',
    );
    expect([registered.status, registered.stderr]).toEqual([0, '']);
    expect(registered.stdout).toBe(
      'registered prompt support-answer version 1 (variables: context, question)\nalias production of prompt support-answer: - -> 1\n',
    );
    const stdout = await runMlflowPython({
      workspaceRoot,
      env: { MLFLOW_TRACKING_URI: server.trackingUri },
      code: [
        'import json, mlflow',
        'prompt = mlflow.genai.load_prompt("prompts:/support-answer@production")',
        'print(json.dumps({"version": int(prompt.version), "template": prompt.template, "message": prompt.commit_message}))',
      ].join('\n'),
    });
    const loaded = JSON.parse(stdout.trim().split('\n').pop() as string) as {
      version: number;
      template: string;
      message: string;
    };
    expect(loaded.version).toBe(1);
    expect(loaded.message).toBe('baseline');
    expect(loaded.template).toContain('Question: {{question}}');
    const shown = JSON.parse(run('--json', 'prompts', 'show', 'support-answer@production').stdout);
    expect(shown).toMatchObject({
      name: 'support-answer',
      version: 1,
      aliases: ['production'],
      template: loaded.template,
    });
  });

  it('runs confs/register.yaml idempotently, then refuses models promote without evidence with exit 100', () => {
    const first = run('run', 'confs/register.yaml');
    expect([first.status, first.stdout]).toEqual([
      0,
      'register: 2 prompt(s) and 2 model(s): 3 new version(s), 1 unchanged\n',
    ]);
    const again = run('run', 'confs/register.yaml');
    expect([again.status, again.stdout]).toEqual([
      0,
      'register: 2 prompt(s) and 2 model(s): 0 new version(s), 4 unchanged\n',
    ]);
    const promote = run('models', 'promote', 'support-rag', '2');
    expect(promote.status).toBe(100);
    expect(promote.stderr).toContain(
      'missing evidence:\n  - no evaluation of support-rag/2 on dataset "support-qa" was found\n',
    );
    const forced = run('models', 'promote', 'support-rag', '1', '--force', '--reason', 'bootstrap');
    // Without evidence every criterion of the shipped policy fails; the force is audited all the same.
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(
      /^force-promoted model support-rag version 1 to champion; policy "default" refused it \(\d+ criteria failed\)\n$/,
    );
    const audit = JSON.parse(run('--json', 'models', 'audit', 'support-rag').stdout);
    expect(
      audit.map((entry: { alias: string; toVersion: number; action: string }) => [
        entry.alias,
        entry.toVersion,
        entry.action,
      ]),
    ).toEqual([
      ['challenger', 2, 'set'],
      ['champion', 1, 'force-promote'],
    ]);
    expect(run('models', 'list').stdout).toBe(
      'NAME         LATEST  ALIASES\nsupport-rag  2       challenger=2, champion=1\n',
    );
  });
});
