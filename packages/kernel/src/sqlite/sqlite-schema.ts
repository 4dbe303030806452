import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError } from '../errors/llmops-error.js';

/** One step of a table schema: applied once, in version order. */
export interface SqliteSchemaStep {
  version: number;
  sql: string;
}

/** What {@link migrateSqliteSchema} brings up to date. */
export interface SqliteSchema {
  /** The table recording the applied versions (`serving_schema_version`); one per set of tables. */
  versionTable: string;
  /** The tables in words, for the error (`the monitoring tables`). */
  subject: string;
  steps: readonly SqliteSchemaStep[];
}

/**
 * Creates or upgrades a set of tables in one `BEGIN IMMEDIATE` transaction, so two processes opening
 * a new file do not both create them. Every context that keeps tables in the shared SQLite file
 * versions them this way.
 * @throws LlmopsError `unavailable` when the file holds a newer schema than this llmops knows.
 */
export function migrateSqliteSchema(database: DatabaseSync, schema: SqliteSchema): void {
  const { versionTable, subject, steps } = schema;
  const newest = steps.reduce((highest, step) => Math.max(highest, step.version), 0);
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
        `${subject} are at schema version ${found}, newer than this llmops knows (${newest}); upgrade llmops`,
      );
    }
    for (const step of steps.filter((candidate) => candidate.version > found)) {
      database.exec(step.sql);
      database.prepare(`INSERT INTO ${versionTable} (version, applied_at) VALUES (?, ?)`).run(step.version, Date.now());
    }
    database.exec('COMMIT');
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}
