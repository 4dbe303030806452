import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigDocument } from '@llmops/kernel';
import { runLlmops } from './run-cli.js';

// Every case spawns the built bin several times; on a busy 2-core machine that takes seconds.
jest.setTimeout(120_000);

const workspaceConfs = join(__dirname, '..', '..', '..', '..', 'confs');

/** A fresh folder with the shipped confs, as a user's checkout would have. */
function workspace(): string {
  const directory = mkdtempSync(join(tmpdir(), 'llmops-registry-cli-'));
  for (const part of ['register.yaml', 'promote.yaml', 'promotion-policy.yaml', 'pipeline.yaml', 'prompts', 'models']) {
    cpSync(join(workspaceConfs, part), join(directory, 'confs', part), { recursive: true });
  }
  return directory;
}

function runner(cwd: string) {
  return (...args: string[]) => runLlmops(args, { cwd, env: { LLMOPS_ACTOR: 'e2e' } });
}

describe('llmops registry commands (built bin)', () => {
  it('registers the shipped confs idempotently, and refuses promotion without evidence with exit 100', () => {
    const run = runner(workspace());
    const first = run('run', 'confs/register.yaml');
    expect([first.status, first.stdout]).toEqual([
      0,
      'register: 2 prompt(s) and 2 model(s): 4 new version(s), 0 unchanged\n',
    ]);
    expect(first.stderr).toContain('model support-rag: version 2 registered (confs/models/support-rag-improved.yaml)');
    const again = run('--json', 'run', 'confs/register.yaml');
    expect(again.status).toBe(0);
    expect(
      JSON.parse(again.stdout).data.map((entry: { name: string; version: number; created: boolean }) => [
        entry.name,
        entry.version,
        entry.created,
      ]),
    ).toEqual([
      ['support-answer', 1, false],
      ['support-answer-grounded', 1, false],
      ['support-rag', 1, false],
      ['support-rag', 2, false],
    ]);
    const promote = run('models', 'promote', 'support-rag', '2');
    expect(promote.status).toBe(100);
    expect(promote.stderr).toMatch(
      /^error: promotion of support-rag\/2 to "champion" refused by policy "default": 20 of 28 criteria failed\n/,
    );
    expect(promote.stderr).toContain('  - on support-qa: contextual_relevancy.mean >= 0.9: no evidence\n');
    expect(promote.stderr).toContain(
      'missing evidence:\n  - no evaluation of support-rag/2 on dataset "support-qa" was found\n' +
        '  - no evaluation of support-rag/2 on dataset "manual-qa" was found\n',
    );
    const job = run('--json', 'run', 'confs/promote.yaml');
    expect(job.status).toBe(100);
    const error = JSON.parse(job.stderr).error;
    expect(error.code).toBe('gate_failed');
    expect(error.details.missingEvidence).toEqual([
      'no evaluation of support-rag/2 on dataset "support-qa" was found',
      'no evaluation of support-rag/2 on dataset "manual-qa" was found',
    ]);
    expect(error.details.outcomes.filter((outcome: { passed: boolean }) => !outcome.passed)).toHaveLength(20);
    const show = JSON.parse(run('--json', 'models', 'show', 'support-rag@challenger').stdout);
    expect(show).toMatchObject({ name: 'support-rag', version: 2, aliases: ['challenger'], evidence: [] });
    expect(show.spec.pipeline).toEqual({
      kind: 'rag',
      prompt: 'support-answer-grounded/1',
      corpus: 'confs/data/kb/',
      tokenBudget: 1500,
      retrieval: {
        chunking: { strategy: 'structure', maxTokens: 160, overlapTokens: 0 },
        candidates: 50,
        k: 5,
        rerank: 'lexical',
        compress: { enabled: true, method: 'support', keepRatio: 0.55 },
      },
    });
    expect(show.spec.provider).toEqual({ provider: 'offline', model: 'extractive', minSupport: 0.4 });
    expect(show.lineage.source).toMatchObject({ file: 'confs/models/support-rag-improved.yaml' });
  });

  it('refuses a model spec with a retrieval setting serving cannot serve, or an unknown provider, with exit 2', () => {
    const cwd = workspace();
    const run = runner(cwd);
    expect(run('prompts', 'register', 'answer', '--template-file', 'confs/prompts/support-answer.txt').status).toBe(0);
    const spec = (lines: string) =>
      `name: bot\nprovider: offline/extractive\npipeline:\n  kind: rag\n  prompt: answer\n  corpus: confs/data/kb/\n${lines}`;
    writeFileSync(join(cwd, 'tiny-budget.yaml'), spec('  retrieval:\n    k: 2\n  tokenBudget: 1\n'));
    const tiny = run('models', 'register', '--file', 'tiny-budget.yaml');
    expect([tiny.status, tiny.stdout]).toEqual([2, '']);
    expect(tiny.stderr).toBe(
      'error: tiny-budget.yaml:9: pipeline.tokenBudget: expected at least 16 tokens: a smaller context holds no passage\n',
    );
    writeFileSync(join(cwd, 'no-passages.yaml'), spec('  retrieval:\n    k: 0\n'));
    const none = run('models', 'register', '--file', 'no-passages.yaml');
    expect([none.status, none.stderr]).toEqual([
      2,
      'error: no-passages.yaml:8: pipeline.retrieval.k: Too small: expected number to be >=1\n',
    ]);
    writeFileSync(join(cwd, 'elsewhere.yaml'), spec('').replace('offline/extractive', 'anthropic/claude'));
    const unknown = run('models', 'register', '--file', 'elsewhere.yaml');
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      'error: model spec elsewhere.yaml: provider: unknown provider "anthropic"; known providers: offline, openai\n',
    ]);
    expect(run('models', 'list').stdout).toBe('no models registered\n');
  });

  it('refuses a spec whose provider key is the admin token or a key bound to other hosts, with exit 2 naming the field', () => {
    const cwd = workspace();
    const run = (args: string[], env: Record<string, string>) =>
      runLlmops(args, { cwd, env: { LLMOPS_ACTOR: 'e2e', ...env } });
    writeFileSync(join(cwd, 'plain.txt'), 'You are helpful.\n');
    expect(run(['prompts', 'register', 'plain', '--template-file', 'plain.txt'], {}).status).toBe(0);
    const spec = (baseUrl: string, apiKeyEnv: string) =>
      `name: leak\nprovider:\n  provider: openai\n  model: gpt-4o-mini\n  baseUrl: ${baseUrl}\n  apiKeyEnv: ${apiKeyEnv}\npipeline:\n  kind: chat\n  prompt: plain\n`;
    writeFileSync(join(cwd, 'admin.yaml'), spec('http://127.0.0.1:9/v1', 'LLMOPS_ADMIN_TOKEN'));
    const admin = run(['models', 'register', '--file', 'admin.yaml'], {
      LLMOPS_ADMIN_TOKEN: 'admin-token-never-echoed',
    });
    expect([admin.status, admin.stdout]).toEqual([2, '']);
    expect(admin.stderr).toBe(
      'error: model spec admin.yaml: provider: apiKeyEnv: LLMOPS_ADMIN_TOKEN holds a secret of the deployment itself (admin token, store or collector credentials) and can never be sent to a provider\n',
    );
    writeFileSync(join(cwd, 'elsewhere.yaml'), spec('http://capture.example:9/v1', 'OPENAI_API_KEY'));
    const elsewhere = run(['models', 'register', '--file', 'elsewhere.yaml'], { OPENAI_API_KEY: 'sk-never-echoed' });
    expect([elsewhere.status, elsewhere.stderr]).toEqual([
      2,
      'error: model spec elsewhere.yaml: provider: apiKeyEnv: OPENAI_API_KEY may be sent only to api.openai.com (declared by built-in), not to capture.example:9\n',
    ]);
    expect(`${admin.stderr}${elsewhere.stderr}`).not.toMatch(/never-echoed/);
    expect(run(['models', 'list'], {}).stdout).toBe('no models registered\n');
  });

  it('registers, shows, aliases and audits prompts', () => {
    const cwd = workspace();
    const run = runner(cwd);
    writeFileSync(join(cwd, 'greet.txt'), 'Hello {{name}}, welcome to {{team}}.');
    const registered = run(
      'prompts',
      'register',
      'greet',
      '--template-file',
      'greet.txt',
      '--message',
      'first',
      '--alias',
      'prod',
    );
    expect([registered.status, registered.stdout]).toEqual([
      0,
      'registered prompt greet version 1 (variables: name, team)\nalias prod of prompt greet: - -> 1\n',
    ]);
    writeFileSync(join(cwd, 'greet.txt'), 'Hi {{name}}.');
    expect(run('prompts', 'register', 'greet', '--template-file', 'greet.txt').stdout).toBe(
      'registered prompt greet version 2 (variables: name)\n',
    );
    expect(run('prompts', 'register', 'greet', '--template-file', 'greet.txt').stdout).toBe(
      'prompt greet unchanged: version 2 has this template\n',
    );
    const shown = JSON.parse(run('--json', 'prompts', 'show', 'greet@prod').stdout);
    expect(shown).toMatchObject({
      name: 'greet',
      version: 1,
      template: 'Hello {{name}}, welcome to {{team}}.',
      variables: ['name', 'team'],
      aliases: ['prod'],
      message: 'first',
      author: 'e2e',
    });
    expect(run('prompts', 'show', 'greet').stdout).toMatch(
      /^prompt greet version 2\ncreated \S+ by e2e\nvariables: name\ncontent hash: sha256:[0-9a-f]{64}\n\nHi \{\{name\}\}\.\n$/,
    );
    expect(run('prompts', 'alias', 'set', 'greet', 'prod', '2', '--reason', 'shorter').stdout).toBe(
      'alias prod of prompt greet: 1 -> 2\n',
    );
    expect(run('prompts', 'alias', 'delete', 'greet', 'prod').stdout).toBe(
      'alias prod of prompt greet deleted (was 2)\n',
    );
    expect(run('prompts', 'list').stdout).toBe('NAME   LATEST  ALIASES\ngreet  2       -\n');
    const audit = JSON.parse(run('--json', 'prompts', 'audit', 'greet').stdout);
    expect(
      audit.map((entry: { fromVersion: number | null; toVersion: number | null; action: string; reason: string }) => [
        entry.fromVersion,
        entry.toVersion,
        entry.action,
        entry.reason,
      ]),
    ).toEqual([
      [null, 1, 'set', 'set at registration of version 1'],
      [1, 2, 'set', 'shorter'],
      [2, null, 'delete', ''],
    ]);
  });

  it('registers a chat prompt from YAML and models from spec files; forces, rolls back and audits promotions', () => {
    const run = runner(workspace());
    expect(
      run('prompts', 'register', 'support-answer', '--template-file', 'confs/prompts/support-answer.txt').status,
    ).toBe(0);
    const chat = JSON.parse(
      run(
        '--json',
        'prompts',
        'register',
        'support-answer-grounded',
        '--template-file',
        'confs/prompts/support-answer-grounded.yaml',
      ).stdout,
    );
    expect(chat).toMatchObject({ version: 1, created: true, variables: ['context', 'question'] });
    const baseline = run('models', 'register', '--file', 'confs/models/support-rag-baseline.yaml');
    expect([baseline.status, baseline.stdout]).toEqual([
      0,
      'registered model support-rag version 1 (prompt support-answer/1)\n',
    ]);
    const improved = JSON.parse(
      run('--json', 'models', 'register', '--file', 'confs/models/support-rag-improved.yaml', '--alias', 'challenger')
        .stdout,
    );
    expect(improved).toMatchObject({
      name: 'support-rag',
      version: 2,
      created: true,
      aliases: [{ alias: 'challenger', toVersion: 2 }],
    });
    expect(run('models', 'list').stdout).toBe('NAME         LATEST  ALIASES\nsupport-rag  2       challenger=2\n');

    expect(
      run('models', 'promote', 'support-rag', '1', '--force', '--reason', 'bootstrap the first champion').stdout,
    ).toBe(
      'force-promoted model support-rag version 1 to champion; policy "default" refused it (20 criteria failed)\n',
    );
    expect(run('models', 'promote', 'support-rag', '2', '--force', '--reason', 'demo').stdout).toBe(
      'force-promoted model support-rag version 2 to champion (was 1, kept as previous-champion); policy "default" refused it (28 criteria failed)\n',
    );
    expect(run('models', 'rollback', 'support-rag', '--reason', 'demo is over').stdout).toBe(
      'rolled back champion of model support-rag: 2 -> 1\n',
    );
    const rollbackAgain = run('models', 'rollback', 'support-rag');
    expect([rollbackAgain.status, rollbackAgain.stderr]).toEqual([
      2,
      'error: model "support-rag" has no alias "previous-champion", so there is nothing to roll "champion" back to; a promotion sets it\n',
    ]);
    const audit = run('models', 'audit', 'support-rag').stdout.split('\n');
    expect(audit[0]).toMatch(/^WHEN\s+ALIAS\s+FROM\s+TO\s+ACTION\s+ACTOR\s+REASON\s+EVIDENCE$/);
    expect(audit.slice(1, -1).map((line) => line.split(/\s{2,}/).slice(1, 7))).toEqual([
      ['challenger', '-', '2', 'set', 'e2e', 'set at registration of version 2'],
      ['champion', '-', '1', 'force-promote', 'e2e', 'bootstrap the first champion'],
      ['champion', '1', '2', 'force-promote', 'e2e', 'demo'],
      ['previous-champion', '-', '1', 'force-promote', 'e2e', 'keeps the champion that version 2 replaced'],
      ['champion', '2', '1', 'rollback', 'e2e', 'demo is over'],
      ['previous-champion', '1', '-', 'rollback', 'e2e', 'demo is over'],
    ]);
    expect(JSON.parse(run('--json', 'models', 'show', 'support-rag@champion').stdout)).toMatchObject({
      version: 1,
      aliases: ['champion'],
    });
  });

  it('honours --store', () => {
    const cwd = workspace();
    const run = runner(cwd);
    writeFileSync(join(cwd, 't.txt'), 'x');
    expect(
      run('--store', 'sqlite:elsewhere/r.db', '--create', 'prompts', 'register', 'p', '--template-file', 't.txt')
        .status,
    ).toBe(0);
    expect(run('prompts', 'list').stdout).toBe('no prompts registered\n');
    expect(run('--store', 'sqlite:elsewhere/r.db', 'prompts', 'list').stdout).toBe(
      'NAME  LATEST  ALIASES\np     1       -\n',
    );
  });

  it('keeps the register job of the quickstart pipeline equal to confs/register.yaml', () => {
    const read = (file: string) => loadConfigDocument({ files: [join(workspaceConfs, file)], env: {} }).value;
    const pipeline = read('pipeline.yaml') as { job: { jobs: Array<{ kind: string }> } };
    const register = read('register.yaml') as { job: unknown };
    expect(pipeline.job.jobs.map((job) => job.kind).slice(0, 2)).toEqual(['doctor', 'register']);
    expect(pipeline.job.jobs[1]).toEqual(register.job);
  });
});

describe('llmops registry commands: bad input (built bin)', () => {
  const cwd = workspace();
  const run = runner(cwd);
  writeFileSync(join(cwd, 't.txt'), 'Q: {{question}}');
  run('prompts', 'register', 'known', '--template-file', 't.txt');

  it.each([
    [
      ['prompts', 'register', 'bad name', '--template-file', 't.txt'],
      'error: prompt name "bad name" has characters outside A-Z a-z 0-9 _ . -; expected 1 to 64 characters of A-Z a-z 0-9 _ . -, not starting with . or -, not a number and not a reserved word (null, true, false…)\n',
    ],
    [['prompts', 'register', 'p', '--template-file', 'missing.txt'], 'error: template file missing.txt not found\n'],
    [
      ['prompts', 'show', 'unknown'],
      /^error: prompt "unknown" not found in sqlite:\.llmops\/llmops\.db; `llmops prompts list` shows what there is\n$/,
    ],
    [['prompts', 'show', 'known@nope'], 'error: alias "nope" of prompt "known" is not set; its aliases: none\n'],
    [['prompts', 'show', 'known/7'], 'error: version 7 of prompt "known" not found; it has versions 1 to 1\n'],
    [['prompts', 'show', 'known@'], /^error: reference "known@": alias after "@" is empty/],
    [
      ['prompts', 'alias', 'set', 'known', 'prod', 'two'],
      'error: version "two" is not a whole number from 1 upwards\n',
    ],
    [['prompts', 'alias', 'set', 'known', 'latest', '1'], /^error: alias "latest" is implicit/],
    [
      ['prompts', 'alias', 'set', 'known', 'prod', '3'],
      'error: version 3 of prompt "known" not found; it has versions 1 to 1\n',
    ],
    [
      ['prompts', 'alias', 'delete', 'known', 'prod'],
      'error: alias "prod" of prompt "known" is not set; nothing to delete\n',
    ],
    [['models', 'show', 'ghost@champion'], /^error: model "ghost" not found/],
    [
      ['models', 'promote', 'ghost', '1'],
      /^error: version 1 of model "ghost" not found|^error: model "ghost" not found/,
    ],
    [
      ['models', 'promote', 'known', '1', '--force'],
      'error: a forced promotion needs a reason (--reason TEXT); it is kept in the audit trail\n',
    ],
    [['models', 'audit', 'known'], /^error: model "known" not found/],
    [
      ['models', 'register', '--file', 'confs/models/support-rag-baseline.yaml', '--alias', 'champion'],
      /^error: alias "champion" of a model moves only through a gated promotion/,
    ],
  ])('llmops %j exits 2 naming what is wrong', (args, expected) => {
    const result = run(...(args as string[]));
    expect(result.status).toBe(2);
    if (typeof expected === 'string') expect(result.stderr).toBe(expected);
    else expect(result.stderr).toMatch(expected);
  });

  it('names the file, line and field of a malformed spec file, with exit 2', () => {
    writeFileSync(
      join(cwd, 'bad-spec.yaml'),
      'name: m\nprovider: offline/extractive\npipeline:\n  kind: rag\n  prompt: known\n  retrieval:\n    k: many\n  corpus: kb\n',
    );
    const result = run('models', 'register', '--file', 'bad-spec.yaml');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'error: bad-spec.yaml:7: pipeline.retrieval.k: Invalid input: expected number, received string\n',
    );
    writeFileSync(
      join(cwd, 'typo-spec.yaml'),
      'name: m\nprovidr: offline/extractive\npipeline: {kind: chat, prompt: known}\n',
    );
    expect(run('models', 'register', '--file', 'typo-spec.yaml').stderr).toBe(
      'error: typo-spec.yaml: provider: expected the chat model as <provider>/<model>, e.g. offline/extractive\n' +
        'typo-spec.yaml:2: providr: Unrecognized key: "providr"\n',
    );
    expect(run('models', 'list').stdout).toBe('no models registered\n');
  });

  it('refuses a bad policy file and a bad register job before writing anything', () => {
    writeFileSync(join(cwd, 'policy.yaml'), 'dataset: golden\ncriteria:\n  - faithfulness ~ 0.9\n');
    const policy = run('models', 'promote', 'known', '1', '--policy', 'policy.yaml');
    expect([policy.status, policy.stderr]).toEqual([
      2,
      'error: policy.yaml:3: criteria[0]: criterion "faithfulness ~ 0.9" is not of the form <metric> <operator> <number>, e.g. "faithfulness.mean >= 0.9" (operators >= > <= < ==)\n',
    ]);
    writeFileSync(
      join(cwd, 'job.yaml'),
      'job:\n  kind: register\n  prompts:\n    - name: fine\n      templateFile: t.txt\n  models:\n    - file: nowhere.yaml\n',
    );
    const job = run('run', 'job.yaml');
    expect([job.status, job.stderr]).toEqual([2, 'error: model spec file nowhere.yaml not found\n']);
    expect(run('prompts', 'show', 'fine').status).toBe(2);
    const empty = run('run', 'confs/register.yaml', '-e', 'job.prompts=[]', '-e', 'job.models=[]');
    expect([empty.status, empty.stderr]).toEqual([
      2,
      'error: confs/register.yaml:5: job: nothing to register; list prompts: and/or models:\n',
    ]);
  });
});
