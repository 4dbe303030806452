import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LlmopsError, migrateSqliteSchema } from '@llmops/kernel';
import type { SqliteSchemaStep } from '@llmops/kernel';
import type { AlertStore } from '../../application/alerts/alert-ports.js';
import type { AlertRecord } from '../../domain/alerts/alert-record.js';
import { monitoringDatabasePath } from '../open-event-store.js';

/** Options of {@link SqliteAlertStore}. */
export interface SqliteAlertStoreOptions {
  /** The database file (its folder is created): the embedded store's `.llmops/llmops.db`, or `:memory:`. */
  path: string;
  /** How long a write waits for another process's write lock, in milliseconds; 5000 by default. */
  busyTimeoutMs?: number;
}

/**
 * The schema of `monitoring_alerts` by version. It has its own version table, apart from the events', so the
 * alert table can change without touching the event table's migrations.
 */
const alertSchemaVersions: readonly SqliteSchemaStep[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE monitoring_alerts (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        dedupe_key TEXT NOT NULL,
        at REAL NOT NULL,
        source TEXT NOT NULL,
        signal_name TEXT NOT NULL,
        model TEXT,
        dry_run INTEGER NOT NULL,
        status TEXT NOT NULL,
        signal TEXT NOT NULL,
        notifications TEXT NOT NULL,
        actions TEXT NOT NULL
      ) STRICT;
      CREATE INDEX monitoring_alerts_by_key ON monitoring_alerts (dedupe_key, at);
      CREATE INDEX monitoring_alerts_by_time ON monitoring_alerts (at);
    `,
  },
];

const versionTable = 'monitoring_alerts_schema_version';

function migrate(database: DatabaseSync): void {
  migrateSqliteSchema(database, { versionTable, subject: 'the alert table', steps: alertSchemaVersions });
}

type Row = Record<'id' | 'rule' | 'severity' | 'dedupe_key' | 'at' | 'model' | 'dry_run' | 'status', unknown> &
  Record<'signal' | 'notifications' | 'actions', string>;

function recordOf(row: Row): AlertRecord {
  return {
    id: String(row.id),
    rule: String(row.rule),
    severity: row.severity as AlertRecord['severity'],
    dedupeKey: String(row.dedupe_key),
    at: Number(row.at),
    signal: JSON.parse(row.signal) as AlertRecord['signal'],
    model: row.model === null ? null : String(row.model),
    dryRun: row.dry_run === 1,
    notifications: JSON.parse(row.notifications) as AlertRecord['notifications'],
    actions: JSON.parse(row.actions) as AlertRecord['actions'],
    status: row.status as AlertRecord['status'],
  };
}

/**
 * The embedded alert store: the table `monitoring_alerts` in a SQLite file (WAL, synchronous NORMAL), next to the
 * request events. One row per fired alert; its signal, notifications and action outcomes as JSON.
 */
export class SqliteAlertStore implements AlertStore {
  private readonly database: DatabaseSync;

  /** @throws LlmopsError `unavailable` naming the path when the file cannot be opened or migrated. */
  constructor(options: SqliteAlertStoreOptions) {
    try {
      if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
      this.database = new DatabaseSync(options.path);
      this.database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      if (options.path !== ':memory:') this.database.exec('PRAGMA journal_mode = WAL');
      this.database.exec('PRAGMA synchronous = NORMAL');
      migrate(this.database);
    } catch (cause) {
      throw new LlmopsError(
        'unavailable',
        `alert store: cannot open SQLite database ${options.path}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  async insert(record: AlertRecord): Promise<void> {
    this.database
      .prepare(
        `INSERT INTO monitoring_alerts (id, rule, severity, dedupe_key, at, source, signal_name, model, dry_run, status,
           signal, notifications, actions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.id,
        record.rule,
        record.severity,
        record.dedupeKey,
        record.at,
        record.signal.source,
        record.signal.name,
        record.model,
        record.dryRun ? 1 : 0,
        record.status,
        JSON.stringify(record.signal),
        JSON.stringify(record.notifications),
        JSON.stringify(record.actions),
      );
  }

  async update(record: AlertRecord): Promise<void> {
    this.database
      .prepare('UPDATE monitoring_alerts SET status = ?, notifications = ?, actions = ? WHERE id = ?')
      .run(record.status, JSON.stringify(record.notifications), JSON.stringify(record.actions), record.id);
  }

  async lastFiredAt(dedupeKey: string): Promise<number | undefined> {
    const row = this.database
      .prepare('SELECT MAX(at) AS at FROM monitoring_alerts WHERE dedupe_key = ?')
      .get(dedupeKey) as { at: number | null };
    return row.at === null ? undefined : Number(row.at);
  }

  async list(query: { since: number; limit?: number }): Promise<AlertRecord[]> {
    const rows = this.database
      .prepare('SELECT * FROM monitoring_alerts WHERE at >= ? ORDER BY at DESC, rowid DESC LIMIT ?')
      .all(query.since, Math.max(1, Math.floor(query.limit ?? 100))) as Row[];
    return rows.map(recordOf);
  }

  close(): void {
    if (this.database.isOpen) this.database.close();
  }
}

/**
 * The alert store a store URI names: `monitoring_alerts` in the same SQLite file as the request events
 * (the embedded file, or `.llmops/monitoring.db` beside an MLflow store).
 * @throws LlmopsError `invalid_input` for a malformed URI, `unavailable` when the file cannot be opened.
 */
export function openAlertStore(uri: string, options: { cwd: string }): SqliteAlertStore {
  return new SqliteAlertStore({ path: monitoringDatabasePath(uri, options) });
}
