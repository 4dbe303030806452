import { resolve } from 'node:path';
import { ensureMlflowVenv, startMlflowServer } from '../testing/index.js';
import type { MlflowServer } from '../testing/index.js';
import { postgresUriVariable, sqliteUriVariable, workspaceRootVariable } from './mlflow-backends.js';

/** Servers started here, stopped by the global teardown (same Node context). */
export interface IntegrationGlobals {
  llmopsMlflowServers?: MlflowServer[];
}

/**
 * Installs the MLflow venv if needed, then starts one MLflow server on SQLite and one on
 * PostgreSQL and passes their URIs to the specs through environment variables.
 * Fails the suite with the server's reason when one cannot start.
 */
export default async function globalSetup(_globalConfig: unknown, projectConfig: { rootDir: string }): Promise<void> {
  const workspaceRoot = resolve(projectConfig.rootDir, '..', '..');
  await ensureMlflowVenv({ workspaceRoot });
  const started = await Promise.allSettled([
    startMlflowServer({ workspaceRoot, backend: 'sqlite', installVenv: false }),
    startMlflowServer({ workspaceRoot, backend: 'postgresql', installVenv: false }),
  ]);
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures = started.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
  if (failures.length > 0) {
    await Promise.all(servers.map((server) => server.stop()));
    throw new Error(`MLflow integration setup failed:\n${failures.map((failure) => failure.message).join('\n\n')}`);
  }
  (globalThis as IntegrationGlobals).llmopsMlflowServers = servers;
  process.env[sqliteUriVariable] = (servers[0] as MlflowServer).trackingUri;
  process.env[postgresUriVariable] = (servers[1] as MlflowServer).trackingUri;
  process.env[workspaceRootVariable] = workspaceRoot;
}
