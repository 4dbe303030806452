import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { lastLines, runProcess } from './run-process.js';

/** Where the MLflow virtualenv of a workspace lives and its executables. */
export interface MlflowVenvPaths {
  /** `<workspace>/.venv-mlflow`. */
  directory: string;
  /** The venv's python. */
  python: string;
  /** The venv's `mlflow` command. */
  mlflow: string;
  /** `tools/mlflow/setup-venv.sh`, which creates and fills the venv. */
  setupScript: string;
}

/** The paths of the MLflow virtualenv of the workspace at `workspaceRoot`. */
export function mlflowVenvPaths(workspaceRoot: string): MlflowVenvPaths {
  const directory = join(workspaceRoot, '.venv-mlflow');
  return {
    directory,
    python: join(directory, 'bin', 'python'),
    mlflow: join(directory, 'bin', 'mlflow'),
    setupScript: join(workspaceRoot, 'tools', 'mlflow', 'setup-venv.sh'),
  };
}

/**
 * The environment MLflow processes run with: the caller's, with MLflow's telemetry off (tests
 * never call the internet) and Python's output unbuffered.
 */
export function mlflowProcessEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true', PYTHONUNBUFFERED: '1', ...extra };
}

/**
 * Makes sure `<workspace>/.venv-mlflow` holds tools/mlflow/requirements.txt (installs it the first
 * time, a few minutes; returns at once when the requirements hash is unchanged).
 * @throws LlmopsError `unavailable` with the last lines of the installer's output when it fails.
 */
export async function ensureMlflowVenv(options: {
  workspaceRoot: string;
  timeoutMs?: number;
}): Promise<MlflowVenvPaths> {
  const paths = mlflowVenvPaths(options.workspaceRoot);
  if (!existsSync(paths.setupScript)) {
    throw new LlmopsError(
      'invalid_input',
      `workspaceRoot "${options.workspaceRoot}" has no tools/mlflow/setup-venv.sh; pass the llmops workspace root`,
    );
  }
  const result = await runProcess({
    command: 'bash',
    args: [paths.setupScript, options.workspaceRoot],
    cwd: options.workspaceRoot,
    env: process.env,
    timeoutMs: options.timeoutMs ?? 900_000,
  });
  if (result.exitCode !== 0) {
    throw new LlmopsError(
      'unavailable',
      `installing the MLflow virtualenv (${paths.setupScript}) failed with exit code ${result.exitCode}; last lines:\n${lastLines(`${result.stdout}\n${result.stderr}`)}`,
    );
  }
  return paths;
}

/** Options of {@link runMlflowPython}. */
export interface RunMlflowPythonOptions {
  workspaceRoot: string;
  /** The Python source to run (`python -c`). */
  code: string;
  /** Extra environment variables, for example `MLFLOW_TRACKING_URI`. */
  env?: Record<string, string | undefined>;
  /** Default 120 000. */
  timeoutMs?: number;
}

/**
 * Runs a Python snippet with the MLflow venv's python (for interoperability tests) and returns
 * its standard output.
 * @throws LlmopsError `internal` with the last lines of stderr when the snippet fails.
 */
export async function runMlflowPython(options: RunMlflowPythonOptions): Promise<string> {
  const { python } = mlflowVenvPaths(options.workspaceRoot);
  const result = await runProcess({
    command: python,
    args: ['-c', options.code],
    cwd: options.workspaceRoot,
    env: mlflowProcessEnv(options.env),
    timeoutMs: options.timeoutMs,
  });
  if (result.exitCode !== 0) {
    throw new LlmopsError(
      'internal',
      `Python snippet failed with exit code ${result.exitCode}; last lines of stderr:\n${lastLines(result.stderr)}`,
    );
  }
  return result.stdout;
}
