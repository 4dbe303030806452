import type { DatabaseSync } from 'node:sqlite';
import type { ExampleResult, MetricResult } from '../../domain/example-result.js';
import { examplePassed } from '../../domain/example-verdict.js';
import { asciiLowerCase } from '../../domain/run-browsing.js';

/**
 * The tables that let SQL filter, sort, search and count a run's examples without parsing their JSON: one row per
 * example (its verdict and its searchable text, lower-cased) and one per example and metric (its score).
 */
export const exampleIndexSchema = `
CREATE TABLE IF NOT EXISTS evaluation_example_index (
  run_id TEXT NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  passed INTEGER,
  search TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
);
CREATE TABLE IF NOT EXISTS evaluation_example_scores (
  run_id TEXT NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
  metric TEXT NOT NULL,
  position INTEGER NOT NULL,
  score REAL,
  PRIMARY KEY (run_id, metric, position)
);
CREATE INDEX IF NOT EXISTS evaluation_example_scores_by_score ON evaluation_example_scores (run_id, metric, score, position);
CREATE INDEX IF NOT EXISTS evaluation_example_scores_by_score_desc ON evaluation_example_scores (run_id, metric, score DESC, position);
CREATE INDEX IF NOT EXISTS evaluation_example_index_by_verdict ON evaluation_example_index (run_id, passed, position);
CREATE TABLE IF NOT EXISTS evaluation_example_index_version (version INTEGER NOT NULL);
`;

/** Bumped when what the index holds changes: stored runs are then indexed again when the file is opened. */
const indexVersion = 1;

/** The text an example is searched by: its input, output and expected output, lower-cased as SQLite's `lower()` does. */
function searchTextOf(result: ExampleResult): string {
  return asciiLowerCase([result.input, result.output, result.expectedOutput ?? ''].join('\n'));
}

/** Replaces the index rows of a run by those of its results (inside the caller's transaction). */
export function writeExampleIndex(database: DatabaseSync, runId: string, results: readonly ExampleResult[]): void {
  database.prepare('DELETE FROM evaluation_example_index WHERE run_id = ?').run(runId);
  database.prepare('DELETE FROM evaluation_example_scores WHERE run_id = ?').run(runId);
  const insertExample = database.prepare(
    'INSERT INTO evaluation_example_index (run_id, position, passed, search) VALUES (?, ?, ?, ?)',
  );
  const insertScore = database.prepare(
    'INSERT INTO evaluation_example_scores (run_id, metric, position, score) VALUES (?, ?, ?, ?)',
  );
  results.forEach((result, position) => {
    const passed = examplePassed(result);
    insertExample.run(runId, position, passed === null ? null : Number(passed), searchTextOf(result));
    for (const [metric, value] of Object.entries(result.metrics) as Array<[string, MetricResult]>)
      insertScore.run(runId, metric, position, value.score);
  });
}

/**
 * Indexes the runs stored before the index existed (or before its version changed), once per file: their results are
 * read back from `evaluation_results` run by run.
 */
export function indexStoredResults(database: DatabaseSync): void {
  const row = database.prepare('SELECT MAX(version) AS version FROM evaluation_example_index_version').get() as {
    version: number | null;
  };
  if (row.version === indexVersion) return;
  database.exec('BEGIN IMMEDIATE');
  try {
    const runs = database.prepare('SELECT DISTINCT run_id FROM evaluation_results').all() as Array<{ run_id: string }>;
    const readResults = database.prepare('SELECT result FROM evaluation_results WHERE run_id = ? ORDER BY position');
    for (const { run_id: runId } of runs) {
      const results = (readResults.all(runId) as Array<{ result: string }>).map(
        (stored) => JSON.parse(stored.result) as ExampleResult,
      );
      writeExampleIndex(database, runId, results);
    }
    database.exec('DELETE FROM evaluation_example_index_version');
    database.prepare('INSERT INTO evaluation_example_index_version (version) VALUES (?)').run(indexVersion);
    database.exec('COMMIT');
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}
