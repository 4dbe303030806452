import { runCli } from './program.js';

/** The help `llmops <argv>` prints, and its exit code. */
async function helpOf(argv: readonly string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli({
    argv,
    version: '0.0.0',
    io: { stdout: (text) => (stdout += text), stderr: () => undefined, env: {}, cwd: '.', interactive: false },
  });
  return { code, stdout };
}

describe('llmops help lists each command with its own arguments', () => {
  it('shows `eval run` with its options only, not the arguments of the top-level `run`', async () => {
    const { code, stdout } = await helpOf(['eval', '--help']);
    expect(code).toBe(0);
    const runLine = stdout.split('\n').find((line) => line.trim().startsWith('run '));
    expect(runLine).toBeDefined();
    expect(runLine).not.toContain('<confs...>');
    expect(stdout).toContain('compare [options] <runA> <runB>');
  });

  it('still shows the top-level `run` with its conf files in the root help', async () => {
    const { code, stdout } = await helpOf(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('run [options] <confs...>');
  });
});
