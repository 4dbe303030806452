import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * What a key may call: `inference` the OpenAI-compatible `/v1/*` routes, `reader` the reads of the console (registry,
 * evaluations, traces, monitoring; never a mutation, never the keys), `admin` every route.
 */
export const apiKeyRoles = ['inference', 'reader', 'admin'] as const;
/** One of {@link apiKeyRoles}. */
export type ApiKeyRole = (typeof apiKeyRoles)[number];

/** The limits of one key; an absent limit does not apply. */
export const apiKeyLimitsSchema = z.strictObject({
  /** Requests per minute (a token bucket of this capacity, refilled evenly over a minute). */
  rpm: z.number().int().min(1).max(1_000_000).optional(),
  /** Tokens (prompt + completion, counted from each answer's usage) per minute. */
  tpm: z.number().int().min(1).max(1_000_000_000).optional(),
  /** USD spent per UTC day, from each answer's cost. */
  budgetUsdDay: z.number().positive().max(1_000_000).optional(),
  /** USD spent per UTC calendar month. */
  budgetUsdMonth: z.number().positive().max(10_000_000).optional(),
});
/** The limits of one key. */
export type ApiKeyLimits = z.infer<typeof apiKeyLimitsSchema>;

/** A key as the store keeps it: never the secret, only its SHA-256. */
export interface ApiKeyRecord {
  /** 12 lowercase hex characters; public (in `keys list`, monitoring events and logs). */
  id: string;
  name: string;
  role: ApiKeyRole;
  limits: ApiKeyLimits;
  /** Hex SHA-256 of the secret. */
  secretHash: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastUsedAt?: number;
  revokedAt?: number;
  rotatedAt?: number;
}

/** The prefix every key starts with, so a leaked key is recognisable (secret scanners, logs). */
export const apiKeyPrefix = 'llmops-';
const idPattern = /^[0-9a-f]{12}$/;
const tokenPattern = /^llmops-([0-9a-f]{12})-([A-Za-z0-9_-]{43})$/;

/** A new key id: 12 random hex characters. */
export function newApiKeyId(): string {
  return randomBytes(6).toString('hex');
}

/** Whether a text is shaped like a key id. */
export function isApiKeyId(text: string): boolean {
  return idPattern.test(text);
}

/** A new secret: 32 random bytes, base64url (43 characters). */
export function newApiKeySecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The whole key a client sends (`Authorization: Bearer …`): `llmops-<id>-<secret>`. */
export function formatApiKey(id: string, secret: string): string {
  return `${apiKeyPrefix}${id}-${secret}`;
}

/** The id and secret of a key a client sent, or `undefined` when it is not shaped like one. */
export function parseApiKey(token: string): { id: string; secret: string } | undefined {
  const match = tokenPattern.exec(token);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

/**
 * The stored form of a secret: hex SHA-256. A fast unsalted hash is enough here (unlike passwords) because the secret
 * is 256 random bits: no dictionary or brute force applies, and a salt would add nothing. Fast matters too, as every
 * request checks it.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
