import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError, openSqliteFile } from '@llmops/kernel';
import { ensureExampleIndex } from './sqlite-example-index.js';

const schema = `
CREATE TABLE IF NOT EXISTS evaluation_runs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  model_name TEXT,
  model_version TEXT,
  dataset_name TEXT NOT NULL,
  dataset_hash TEXT NOT NULL,
  judge TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS evaluation_runs_by_model ON evaluation_runs (model_name, model_version, started_at);
CREATE INDEX IF NOT EXISTS evaluation_runs_by_start ON evaluation_runs (started_at);
CREATE TABLE IF NOT EXISTS evaluation_metrics (
  run_id TEXT NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE IF NOT EXISTS evaluation_results (
  run_id TEXT NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  example_id TEXT NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
);
CREATE TABLE IF NOT EXISTS evaluation_judge_cache (
  key TEXT PRIMARY KEY,
  answer TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`;

/**
 * Opens (creating when needed) the SQLite file of the evaluation tables, in WAL mode with a busy
 * timeout so that the registry and other processes can share the file (`.llmops/llmops.db`).
 * `:memory:` opens a throw-away database. Runs stored before the example index existed are indexed once, here.
 * @throws LlmopsError `unavailable` naming the path when the file cannot be opened.
 */
export function openEvaluationDatabase(path: string): DatabaseSync {
  try {
    const database = openSqliteFile({ path });
    database.exec(schema);
    ensureExampleIndex(database);
    return database;
  } catch (cause) {
    throw new LlmopsError(
      'unavailable',
      `evaluation store: cannot open SQLite database ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
}
