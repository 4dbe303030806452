import { spawn } from 'node:child_process';
import { childEnv, llmopsBin } from './run-cli.js';
import { exited, registeredWorkspace } from './serving-workspace.js';

describe('llmops ui names itself in every line it prints (built bin)', () => {
  it('prints its start-up warnings as `llmops ui`, not as `llmops serve`', async () => {
    const workdir = registeredWorkspace();
    const child = spawn(process.execPath, [llmopsBin, 'ui', '--port', '0'], { cwd: workdir, env: childEnv(undefined) });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`llmops ui did not start within 30 s: ${stderr}`)), 30_000);
      child.stderr.on('data', (text: string) => {
        stderr += text;
        // The warnings follow the line that says where the console is, so once a warning is out the start is done.
        if (/: warning: /.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const warnings = stderr.split('\n').filter((line) => line.includes(': warning: '));
    expect(warnings.length).toBeGreaterThan(0);
    for (const line of warnings) expect(line.startsWith('llmops ui: warning: ')).toBe(true);
    expect(stderr).not.toContain('llmops serve');
  });
});
