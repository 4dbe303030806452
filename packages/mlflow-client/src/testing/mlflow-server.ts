import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { findFreePort } from './free-port.js';
import { ensureMlflowVenv, mlflowProcessEnv, mlflowVenvPaths } from './mlflow-venv.js';
import { createPostgresDatabase, dropPostgresDatabase } from './postgres-database.js';
import type { PostgresServer } from './postgres-database.js';
import { lastLines } from './run-process.js';

/** The backend store of a test MLflow server. */
export type MlflowBackend = 'sqlite' | 'postgresql';

/** Options of {@link startMlflowServer}. */
export interface StartMlflowServerOptions {
  /** The llmops workspace root (where `.venv-mlflow/` and `tools/mlflow/` are). */
  workspaceRoot: string;
  /** `sqlite`: a temporary SQLite file. `postgresql`: a fresh database on `postgres`, dropped at stop. */
  backend: MlflowBackend;
  /** The PostgreSQL server for the `postgresql` backend; default 127.0.0.1:5432, user postgres. */
  postgres?: PostgresServer;
  /** Install the venv first if needed (default true). */
  installVenv?: boolean;
  /** How long to wait for `/health`; default 180 000 ms (first start runs MLflow's migrations). */
  startTimeoutMs?: number;
  /** Extra environment variables of the server process. */
  env?: Record<string, string>;
}

/** A running MLflow server started by {@link startMlflowServer}. */
export interface MlflowServer {
  /** `http://127.0.0.1:<port>`. */
  trackingUri: string;
  port: number;
  backend: MlflowBackend;
  /** The backend store URI the server uses (no secrets: trust auth). */
  backendStoreUri: string;
  /** Where `--serve-artifacts` stores artifacts (a temporary folder). */
  artifactsDirectory: string;
  /** The server's combined stdout and stderr. */
  logFile: string;
  /** The server's process id (leader of its own process group); a new one after {@link MlflowServer.restart}. */
  readonly pid: number;
  /** Kills the server's process group with SIGKILL (an outage), keeping its store: {@link MlflowServer.restart} brings it back. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and store (after {@link MlflowServer.kill}, or killing it first), and waits for `/health`. */
  restart(): Promise<void>;
  /** Stops the server (its whole process group), drops the PostgreSQL database and removes the temporary folder. */
  stop(): Promise<void>;
}

const running = new Set<number>();
let exitHookInstalled = false;

/** If the test process exits without stopping its servers, take them down with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
}

function waitForProcessEnd(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Resolves once nothing accepts connections on the loopback port (a connection is refused), or after `timeoutMs`. */
async function waitForPortClosed(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!listening) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  signalGroup('SIGTERM');
  if (!(await waitForProcessEnd(child, 15_000))) signalGroup('SIGKILL');
  // uvicorn's and the job runner's children may outlive the leader by a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  signalGroup('SIGKILL');
  running.delete(pid);
}

async function waitForHealth(options: {
  url: string;
  child: ChildProcess;
  timeoutMs: number;
}): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.child.exitCode !== null || options.child.signalCode !== null) {
      return `the server exited with ${options.child.exitCode ?? options.child.signalCode}`;
    }
    try {
      const response = await fetch(`${options.url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return undefined;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return `the server did not answer GET /health within ${Math.round(options.timeoutMs / 1000)} s`;
}

function readLog(logFile: string): string {
  return existsSync(logFile) ? lastLines(readFileSync(logFile, 'utf8'), 30) : '(no log)';
}

/**
 * Starts `mlflow server --serve-artifacts` from the workspace's venv on a free loopback port, on a
 * temporary SQLite file or a fresh PostgreSQL database, with artifacts in a temporary folder, and
 * waits for `/health`. Telemetry and the job runner are off.
 * @throws LlmopsError `unavailable` with the reason and the last lines of the server log when it does not come up.
 */
export async function startMlflowServer(options: StartMlflowServerOptions): Promise<MlflowServer> {
  const { workspaceRoot, backend } = options;
  if (options.installVenv ?? true) await ensureMlflowVenv({ workspaceRoot });
  const paths = mlflowVenvPaths(workspaceRoot);
  const directory = mkdtempSync(join(tmpdir(), `llmops-mlflow-${backend}-`));
  const artifactsDirectory = join(directory, 'artifacts');
  const logFile = join(directory, 'server.log');

  let databaseName: string | undefined;
  let backendStoreUri: string;
  if (backend === 'postgresql') {
    try {
      const database = await createPostgresDatabase({ workspaceRoot, server: options.postgres });
      databaseName = database.name;
      backendStoreUri = database.uri;
    } catch (error) {
      rmSync(directory, { recursive: true, force: true });
      throw error;
    }
  } else {
    backendStoreUri = `sqlite:///${join(directory, 'mlflow.db')}`;
  }
  const dropDatabase = async () => {
    if (databaseName !== undefined)
      await dropPostgresDatabase({ workspaceRoot, server: options.postgres, name: databaseName });
  };

  const port = await findFreePort();
  const trackingUri = `http://127.0.0.1:${port}`;
  /** Spawns the server on `port` and waits for `/health`; answers why it did not come up, if it did not. */
  const launch = async (): Promise<{ child: ChildProcess; failure: string | undefined }> => {
    const log = openSync(logFile, 'a');
    const launched = spawn(
      paths.mlflow,
      [
        'server',
        '--backend-store-uri',
        backendStoreUri,
        '--serve-artifacts',
        '--artifacts-destination',
        artifactsDirectory,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        '1',
      ],
      {
        cwd: directory,
        env: mlflowProcessEnv({ MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false', ...options.env }),
        stdio: ['ignore', log, log],
        detached: true,
      },
    );
    closeSync(log);
    if (launched.pid !== undefined) running.add(launched.pid);
    installExitHook();
    const spawnError = new Promise<string>((resolve) =>
      launched.once('error', (error) => resolve(`cannot run ${paths.mlflow}: ${error.message}`)),
    );
    const failure = await Promise.race([
      waitForHealth({ url: trackingUri, child: launched, timeoutMs: options.startTimeoutMs ?? 180_000 }),
      spawnError,
    ]);
    return { child: launched, failure };
  };

  const first = await launch();
  let child = first.child;
  const failure = first.failure;
  if (failure !== undefined) {
    await killGroup(child);
    const lines = readLog(logFile);
    await dropDatabase().catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
    throw new LlmopsError(
      'unavailable',
      `MLflow server (${backend}, ${trackingUri}) did not start: ${failure}. Last lines of its log:\n${lines}`,
    );
  }

  let stopped = false;
  const kill = async () => {
    const pid = child.pid;
    if (pid === undefined) return;
    const killGroupNow = () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    };
    killGroupNow();
    await waitForProcessEnd(child, 15_000);
    // The leader's exit is not the port's release: uvicorn in the same group may still hold it for a moment (a
    // test binding the port right after the kill met EADDRINUSE). Kill stragglers, then wait until nothing listens.
    killGroupNow();
    await waitForPortClosed(port, 15_000);
    running.delete(pid);
  };
  return {
    trackingUri,
    port,
    backend,
    backendStoreUri,
    artifactsDirectory,
    logFile,
    get pid() {
      return child.pid as number;
    },
    kill,
    async restart() {
      await kill();
      const again = await launch();
      child = again.child;
      if (again.failure !== undefined)
        throw new LlmopsError(
          'unavailable',
          `MLflow server (${backend}, ${trackingUri}) did not restart: ${again.failure}. Last lines of its log:\n${readLog(logFile)}`,
        );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await killGroup(child);
      try {
        await dropDatabase();
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
