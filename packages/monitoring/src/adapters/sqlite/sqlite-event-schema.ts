import type { DatabaseSync } from 'node:sqlite';
import { migrateSqliteSchema } from '@llmops/kernel';
import type { SqliteSchemaStep } from '@llmops/kernel';

/**
 * The schema of `monitoring_events` by version: one row per served request, the facts reports and
 * drift read as columns, guardrail verdicts as JSON; (version 2) `monitoring_scores`, the online
 * evaluation scores of sampled requests; (version 3) the answer's length on events; (version 4) the topic and cited sources of RAG events. The file may be the embedded store shared with
 * the registry, evaluation and serving tables, so monitoring keeps its own version table.
 */
const eventSchemaVersions: readonly SqliteSchemaStep[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE monitoring_events (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        request_id TEXT NOT NULL,
        model_ref TEXT NOT NULL,
        model_name TEXT NOT NULL,
        model_version INTEGER,
        key_id TEXT,
        status INTEGER NOT NULL,
        error_code TEXT,
        stream INTEGER NOT NULL,
        completed INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        upstream_latency_ms REAL,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cost_usd REAL,
        cache TEXT,
        guardrails TEXT NOT NULL,
        citations INTEGER,
        top_retrieval_score REAL,
        refused INTEGER NOT NULL,
        question_hash TEXT NOT NULL,
        question TEXT
      ) STRICT;
      CREATE INDEX monitoring_events_by_time ON monitoring_events (at);
      CREATE INDEX monitoring_events_by_model ON monitoring_events (model_name, model_version, at);
    `,
  },
  {
    // Online evaluation scores, one row per (request, metric), written when scoring ends: after the event, which
    // is never held back for them. Keyed by the event's request id and time (a client may reuse a request id).
    version: 2,
    sql: `
      CREATE TABLE monitoring_scores (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL,
        event_at REAL NOT NULL,
        metric TEXT NOT NULL,
        score REAL NOT NULL,
        judge TEXT NOT NULL,
        scored_at REAL NOT NULL
      ) STRICT;
      CREATE INDEX monitoring_scores_by_request ON monitoring_scores (request_id, event_at);
      CREATE INDEX monitoring_scores_by_time ON monitoring_scores (event_at);
    `,
  },
  {
    // The answer's length in characters (drift's `answer_length`); null in rows written before it.
    version: 3,
    sql: `ALTER TABLE monitoring_events ADD COLUMN answer_length INTEGER;`,
  },
  {
    // RAG events' topic (the top retrieved passage's document) and cited sources (a JSON array of documents), for
    // the drift features `topic` and `cited_source` and the unanswered topics; null in rows written before it.
    version: 4,
    sql: `
      ALTER TABLE monitoring_events ADD COLUMN topic TEXT;
      ALTER TABLE monitoring_events ADD COLUMN cited_sources TEXT;
    `,
  },
  {
    // The version that failed when a fallback answered (`name/version`); null when none did, and in older rows.
    version: 5,
    sql: `ALTER TABLE monitoring_events ADD COLUMN fallback_from TEXT;`,
  },
  {
    // The endpoint that served the request (`chat`, `embeddings`); null in older rows, which were all chat.
    version: 6,
    sql: `ALTER TABLE monitoring_events ADD COLUMN endpoint TEXT;`,
  },
  {
    // The API key limit that refused the request (`rpm`, `tpm`, `budget_day`, `budget_month`); null otherwise, and in
    // older rows.
    version: 7,
    sql: `ALTER TABLE monitoring_events ADD COLUMN key_limit TEXT;`,
  },
];

const versionTable = 'monitoring_schema_version';

/**
 * Creates or upgrades the monitoring tables (the kernel's {@link migrateSqliteSchema}: one `BEGIN
 * IMMEDIATE` transaction, so two processes opening a new file do not both create them).
 * @throws LlmopsError `unavailable` when the file holds a newer schema than this llmops knows.
 */
export function migrateEventSchema(database: DatabaseSync): void {
  migrateSqliteSchema(database, { versionTable, subject: 'the monitoring tables', steps: eventSchemaVersions });
}
