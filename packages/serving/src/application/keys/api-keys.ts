import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { LlmopsError, parseWithSchema, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import {
  apiKeyLimitsSchema,
  apiKeyRoles,
  formatApiKey,
  hashApiKeySecret,
  isApiKeyId,
  newApiKeyId,
  newApiKeySecret,
  parseApiKey,
} from '../../domain/keys/api-key.js';
import type { ApiKeyRecord, ApiKeyRole } from '../../domain/keys/api-key.js';
import type { ApiKeyStore, KeySpend, LimitCounters } from '../../ports.js';

/** What creating a key takes: a name, a role and optional limits. */
export const newApiKeySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[\w .@-]{1,100}$/, 'expected 1 to 100 letters, digits, spaces or _ . @ -')
    .default('key'),
  role: z.enum(apiKeyRoles),
  limits: apiKeyLimitsSchema.default({}),
});
/** Input of {@link ApiKeys.create}. */
export type NewApiKey = z.input<typeof newApiKeySchema>;

/** A key as `keys list` shows it: never the secret or its hash. */
export interface ApiKeyView extends Omit<ApiKeyRecord, 'secretHash'> {
  /** What the key spent in the current UTC day and month (USD). */
  spend: KeySpend;
}

/** A key just created or rotated, with the only copy of its secret. */
export interface IssuedApiKey {
  key: Omit<ApiKeyRecord, 'secretHash'>;
  /** `llmops-<id>-<secret>`: shown once, stored nowhere. */
  apiKey: string;
}

/** Settings of {@link ApiKeys}. */
export interface ApiKeysOptions {
  store: ApiKeyStore;
  /** Where spend is counted (for `list`); none: spend shows as 0. */
  counters?: LimitCounters;
  clock?: Clock;
  /** How often a key's `lastUsedAt` is written at most, in ms; 60,000 by default (not a write per request). */
  lastUsedEveryMs?: number;
}

function view(record: ApiKeyRecord): Omit<ApiKeyRecord, 'secretHash'> {
  const { secretHash, ...rest } = record;
  void secretHash;
  return rest;
}

/**
 * API keys: created with a random secret shown once, stored as the secret's SHA-256, listed with their spend, revoked,
 * rotated (a new secret for the same id, role and limits; the old secret stops working at once), and checked on each
 * request. Every lookup reads the store, so a key revoked by the CLI in another process is refused at once.
 */
export class ApiKeys {
  private readonly store: ApiKeyStore;
  private readonly counters: LimitCounters | undefined;
  private readonly clock: Clock;
  private readonly lastUsedEveryMs: number;
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(options: ApiKeysOptions) {
    this.store = options.store;
    this.counters = options.counters;
    this.clock = options.clock ?? systemClock;
    this.lastUsedEveryMs = options.lastUsedEveryMs ?? 60_000;
  }

  /**
   * Creates a key.
   * @throws LlmopsError `invalid_input` for a bad name, role or limit (the field named).
   */
  async create(input: NewApiKey): Promise<IssuedApiKey> {
    const parsed = parseWithSchema(newApiKeySchema, input, { where: 'new API key' });
    const secret = newApiKeySecret();
    const record: ApiKeyRecord = {
      id: newApiKeyId(),
      name: parsed.name,
      role: parsed.role,
      limits: parsed.limits,
      secretHash: hashApiKeySecret(secret),
      createdAt: this.clock.now(),
    };
    await this.store.insert(record);
    return { key: view(record), apiKey: formatApiKey(record.id, secret) };
  }

  /**
   * Every key with its spend today and this month, oldest first.
   * @param options `spend: false` skips reading spend (shown as 0), so the listing needs only the key file.
   * @throws LlmopsError `unavailable` when the counters holding the spend (Redis) cannot be read.
   */
  async list(options: { spend?: boolean } = {}): Promise<ApiKeyView[]> {
    const records = await this.store.list();
    const spend =
      this.counters && options.spend !== false
        ? await this.counters.spend(
            records.map((record) => record.id),
            this.clock.now(),
          )
        : new Map<string, KeySpend>();
    return records.map((record) => ({ ...view(record), spend: spend.get(record.id) ?? { dayUsd: 0, monthUsd: 0 } }));
  }

  private async existing(id: string): Promise<ApiKeyRecord> {
    if (!isApiKeyId(id))
      throw new LlmopsError('invalid_input', `key id "${id}" is malformed; expected 12 hex characters (keys list)`);
    const record = await this.store.get(id);
    if (!record) throw new LlmopsError('not_found', `no API key with id ${id}`);
    return record;
  }

  /**
   * Revokes a key: it is refused from now on (revoking twice changes nothing).
   * @throws LlmopsError `invalid_input` for a malformed id, `not_found` for an unknown one.
   */
  async revoke(id: string): Promise<Omit<ApiKeyRecord, 'secretHash'>> {
    const record = await this.existing(id);
    if (record.revokedAt !== undefined) return view(record);
    const revokedAt = this.clock.now();
    await this.store.update(id, { revokedAt });
    return view({ ...record, revokedAt });
  }

  /**
   * Gives a key a new secret; the old one stops working at once (no grace period: a rotation after a leak must not
   * leave the leaked secret usable).
   * @throws LlmopsError `invalid_input` for a malformed id, `not_found` for an unknown one, `conflict` for a revoked key.
   */
  async rotate(id: string): Promise<IssuedApiKey> {
    const record = await this.existing(id);
    if (record.revokedAt !== undefined)
      throw new LlmopsError('conflict', `API key ${id} is revoked; create a new key instead of rotating it`);
    const secret = newApiKeySecret();
    const rotatedAt = this.clock.now();
    const secretHash = hashApiKeySecret(secret);
    await this.store.update(id, { secretHash, rotatedAt });
    return { key: view({ ...record, secretHash, rotatedAt }), apiKey: formatApiKey(id, secret) };
  }

  /**
   * The key a request's bearer token names, when its secret matches (compared in constant time) and it is not revoked.
   * @throws LlmopsError `unauthorized` (OpenAI's `invalid_api_key`) otherwise; the message never repeats the token.
   */
  async authenticate(token: string): Promise<ApiKeyRecord> {
    const parts = parseApiKey(token);
    const invalid = { openaiCode: 'invalid_api_key' } as const;
    if (!parts)
      throw new LlmopsError('unauthorized', 'the API key is malformed; expected llmops-<id>-<secret>', invalid);
    const record = await this.store.get(parts.id);
    const matches =
      record !== undefined &&
      timingSafeEqual(Buffer.from(hashApiKeySecret(parts.secret), 'hex'), Buffer.from(record.secretHash, 'hex'));
    if (!record || !matches) throw new LlmopsError('unauthorized', 'the API key is not valid', invalid);
    if (record.revokedAt !== undefined)
      throw new LlmopsError('unauthorized', `API key ${record.id} is revoked`, invalid);
    await this.touch(record.id);
    return record;
  }

  /** Writes `lastUsedAt`, at most once per `lastUsedEveryMs` per key from this process. */
  private async touch(id: string): Promise<void> {
    const now = this.clock.now();
    const written = this.lastUsedWritten.get(id);
    if (written !== undefined && now - written < this.lastUsedEveryMs) return;
    this.lastUsedWritten.set(id, now);
    try {
      await this.store.update(id, { lastUsedAt: now });
    } catch {
      // A busy file must not fail the request: the time is written on a later one.
      this.lastUsedWritten.delete(id);
    }
  }

  /** Whether a role may call what needs `required`: admin may call everything. */
  static allows(role: ApiKeyRole, required: ApiKeyRole): boolean {
    return role === 'admin' || role === required;
  }
}
