import type { DatabaseSync } from 'node:sqlite';
import type { ExampleResult, MetricResult } from '../../domain/example-result.js';
import { examplePassed } from '../../domain/example-verdict.js';
import { asciiLowerCase } from '../../domain/run-browsing.js';

/**
 * The tables that let SQL filter, sort, search and count a run's examples without parsing their JSON: one row per
 * example (its verdict and its searchable text, lower-cased), one per example and metric (its score), a trigram
 * full-text index over the searchable text of the runs listed in `evaluation_example_search_runs` (SQLite's FTS5,
 * reading its text from the example rows), and each finished run's histograms once computed.
 */
const exampleIndexSchema = `
CREATE TABLE IF NOT EXISTS evaluation_example_index (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  passed INTEGER,
  search TEXT NOT NULL,
  UNIQUE (run_id, position)
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
CREATE INDEX IF NOT EXISTS evaluation_example_index_by_id ON evaluation_example_index (run_id, id);
CREATE VIRTUAL TABLE IF NOT EXISTS evaluation_example_search USING fts5 (
  search, content = 'evaluation_example_index', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
);
CREATE TABLE IF NOT EXISTS evaluation_example_search_runs (
  run_id TEXT PRIMARY KEY REFERENCES evaluation_runs (id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS evaluation_run_histograms (
  run_id TEXT NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
  bins INTEGER NOT NULL,
  histograms TEXT NOT NULL,
  PRIMARY KEY (run_id, bins)
);
CREATE TABLE IF NOT EXISTS evaluation_example_index_version (version INTEGER NOT NULL);
`;

/** What an index of an older version held, dropped before the index is built again. */
const olderIndexTables = `
DROP TABLE IF EXISTS evaluation_example_search;
DROP TABLE IF EXISTS evaluation_example_search_runs;
DROP TABLE IF EXISTS evaluation_example_index;
DROP TABLE IF EXISTS evaluation_example_scores;
DROP TABLE IF EXISTS evaluation_run_histograms;
`;

/**
 * Bumped when what the index holds changes: stored runs are then indexed again when the file is opened. Version 2 gave
 * example rows an `id` (the full-text index's rowid; `AUTOINCREMENT`, so an id is never given twice, and `VACUUM` keeps
 * it) and added the full-text index and the stored histograms.
 */
const indexVersion = 2;

/**
 * Runs of at least this many examples get the full-text index when stored: below it, reading every example's text
 * (`instr`) answers within the console's 200 ms (measured ~5-10 µs an example on a loaded 2-core machine), and the
 * trigram index would cost more to build (about 3 times the time to store a run) than it saves.
 */
export const fullTextIndexMinimum = 10_000;

/** Options of {@link writeExampleIndex}. */
export interface ExampleIndexOptions {
  /** Runs of at least this many examples get the full-text index; {@link fullTextIndexMinimum} by default. */
  fullTextIndexMinimum?: number;
}

/** The text an example is searched by: its input, output and expected output, lower-cased as SQLite's `lower()` does. */
function searchTextOf(result: ExampleResult): string {
  return asciiLowerCase([result.input, result.output, result.expectedOutput ?? ''].join('\n'));
}

/**
 * Replaces the index rows of a run by those of its results (inside the caller's transaction), with the full-text index
 * for a large run, and forgets its stored histograms.
 */
export function writeExampleIndex(
  database: DatabaseSync,
  run: { runId: string; results: readonly ExampleResult[] },
  options: ExampleIndexOptions = {},
): void {
  const { runId, results } = run;
  const searched = database.prepare('DELETE FROM evaluation_example_search_runs WHERE run_id = ?').run(runId);
  if (Number(searched.changes) > 0) {
    // An external-content FTS5 index forgets a row only when told its old text.
    database
      .prepare(
        `INSERT INTO evaluation_example_search (evaluation_example_search, rowid, search)
         SELECT 'delete', id, search FROM evaluation_example_index WHERE run_id = ?`,
      )
      .run(runId);
  }
  database.prepare('DELETE FROM evaluation_example_index WHERE run_id = ?').run(runId);
  database.prepare('DELETE FROM evaluation_example_scores WHERE run_id = ?').run(runId);
  database.prepare('DELETE FROM evaluation_run_histograms WHERE run_id = ?').run(runId);
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
  if (results.length > 0 && results.length >= (options.fullTextIndexMinimum ?? fullTextIndexMinimum)) {
    database
      .prepare(
        'INSERT INTO evaluation_example_search (rowid, search) SELECT id, search FROM evaluation_example_index WHERE run_id = ?',
      )
      .run(runId);
    database.prepare('INSERT INTO evaluation_example_search_runs (run_id) VALUES (?)').run(runId);
  }
}

/**
 * Creates the example index, and indexes the runs stored before it existed (or before its version changed), once per
 * file: the older index is dropped and every run's results are read back from `evaluation_results` run by run.
 */
export function ensureExampleIndex(database: DatabaseSync, options: ExampleIndexOptions = {}): void {
  database.exec('CREATE TABLE IF NOT EXISTS evaluation_example_index_version (version INTEGER NOT NULL)');
  const row = database.prepare('SELECT MAX(version) AS version FROM evaluation_example_index_version').get() as {
    version: number | null;
  };
  if (row.version === indexVersion) {
    database.exec(exampleIndexSchema);
    return;
  }
  database.exec('BEGIN IMMEDIATE');
  try {
    database.exec(olderIndexTables);
    database.exec(exampleIndexSchema);
    const runs = database.prepare('SELECT DISTINCT run_id FROM evaluation_results').all() as Array<{ run_id: string }>;
    const readResults = database.prepare('SELECT result FROM evaluation_results WHERE run_id = ? ORDER BY position');
    for (const { run_id: runId } of runs) {
      const results = (readResults.all(runId) as Array<{ result: string }>).map(
        (stored) => JSON.parse(stored.result) as ExampleResult,
      );
      writeExampleIndex(database, { runId, results }, options);
    }
    database.exec('DELETE FROM evaluation_example_index_version');
    database.prepare('INSERT INTO evaluation_example_index_version (version) VALUES (?)').run(indexVersion);
    database.exec('COMMIT');
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}
