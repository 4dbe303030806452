/**
 * What the integration global setup hands to the specs, through environment variables (Jest
 * workers inherit the setup's environment).
 */

/** The tracking URI of the server on SQLite. */
export const sqliteUriVariable = 'LLMOPS_MLFLOW_SQLITE_URI';
/** The tracking URI of the server on PostgreSQL. */
export const postgresUriVariable = 'LLMOPS_MLFLOW_POSTGRES_URI';
/** The workspace root, for the Python interoperability snippets. */
export const workspaceRootVariable = 'LLMOPS_WORKSPACE_ROOT';

/** One backend the suite runs against. */
export interface MlflowBackendUnderTest {
  backend: 'sqlite' | 'postgresql';
  trackingUri: string;
}

/**
 * The two servers the global setup started.
 * @throws Error when a URI is missing (the global setup did not run or failed).
 */
export function mlflowBackends(env: NodeJS.ProcessEnv = process.env): MlflowBackendUnderTest[] {
  const sqlite = env[sqliteUriVariable];
  const postgres = env[postgresUriVariable];
  if (sqlite === undefined || postgres === undefined) {
    throw new Error(
      `${sqliteUriVariable} and ${postgresUriVariable} are not set: run the suite through its integration target (its global setup starts the servers)`,
    );
  }
  return [
    { backend: 'sqlite', trackingUri: sqlite },
    { backend: 'postgresql', trackingUri: postgres },
  ];
}

/** The workspace root the global setup found. */
export function workspaceRoot(env: NodeJS.ProcessEnv = process.env): string {
  const root = env[workspaceRootVariable];
  if (root === undefined)
    throw new Error(`${workspaceRootVariable} is not set: run the suite through its integration target`);
  return root;
}
