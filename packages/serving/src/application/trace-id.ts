import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from `crypto` in one call and handed out ten at a time (as `crypto.randomUUID` caches them). */
const pool = Buffer.alloc(10 * 256);
let offset = pool.length;

/** The largest time a 48-bit field holds, in ms since the epoch (year 10889). */
const maxTimeMs = 2 ** 48 - 1;

/**
 * A new trace id, time-ordered: the layout of a UUIDv7 (RFC 9562) written as 32 lowercase hex characters without
 * dashes, as OpenTelemetry and MLflow take a trace id. The first 48 bits are `timeMs` (ms since the epoch), then the
 * version nibble `7`, 12 random bits, the variant bits `10` and 62 random bits: 74 random bits from `crypto`.
 * Ids of later traces sort after earlier ones (to the millisecond), so a store's index of trace ids grows at its end
 * instead of at a random place; two ids of one millisecond differ in their random bits.
 */
export function newTraceId(timeMs: number = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 10);
  offset += 10;
  const time = Math.min(maxTimeMs, Math.max(0, Math.floor(Number.isFinite(timeMs) ? timeMs : 0)));
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(time, 0, 6);
  random.copy(bytes, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  return bytes.toString('hex');
}
