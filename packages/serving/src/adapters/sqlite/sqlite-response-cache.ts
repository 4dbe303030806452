import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { LlmopsError, migrateSqliteSchema, openSqliteFile, systemClock } from '@llmops/kernel';
import type { Clock, SqliteSchemaStep } from '@llmops/kernel';
import type { ResponseCacheStore } from '../../ports.js';

/** The `response_cache` table by version: a key, its value, and when it expires (ms since the epoch). */
const responseCacheSchema: readonly SqliteSchemaStep[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE response_cache (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        expires_at REAL NOT NULL
      ) STRICT;
      CREATE INDEX response_cache_by_expiry ON response_cache (expires_at);
    `,
  },
];

/** Settings of {@link SqliteResponseCache}. */
export interface SqliteResponseCacheOptions {
  /** The database file (its folder is created): the embedded store's `.llmops/llmops.db`, or `:memory:`. */
  path: string;
  /** How long a write waits for another process's write lock, in ms; 1,000 by default (then the write is skipped). */
  busyTimeoutMs?: number;
  /** Expired rows are deleted every this many writes; 200 by default. */
  purgeEvery?: number;
  clock?: Clock;
}

/**
 * The response cache in the embedded SQLite file (WAL, shared by the processes of one machine): the table
 * `response_cache` with an expiry per row. Expired rows are never returned, and deleted every few hundred writes.
 */
export class SqliteResponseCache implements ResponseCacheStore {
  readonly name = 'sqlite';
  private readonly database: DatabaseSync;
  private readonly path: string;
  private readonly clock: Clock;
  private readonly purgeEvery: number;
  private readonly select: StatementSync;
  private readonly upsert: StatementSync;
  private readonly purge: StatementSync;
  private writes = 0;
  private closed = false;

  /** @throws LlmopsError `unavailable` naming the path when the file cannot be opened or migrated. */
  constructor(options: SqliteResponseCacheOptions) {
    this.path = options.path;
    this.clock = options.clock ?? systemClock;
    this.purgeEvery = options.purgeEvery ?? 200;
    try {
      this.database = openSqliteFile({ path: options.path, busyTimeoutMs: options.busyTimeoutMs ?? 1_000 });
      migrateSqliteSchema(this.database, {
        versionTable: 'response_cache_schema_version',
        subject: 'the response cache table',
        steps: responseCacheSchema,
      });
      this.select = this.database.prepare('SELECT value FROM response_cache WHERE key = ? AND expires_at > ?');
      this.upsert = this.database.prepare(
        `INSERT INTO response_cache (key, value, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      );
      this.purge = this.database.prepare('DELETE FROM response_cache WHERE expires_at <= ?');
    } catch (cause) {
      throw new LlmopsError(
        'unavailable',
        `response cache: cannot open SQLite database ${options.path}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  private run<T>(action: string, work: () => T): T {
    if (this.closed) throw new LlmopsError('unavailable', `the SQLite response cache ${this.path} is closed`);
    try {
      return work();
    } catch (cause) {
      throw new LlmopsError(
        'unavailable',
        `response cache: cannot ${action} in ${this.path}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
  }

  async get(key: string): Promise<string | undefined> {
    const row = this.run('read', () => this.select.get(key, this.clock.now()) as { value: string } | undefined);
    return row?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const now = this.clock.now();
    this.run('write', () => {
      this.upsert.run(key, value, now + ttlMs);
      this.writes += 1;
      if (this.writes % this.purgeEvery === 0) this.purge.run(now);
    });
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.database.close();
    }
  }
}
