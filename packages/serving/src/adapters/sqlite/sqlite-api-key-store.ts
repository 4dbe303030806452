import type { DatabaseSync } from 'node:sqlite';
import { LlmopsError, migrateSqliteSchema, openSqliteFile, parseWithSchema } from '@llmops/kernel';
import { apiKeyLimitsSchema } from '../../domain/keys/api-key.js';
import type { ApiKeyRecord, ApiKeyRole } from '../../domain/keys/api-key.js';
import type { ApiKeyChanges, ApiKeyStore } from '../../ports.js';
import type { SpendLedger } from '../memory/local-limit-counters.js';

const keySchema = {
  versionTable: 'keys_schema_version',
  subject: 'the API key tables',
  steps: [
    {
      version: 1,
      sql: `
        CREATE TABLE api_keys (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('inference', 'admin')),
          limits TEXT NOT NULL,
          secret_hash TEXT NOT NULL,
          created_at REAL NOT NULL,
          last_used_at REAL,
          revoked_at REAL,
          rotated_at REAL
        ) STRICT;
        CREATE TABLE api_key_spend (
          key_id TEXT NOT NULL,
          window TEXT NOT NULL,
          usd REAL NOT NULL,
          PRIMARY KEY (key_id, window)
        ) STRICT;
      `,
    },
    {
      // The reader role (the console's reads, no mutation): SQLite cannot alter a CHECK, so the table is rebuilt.
      version: 2,
      sql: `
        CREATE TABLE api_keys_with_reader (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('inference', 'reader', 'admin')),
          limits TEXT NOT NULL,
          secret_hash TEXT NOT NULL,
          created_at REAL NOT NULL,
          last_used_at REAL,
          revoked_at REAL,
          rotated_at REAL
        ) STRICT;
        INSERT INTO api_keys_with_reader SELECT * FROM api_keys;
        DROP TABLE api_keys;
        ALTER TABLE api_keys_with_reader RENAME TO api_keys;
      `,
    },
  ],
} as const;

type Row = Record<string, string | number | null>;

function recordOf(row: Row): ApiKeyRecord {
  const optional = (key: keyof ApiKeyRecord, value: string | number | null) =>
    value === null ? {} : { [key]: Number(value) };
  return {
    id: String(row['id']),
    name: String(row['name']),
    role: String(row['role']) as ApiKeyRole,
    limits: parseWithSchema(apiKeyLimitsSchema, JSON.parse(String(row['limits'])), {
      where: `limits of API key ${String(row['id'])}`,
    }),
    secretHash: String(row['secret_hash']),
    createdAt: Number(row['created_at']),
    ...optional('lastUsedAt', row['last_used_at'] ?? null),
    ...optional('revokedAt', row['revoked_at'] ?? null),
    ...optional('rotatedAt', row['rotated_at'] ?? null),
  };
}

const changeColumns: Record<keyof ApiKeyChanges, string> = {
  secretHash: 'secret_hash',
  lastUsedAt: 'last_used_at',
  revokedAt: 'revoked_at',
  rotatedAt: 'rotated_at',
};

/**
 * API keys in a SQLite file (tables `api_keys` and `api_key_spend`): the embedded store's `.llmops/llmops.db`, or
 * `.llmops/keys.db` beside an MLflow store. Also the ledger of USD spent per key and window when the limit counters
 * are in process, so spend survives a restart and `llmops keys list` reads it without a server.
 */
export class SqliteApiKeyStore implements ApiKeyStore, SpendLedger {
  private readonly database: DatabaseSync;
  /** The file, for messages. */
  readonly location: string;

  /** @throws LlmopsError `unavailable` when the file cannot be opened or holds a newer schema. */
  constructor(options: { path: string }) {
    this.location = options.path;
    try {
      this.database = openSqliteFile({ path: options.path });
      migrateSqliteSchema(this.database, keySchema);
    } catch (error) {
      if (LlmopsError.isInstance(error)) throw error;
      throw new LlmopsError('unavailable', `cannot open the API key store ${options.path}`, { cause: error });
    }
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    try {
      this.database
        .prepare('INSERT INTO api_keys (id, name, role, limits, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(record.id, record.name, record.role, JSON.stringify(record.limits), record.secretHash, record.createdAt);
    } catch (error) {
      if (/UNIQUE|PRIMARY KEY/i.test(String(error)))
        throw new LlmopsError('conflict', `an API key with id ${record.id} exists`, { cause: error });
      throw error;
    }
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.database.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as Row | undefined;
    return row ? recordOf(row) : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (this.database.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as Row[]).map(recordOf);
  }

  async update(id: string, changes: ApiKeyChanges): Promise<void> {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as Array<
      [keyof ApiKeyChanges, string | number]
    >;
    if (entries.length === 0) return;
    const assignments = entries.map(([key]) => `${changeColumns[key]} = ?`).join(', ');
    const result = this.database
      .prepare(`UPDATE api_keys SET ${assignments} WHERE id = ?`)
      .run(...entries.map(([, value]) => value), id);
    if (result.changes === 0) throw new LlmopsError('not_found', `no API key with id ${id}`);
  }

  addSpend(keyId: string, window: string, usd: number): void {
    this.database
      .prepare(
        'INSERT INTO api_key_spend (key_id, window, usd) VALUES (?, ?, ?) ON CONFLICT (key_id, window) DO UPDATE SET usd = usd + excluded.usd',
      )
      .run(keyId, window, usd);
  }

  spendOf(keyId: string, window: string): number {
    const row = this.database
      .prepare('SELECT usd FROM api_key_spend WHERE key_id = ? AND window = ?')
      .get(keyId, window) as Row | undefined;
    return row ? Number(row['usd']) : 0;
  }

  close(): void {
    if (this.database.isOpen) this.database.close();
  }
}
