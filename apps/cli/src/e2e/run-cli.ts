import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The built `llmops` bin of this workspace. */
export const llmopsBin = join(__dirname, '..', '..', 'bin', 'llmops.js');

/** The result of running the built bin. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `llmops` bin with the test's own Node (24) in `cwd`, as a user would. */
export function runLlmops(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): CliRun {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (!options.env?.['LLMOPS_STORE']) delete env['LLMOPS_STORE'];
  const result = spawnSync(process.execPath, [llmopsBin, ...args], {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
