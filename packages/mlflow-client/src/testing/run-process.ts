import { spawn } from 'node:child_process';
import { LlmopsError } from '@llmops/kernel';

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  command: string;
  args: string[];
  cwd?: string;
  /** The whole environment of the child (not merged). */
  env?: NodeJS.ProcessEnv;
  /** Kills the child after this many milliseconds; default 120 000. */
  timeoutMs?: number;
  /** Written to the child's standard input, which is then closed. */
  input?: string;
}

/** What a finished child process printed and how it ended. */
export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The last `count` non-empty lines of a text, for error messages. */
export function lastLines(text: string, count = 25): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}

/**
 * Runs a command to completion and collects its output (never printed).
 * @throws LlmopsError `unavailable` when it cannot be started, `timeout` when it outlives `timeoutMs`.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new LlmopsError('unavailable', `cannot run ${options.command}: ${error.message}`, { cause: error }));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const result = {
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (timedOut) {
        reject(
          new LlmopsError(
            'timeout',
            `${options.command} ${options.args[0] ?? ''} did not finish within ${timeoutMs} ms; last output:\n${lastLines(result.stderr || result.stdout)}`,
          ),
        );
        return;
      }
      resolve(result);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
