import type { DatabaseSync } from 'node:sqlite';
import { migrateSqliteSchema } from '@llmops/kernel';
import type { SqliteSchemaStep } from '@llmops/kernel';

/**
 * The schema of the `traces` table by version: the facts one filters on as columns, the whole
 * trace as JSON in `record`. The file is the embedded store shared with the registry and evaluation
 * tables, so serving keeps its own version table.
 */
const traceSchemaVersions: readonly SqliteSchemaStep[] = [
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
 * Creates or upgrades the `traces` table (the kernel's {@link migrateSqliteSchema}: one `BEGIN IMMEDIATE`
 * transaction, so two processes opening a new file do not both create it).
 * @throws LlmopsError `unavailable` when the file holds a newer schema than this llmops knows.
 */
export function migrateTraceSchema(database: DatabaseSync): void {
  migrateSqliteSchema(database, { versionTable, subject: 'the serving tables', steps: traceSchemaVersions });
}
