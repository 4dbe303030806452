import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The built `llmops` bin of this workspace. */
export const llmopsBin = join(__dirname, '..', '..', 'bin', 'llmops.js');

/** The result of running the built bin. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a child `llmops` in a test: this process's, without the variables that choose the store or the
 * colour (a developer's or the test runner's own), plus `extra`.
 */
export function childEnv(extra: Record<string, string> | undefined): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  // The store is chosen from these variables too (`llmops config`), and colour from the last two: a developer's
  // (or the test runner's) own must not leak into a test.
  for (const name of ['LLMOPS_STORE', 'MLFLOW_TRACKING_URI', 'NO_COLOR', 'FORCE_COLOR'])
    if (!extra?.[name]) delete env[name];
  return env;
}

/** Runs the built `llmops` bin with the test's own Node (24) in `cwd`, as a user would. */
export function runLlmops(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): CliRun {
  const env = childEnv(options.env);
  const result = spawnSync(process.execPath, [llmopsBin, ...args], {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Like {@link runLlmops} but without blocking the test's event loop, for runs that talk to a server
 * started inside the test.
 */
export function runLlmopsAsync(
  args: readonly string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    /** Killed after this long; 60 s by default. */ timeoutMs?: number;
  },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [llmopsBin, ...args], { cwd: options.cwd, env: childEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
