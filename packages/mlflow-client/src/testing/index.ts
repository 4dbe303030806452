export { startMlflowServer } from './mlflow-server.js';
export type { MlflowServer, MlflowBackend, StartMlflowServerOptions } from './mlflow-server.js';
export { ensureMlflowVenv, mlflowVenvPaths, mlflowProcessEnv, runMlflowPython } from './mlflow-venv.js';
export type { MlflowVenvPaths, RunMlflowPythonOptions } from './mlflow-venv.js';
export { createPostgresDatabase, dropPostgresDatabase } from './postgres-database.js';
export type { PostgresServer, PostgresDatabase } from './postgres-database.js';
export { findFreePort } from './free-port.js';
export { runProcess, lastLines } from './run-process.js';
export type { RunProcessOptions, ProcessResult } from './run-process.js';
