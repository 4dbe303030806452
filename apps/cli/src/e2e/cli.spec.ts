import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLlmops } from './run-cli.js';

const workdir = mkdtempSync(join(tmpdir(), 'llmops-cli-'));
function conf(name: string, text: string): string {
  writeFileSync(join(workdir, name), text);
  return name;
}
const run = (...args: string[]) => runLlmops(args, { cwd: workdir });

describe('llmops (built bin)', () => {
  it('prints help listing the run command, and its version', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: llmops/);
    expect(help.stdout).toMatch(/\n {2}run \[options\] <confs\.\.\.>/);
    expect(help.stdout).toMatch(/--store <uri>/);
    const version = run('--version');
    expect([version.status, version.stdout.trim()]).toEqual([0, '0.1.0']);
  });

  it('runs a doctor job and opens the default embedded store', () => {
    const result = run('run', conf('doctor.yaml', 'job:\n  kind: doctor\n'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^doctor: node=24\.\d+\.\d+ store=sqlite:\.llmops\/llmops\.db /);
    expect(result.stdout).toContain(`storeFile=${join(workdir, '.llmops', 'llmops.db')}`);
  });

  it('prints JSON with --json and honours --store', () => {
    const result = run(
      '--json',
      '--store',
      'sqlite:other/x.db',
      '--create',
      'run',
      conf('doctor-json.yaml', 'job:\n  kind: doctor\n'),
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: 'doctor',
      data: { store: 'sqlite:other/x.db', storeFile: join(workdir, 'other', 'x.db') },
    });
  });

  it('runs a pipeline of jobs, showing progress on stderr', () => {
    const result = run(
      'run',
      conf(
        'pipe.yaml',
        'job:\n  kind: pipeline\n  jobs:\n    - kind: doctor\n    - kind: doctor\n      checkStore: false\n',
      ),
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('pipeline: 2 job(s): doctor -> doctor');
    expect(result.stderr).toContain('[2/2] doctor: ');
    expect(result.stdout).toBe('pipeline: 2 job(s) done\n');
  });

  it('rejects an unknown job kind with exit 2, listing the known kinds', () => {
    const result = run('run', conf('unknown.yaml', 'job:\n  kind: deploy-to-mars\n'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^error: unknown\.yaml:2: job\.kind: unknown job kind "deploy-to-mars"; known kinds: [a-z, -]*\bdoctor, [a-z, -]*\bpipeline\b/,
    );
  });

  it('finds an unknown kind nested in a pipeline before running anything', () => {
    const result = run(
      'run',
      conf('nested.yaml', 'job:\n  kind: pipeline\n  jobs:\n    - kind: doctor\n    - kind: nope\n'),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^error: nested\.yaml:5: job\.jobs\[1\]\.kind: unknown job kind "nope"; known kinds: [a-z, -]*\bdoctor\b/,
    );
    expect(result.stderr).not.toContain('[1/2]');
  });

  it('names file and line of a YAML syntax error, with exit 2', () => {
    const result = run('run', conf('broken.yaml', 'job:\n  kind: doctor\n   extra: [\n'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: broken\.yaml:2:9: YAML syntax error: Nested mappings are not allowed/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a missing conf file, with exit 2', () => {
    const result = run('run', 'missing.yaml');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: config file missing.yaml not found\n');
  });

  it('applies -e overrides and names the override when it is wrong', () => {
    const file = conf('over.yaml', 'job:\n  kind: doctor\n');
    expect(run('run', file, '-e', 'job.checkStore=false').status).toBe(0);
    const bad = run('run', file, '-e', 'job.checkStore=maybe');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'error: -e job.checkStore=maybe: job.checkStore: Invalid input: expected boolean, received string\n',
    );
    expect(run('run', file, '-e', 'nokey').stderr).toBe('error: override "nokey" is not of the form key.path=value\n');
  });

  it('rejects an unknown key, a bad store URI and unknown commands with exit 2', () => {
    const typo = run('run', conf('typo.yaml', 'job:\n  kind: doctor\n  chekStore: true\n'));
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^error: typo\.yaml:3: job\.chekStore: Unrecognized key: "chekStore"/);
    const store = run('--store', 'postgres://db', 'run', 'typo.yaml');
    expect([store.status, store.stderr]).toEqual([
      2,
      'error: store "postgres://db" is neither sqlite:<path> nor an http(s):// MLflow tracking URI\n',
    ]);
    expect(run('launch').status).toBe(2);
    expect(run('run').stderr).toContain("missing required argument 'confs'");
  });

  it('reports runtime failures with exit 1, and the cause chain only with --verbose', () => {
    writeFileSync(join(workdir, 'not-a-dir'), 'x');
    const file = conf('store-fail.yaml', 'job:\n  kind: doctor\n');
    const plain = run('--store', 'sqlite:not-a-dir/x.db', 'run', file);
    expect(plain.status).toBe(1);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).toMatch(/^error: store sqlite:not-a-dir\/x\.db cannot be opened at /);
    const verbose = run('--verbose', '--store', 'sqlite:not-a-dir/x.db', 'run', file);
    expect(verbose.stderr).toMatch(/\n {2}caused by Error: EEXIST/);
    expect(verbose.stderr).not.toMatch(/\n\s+at /);
  });
});
