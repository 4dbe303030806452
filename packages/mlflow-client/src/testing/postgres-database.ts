import { randomBytes } from 'node:crypto';
import { LlmopsError } from '@llmops/kernel';
import { runMlflowPython } from './mlflow-venv.js';

/** Where the PostgreSQL server is; defaults to the machine's (127.0.0.1:5432, user postgres, trust auth). */
export interface PostgresServer {
  host?: string;
  port?: number;
  user?: string;
}

/** A database created for one test run. */
export interface PostgresDatabase {
  name: string;
  /** SQLAlchemy URI of the database with the psycopg2 driver (SQLAlchemy 2.1 defaults to psycopg 3), for `--backend-store-uri`; no password (trust auth or ~/.pgpass). */
  uri: string;
}

const createCode = `
import os, psycopg2
connection = psycopg2.connect(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]), user=os.environ["PGUSER"], dbname="postgres", connect_timeout=10)
connection.autocommit = True
connection.cursor().execute('CREATE DATABASE "%s"' % os.environ["LLMOPS_DATABASE"])
connection.close()
`;

const dropCode = `
import os, psycopg2
connection = psycopg2.connect(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]), user=os.environ["PGUSER"], dbname="postgres", connect_timeout=10)
connection.autocommit = True
connection.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % os.environ["LLMOPS_DATABASE"])
connection.close()
`;

function connectionEnv(server: PostgresServer, name: string): Record<string, string> {
  return {
    PGHOST: server.host ?? '127.0.0.1',
    PGPORT: String(server.port ?? 5432),
    PGUSER: server.user ?? 'postgres',
    LLMOPS_DATABASE: name,
  };
}

/**
 * Creates a fresh, uniquely named database (with the MLflow venv's psycopg2).
 * @throws LlmopsError `unavailable` saying why PostgreSQL refused.
 */
export async function createPostgresDatabase(options: {
  workspaceRoot: string;
  server?: PostgresServer;
}): Promise<PostgresDatabase> {
  const server = options.server ?? {};
  const name = `llmops_mlflow_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const env = connectionEnv(server, name);
  try {
    await runMlflowPython({ workspaceRoot: options.workspaceRoot, code: createCode, env, timeoutMs: 60_000 });
  } catch (error) {
    throw new LlmopsError(
      'unavailable',
      `cannot create database ${name} on PostgreSQL ${env['PGUSER']}@${env['PGHOST']}:${env['PGPORT']}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { name, uri: `postgresql+psycopg2://${env['PGUSER']}@${env['PGHOST']}:${env['PGPORT']}/${name}` };
}

/** Drops a database created by {@link createPostgresDatabase}, closing its connections. */
export async function dropPostgresDatabase(options: {
  workspaceRoot: string;
  server?: PostgresServer;
  name: string;
}): Promise<void> {
  await runMlflowPython({
    workspaceRoot: options.workspaceRoot,
    code: dropCode,
    env: connectionEnv(options.server ?? {}, options.name),
    timeoutMs: 60_000,
  });
}
