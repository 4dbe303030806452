import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLlmops } from './run-cli.js';

/** The store a command run in a folder would use, as `llmops --json config` says. */
function configIn(cwd: string, env: Record<string, string> = {}) {
  const result = runLlmops(['--json', 'config'], { cwd, env });
  expect([result.status, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout) as { store: string; source: string; reason: string; workspace: unknown };
}

describe('llmops finds its workspace and store', () => {
  let project: string;
  beforeEach(() => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'llmops-workspace-')));
    writeFileSync(join(project, 'llmops.yaml'), '# the llmops workspace\n');
    writeFileSync(join(project, 't.txt'), 'Hello {{name}}');
    mkdirSync(join(project, 'docs', 'notes'), { recursive: true });
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('uses the project store from a subfolder, and never creates a store there', () => {
    expect(runLlmops(['prompts', 'register', 'greeting', '--template-file', 't.txt'], { cwd: project }).status).toBe(0);
    const sub = join(project, 'docs', 'notes');
    const listed = runLlmops(['prompts', 'list'], { cwd: sub });
    expect([listed.status, listed.stdout]).toEqual([0, 'NAME      LATEST  ALIASES\ngreeting  1       -\n']);
    expect(existsSync(join(sub, '.llmops'))).toBe(false);
    expect(configIn(sub)).toMatchObject({
      store: `sqlite:${join(project, '.llmops', 'llmops.db')}`,
      source: 'default',
      workspace: { root: project, marker: 'llmops.yaml' },
    });
    const text = runLlmops(['config'], { cwd: sub });
    expect(text.stdout).toContain(`workspace:  ${project} (llmops.yaml)`);
    expect(text.stdout).toContain(
      'precedence: --store > LLMOPS_STORE > MLFLOW_TRACKING_URI > store: in llmops.yaml > sqlite:.llmops/llmops.db of the workspace',
    );
  });

  it('honours MLFLOW_TRACKING_URI when neither --store nor LLMOPS_STORE is set', () => {
    const mlflow = { MLFLOW_TRACKING_URI: 'http://127.0.0.1:5999' };
    expect(configIn(project, mlflow)).toMatchObject({ store: 'http://127.0.0.1:5999', source: 'MLFLOW_TRACKING_URI' });
    expect(configIn(project, { ...mlflow, LLMOPS_STORE: 'sqlite::memory:' })).toMatchObject({
      store: 'sqlite::memory:',
      source: 'LLMOPS_STORE',
    });
    writeFileSync(join(project, 'doctor.yaml'), 'job:\n  kind: doctor\n');
    const doctor = runLlmops(['run', 'doctor.yaml'], { cwd: project, env: mlflow });
    expect([doctor.status, doctor.stdout]).toEqual([
      0,
      'doctor: node=' +
        process.versions.node +
        ' store=http://127.0.0.1:5999 confs=doctor.yaml storeFrom=MLFLOW_TRACKING_URI\n',
    ]);
  });

  it('refuses a --store in a folder that does not exist (exit 2, naming it) unless --create is given', () => {
    const typo = runLlmops(['--store', 'sqlite:stroe/llmops.db', 'prompts', 'list'], { cwd: project });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe(
      `error: store sqlite:stroe/llmops.db (from --store): folder ${join(project, 'stroe')} does not exist; ` +
        'check the path, create the folder, or pass --create to start a new store there\n',
    );
    expect(existsSync(join(project, 'stroe'))).toBe(false);
    const created = runLlmops(['--store', 'sqlite:stroe/llmops.db', '--create', 'prompts', 'list'], { cwd: project });
    expect([created.status, created.stdout]).toEqual([0, 'no prompts registered\n']);
  });
});
