import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError } from '@llmops/kernel';

/**
 * The schema of the `traces` table by version: the facts one filters on as columns, the whole
 * trace as JSON in `record`. The file is the embedded store shared with the registry and evaluation
 * tables, so serving keeps its own version table.
 */
const traceSchemaVersions: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE traces (
        trace_id TEXT PRIMARY KEY,
        started_at REAL NOT NULL,
        ended_at REAL NOT NULL,
        model TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        provider TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
        error_code TEXT,
        latency_ms REAL NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER,
        cost_usd REAL,
        request_id TEXT,
        record TEXT NOT NULL
      ) STRICT;
      CREATE INDEX traces_by_start ON traces (started_at);
      CREATE INDEX traces_by_model ON traces (model, started_at);
    `,
  },
];

const versionTable = 'serving_schema_version';

/**
 * Creates or upgrades the `traces` table in one `BEGIN IMMEDIATE` transaction (two processes
 * opening a new file do not both create it).
 * @throws LlmopsError `unavailable` when the file holds a newer schema than this llmops knows.
 */
export function migrateTraceSchema(database: DatabaseSync): void {
  const newest = traceSchemaVersions.reduce((highest, step) => Math.max(highest, step.version), 0);
  database.exec('BEGIN IMMEDIATE');
  try {
    database.exec(
      `CREATE TABLE IF NOT EXISTS ${versionTable} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`,
    );
    const row = database.prepare(`SELECT COALESCE(MAX(version), 0) AS version FROM ${versionTable}`).get() as {
      version: number;
    };
    const found = Number(row.version);
    if (found > newest) {
      throw new LlmopsError(
        'unavailable',
        `the serving tables are at schema version ${found}, newer than this llmops knows (${newest}); upgrade llmops`,
      );
    }
    for (const step of traceSchemaVersions.filter((candidate) => candidate.version > found)) {
      database.exec(step.sql);
      database.prepare(`INSERT INTO ${versionTable} (version, applied_at) VALUES (?, ?)`).run(step.version, Date.now());
    }
    database.exec('COMMIT');
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}
