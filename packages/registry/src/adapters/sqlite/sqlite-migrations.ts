import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError } from '@llmops/kernel';

/** One schema migration of the registry's tables. */
export interface SqliteMigration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The registry's schema, as migrations applied in order. Tables are prefixed `registry_` because the
 * embedded store is one SQLite file shared by every context. Versions and the audit trail refuse
 * UPDATE and DELETE by trigger: immutability does not depend on the code being right.
 */
export const registryMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    description: 'prompts, models, versions, evidence, aliases and audit',
    sql: `
      CREATE TABLE registry_subjects (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('prompt', 'model')),
        description TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE registry_prompt_versions (
        name TEXT NOT NULL REFERENCES registry_subjects (name),
        version INTEGER NOT NULL CHECK (version >= 1),
        template TEXT NOT NULL,
        variables TEXT NOT NULL,
        message TEXT NOT NULL,
        tags TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        PRIMARY KEY (name, version)
      ) STRICT;
      CREATE INDEX registry_prompt_versions_by_hash ON registry_prompt_versions (name, content_hash);
      CREATE TABLE registry_model_versions (
        name TEXT NOT NULL REFERENCES registry_subjects (name),
        version INTEGER NOT NULL CHECK (version >= 1),
        spec TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        lineage TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (name, version)
      ) STRICT;
      CREATE INDEX registry_model_versions_by_hash ON registry_model_versions (name, content_hash);
      CREATE TABLE registry_model_evidence (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        run_id TEXT NOT NULL,
        dataset TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('passed', 'failed')),
        metrics TEXT NOT NULL,
        attached_at INTEGER NOT NULL,
        PRIMARY KEY (name, version, run_id),
        FOREIGN KEY (name, version) REFERENCES registry_model_versions (name, version)
      ) STRICT;
      CREATE TABLE registry_aliases (
        name TEXT NOT NULL REFERENCES registry_subjects (name),
        alias TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (name, alias)
      ) STRICT;
      CREATE TABLE registry_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        alias TEXT NOT NULL,
        from_version INTEGER,
        to_version INTEGER,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL,
        evidence TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX registry_audit_by_subject ON registry_audit (name, id);
      CREATE TRIGGER registry_prompt_versions_immutable BEFORE UPDATE ON registry_prompt_versions
        BEGIN SELECT RAISE(ABORT, 'prompt versions are immutable'); END;
      CREATE TRIGGER registry_prompt_versions_kept BEFORE DELETE ON registry_prompt_versions
        BEGIN SELECT RAISE(ABORT, 'prompt versions are immutable'); END;
      CREATE TRIGGER registry_model_versions_immutable BEFORE UPDATE ON registry_model_versions
        BEGIN SELECT RAISE(ABORT, 'model versions are immutable'); END;
      CREATE TRIGGER registry_model_versions_kept BEFORE DELETE ON registry_model_versions
        BEGIN SELECT RAISE(ABORT, 'model versions are immutable'); END;
      CREATE TRIGGER registry_audit_append_only BEFORE UPDATE ON registry_audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER registry_audit_kept BEFORE DELETE ON registry_audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `,
  },
];

/** The table recording which migrations have been applied. */
export const schemaVersionTable = 'registry_schema_version';

/**
 * Brings the database to the newest schema, each pending migration in its own transaction
 * (`BEGIN IMMEDIATE`, so two processes opening a new file do not both migrate it).
 * @throws LlmopsError `unavailable` when the file was written by a newer llmops.
 */
export function migrate(database: DatabaseSync, migrations: readonly SqliteMigration[] = registryMigrations): number {
  database.exec(
    `CREATE TABLE IF NOT EXISTS ${schemaVersionTable} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`,
  );
  const newest = migrations.reduce((highest, migration) => Math.max(highest, migration.version), 0);
  const current = () =>
    Number(
      (
        database.prepare(`SELECT COALESCE(MAX(version), 0) AS version FROM ${schemaVersionTable}`).get() as {
          version: number;
        }
      ).version,
    );
  const found = current();
  if (found > newest) {
    throw new LlmopsError(
      'unavailable',
      `the registry tables are at schema version ${found}, newer than this llmops knows (${newest}); upgrade llmops`,
    );
  }
  for (const migration of migrations) {
    database.exec('BEGIN IMMEDIATE');
    try {
      if (current() < migration.version) {
        database.exec(migration.sql);
        database
          .prepare(`INSERT INTO ${schemaVersionTable} (version, description, applied_at) VALUES (?, ?, ?)`)
          .run(migration.version, migration.description, Date.now());
      }
      database.exec('COMMIT');
    } catch (error) {
      database.exec('ROLLBACK');
      throw error;
    }
  }
  return current();
}
