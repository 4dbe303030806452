import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { llmopsBin, runLlmops } from './run-cli.js';

const workdir = mkdtempSync(join(tmpdir(), 'llmops-cli-ux-'));
mkdirSync(join(workdir, 'confs'));
writeFileSync(join(workdir, 'confs', 'pipeline.yaml'), 'job:\n  kind: doctor\n');
writeFileSync(join(workdir, 'confs', 'promote.yaml'), 'job:\n  kind: doctor\n');
const passage = 'Annual subscriptions can be refunded in full if you cancel within 14 days of the purchase date.';
writeFileSync(
  join(workdir, 'recorded.jsonl'),
  [
    {
      id: 'a1',
      input: 'Can annual subscriptions be refunded?',
      output: `${passage} [1]`,
      retrieval_context: [passage],
    },
    {
      id: 'u1',
      input: 'Who is the CEO?',
      output: "I don't know based on the provided context.",
      retrieval_context: [],
    },
  ]
    .map((example) => JSON.stringify(example))
    .join('\n'),
);
writeFileSync(join(workdir, 'gates.yaml'), 'gates:\n  - harmful_rate == 0\n');
writeFileSync(
  join(workdir, 'two-steps.yaml'),
  'job:\n  kind: pipeline\n  jobs:\n    - kind: doctor\n    - kind: doctor\n',
);
const run = (args: readonly string[], env?: Record<string, string>) =>
  runLlmops(args, { cwd: workdir, ...(env ? { env } : {}) });
const escape = '\u001b[';

/** Whether a command is on the PATH. */
function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** The words the bash completion script offers for a command line typed so far (the last word being completed). */
function bashCompletions(script: string, typed: readonly string[]): string[] {
  const words = typed.map((word) => `'${word}'`).join(' ');
  const program = `source "$1"\nCOMP_WORDS=(${words})\nCOMP_CWORD=${typed.length - 1}\n_llmops\nprintf '%s\\n' "\${COMPREPLY[@]}"\n`;
  const file = join(workdir, 'llmops.bash');
  writeFileSync(file, script);
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program, 'bash', file], {
    cwd: workdir,
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('llmops completion (built bin)', () => {
  const bash = run(['completion', 'bash']);

  it('prints a bash script that completes commands, subcommands, options and conf files in a real bash', () => {
    expect(bash.status).toBe(0);
    expect(bash.stdout).toContain('complete -o default -F _llmops llmops');
    expect(bashCompletions(bash.stdout, ['llmops', 'mo'])).toEqual(['models', 'monitor']);
    expect(bashCompletions(bash.stdout, ['llmops', 'models', 'pro'])).toEqual(['promote']);
    expect(bashCompletions(bash.stdout, ['llmops', '--json', 'eval', 'l'])).toEqual(['list']);
    expect(bashCompletions(bash.stdout, ['llmops', 'prompts', 'alias', ''])).toEqual(['set', 'delete', '--help']);
    expect(bashCompletions(bash.stdout, ['llmops', 'models', 'promote', '--f'])).toEqual(['--force']);
    expect(bashCompletions(bash.stdout, ['llmops', 'run', ''])).toEqual(
      expect.arrayContaining(['confs/pipeline.yaml', 'confs/promote.yaml']),
    );
    expect(bashCompletions(bash.stdout, ['llmops', 'run', 'confs/pi'])).toEqual(['confs/pipeline.yaml']);
    expect(bashCompletions(bash.stdout, ['llmops', 'nothing-like-this'])).toEqual([]);
  });

  it('prints a zsh script (checked by zsh -n when zsh is installed)', () => {
    const zsh = run(['completion', 'zsh']);
    expect(zsh.status).toBe(0);
    expect(zsh.stdout.startsWith('#compdef llmops\n')).toBe(true);
    expect(zsh.stdout).toContain('"llmops models") candidates=(register list show promote rollback audit --help) ;;');
    expect(zsh.stdout).toContain('compdef _llmops llmops');
    if (installed('zsh')) {
      const file = join(workdir, '_llmops');
      writeFileSync(file, zsh.stdout);
      expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
    }
  });

  it('prints a fish script (checked by fish --no-execute when fish is installed)', () => {
    const fish = run(['completion', 'fish']);
    expect(fish.status).toBe(0);
    expect(fish.stdout).toContain('function __llmops_path');
    expect(fish.stdout).toContain(
      `complete -c llmops -n 'test (__llmops_path) = '\\''llmops models'\\''' -a promote -d 'move an alias (champion)`,
    );
    expect(fish.stdout).toContain(`complete -c llmops -n 'test (__llmops_path) = '\\''llmops'\\''' -l quiet`);
    if (installed('fish')) {
      const file = join(workdir, 'llmops.fish');
      writeFileSync(file, fish.stdout);
      expect(spawnSync('fish', ['--no-execute', file], { encoding: 'utf8' }).stderr).toBe('');
    }
  });

  it('refuses a shell it does not know with exit 2', () => {
    const result = run(['completion', 'powershell']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: shell "powershell" is not supported; expected one of bash, zsh, fish\n');
  });
});

describe('colour, --quiet and where output goes (built bin)', () => {
  let runId = '';

  it('colours nothing when stdout is not a terminal, and colours with FORCE_COLOR=1', () => {
    const plain = run([
      'eval',
      'run',
      '--recorded',
      '--dataset',
      'recorded.jsonl',
      '--gate',
      'gates.yaml',
      '--name',
      'smoke-check',
    ]);
    expect(plain.status).toBe(0);
    expect(plain.stdout + plain.stderr).not.toContain(escape);
    expect(plain.stdout).toContain('gate: PASSED');
    runId = /^evaluation ([0-9a-f]{32})/.exec(plain.stdout)?.[1] ?? '';
    expect(runId).not.toBe('');

    const forced = run(['eval', 'run', '--recorded', '--dataset', 'recorded.jsonl', '--gate', 'gates.yaml'], {
      FORCE_COLOR: '1',
    });
    expect(forced.stdout).toContain(`gate: ${escape}32mPASSED${escape}39m`);
    const error = run(['models', 'show', 'missing-model'], { FORCE_COLOR: '1' });
    expect(error.status).toBe(2);
    expect(error.stderr.startsWith(`${escape}31merror:${escape}39m `)).toBe(true);
  });

  it('never colours --json or with NO_COLOR, even with FORCE_COLOR', () => {
    const json = run(['--json', 'eval', 'list'], { FORCE_COLOR: '1' });
    expect(json.stdout).not.toContain(escape);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    const noColor = run(['models', 'show', 'missing-model'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(noColor.stderr.startsWith('error: ')).toBe(true);
  });

  it('colours on a real terminal, unless NO_COLOR is set', () => {
    if (!installed('script')) return;
    const onTerminal = (env: Record<string, string>) =>
      spawnSync('script', ['-qec', `"${process.execPath}" "${llmopsBin}" models show missing-model`, '/dev/null'], {
        cwd: workdir,
        env: { PATH: process.env['PATH'] ?? '', HOME: workdir, ...env },
        encoding: 'utf8',
      }).stdout;
    expect(onTerminal({})).toContain(`${escape}31merror:`);
    const noColor = onTerminal({ NO_COLOR: '1' });
    expect(noColor).toContain('error: model "missing-model"');
    expect(noColor).not.toContain(escape);
  });

  it('keeps results on stdout and drops progress from stderr with --quiet, but not errors', () => {
    const loud = run(['eval', 'run', '--recorded', '--dataset', 'recorded.jsonl']);
    expect(loud.stderr).toContain('2/2 (100%)');
    const quiet = run(['--quiet', 'eval', 'run', '--recorded', '--dataset', 'recorded.jsonl']);
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/^evaluation [0-9a-f]{32} finished/);
    const failing = run(['--quiet', 'models', 'show', 'missing-model']);
    expect(failing.status).toBe(2);
    expect(failing.stderr).toMatch(/^error: /);
  });

  it('prints one line per pipeline step in logs, and on a terminal the step as it starts too', () => {
    const logged = run(['run', 'two-steps.yaml']);
    expect(logged.status).toBe(0);
    const steps = logged.stderr.split('\n').filter((line) => line.startsWith('['));
    expect(steps).toEqual([
      expect.stringMatching(/^\[1\/2\] doctor: node=.* \(\d+\.\d s\)$/),
      expect.stringMatching(/^\[2\/2\] doctor: node=.* \(\d+\.\d s\)$/),
    ]);
    if (!installed('script')) return;
    const onTerminal = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${llmopsBin}" run two-steps.yaml`, '/dev/null'],
      {
        cwd: workdir,
        env: { PATH: process.env['PATH'] ?? '', HOME: workdir, NO_COLOR: '1' },
        encoding: 'utf8',
      },
    ).stdout;
    const shown = onTerminal.split(/\r?\n/).filter((line) => line.startsWith('['));
    expect(shown.map((line) => line.replace(/: .*$/, ': …'))).toEqual([
      '[1/2] doctor',
      '[1/2] doctor: …',
      '[2/2] doctor',
      '[2/2] doctor: …',
    ]);
  });

  it('lists evaluation runs as a table with a header, ids and names', () => {
    const listed = run(['eval', 'list', '--limit', '50']);
    expect(listed.status).toBe(0);
    expect(listed.stderr).toBe('');
    const [header, ...rows] = listed.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +NAME +STARTED \(UTC\) +STATUS +TARGET +DATASET +EXAMPLES +GATE$/);
    const row = rows.find((line) => line.startsWith(runId));
    expect(row).toMatch(
      new RegExp(
        `^${runId}  smoke-check +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  finished  recorded \\(recorded in the dataset\\)  recorded  2/2 +passed$`,
      ),
    );
  });

  it("shows examples in a command's --help", () => {
    const help = run(['eval', 'compare', '--help']);
    expect(help.stdout).toContain('\nExamples:\n  llmops eval compare previous latest\n');
  });
});
