import { budgetWindows } from '../../domain/limits/budget-windows.js';
import type { KeySpend, LimitCounters, LimitDecision, LimitRefusal, ServingCaller } from '../../ports.js';
import { RedisConnection } from './redis-connection.js';
import type { RedisConnectionOptions } from './redis-connection.js';

/** Settings of {@link RedisLimitCounters}. */
export interface RedisLimitCountersOptions extends RedisConnectionOptions {
  /** Put before every key; `llmops:limits:` by default. */
  keyPrefix?: string;
}

// The bucket maths of domain/limits/token-bucket.ts, in Lua so that each call is one atomic step on the server.
// A bucket is a hash {t: tokens, u: updated at ms}; numbers travel as strings (Lua numbers returned to Redis are
// truncated to integers).
const bucketLua = `
local function refill(key, capacity, now)
  local state = redis.call('HMGET', key, 't', 'u')
  local tokens = tonumber(state[1])
  local updated = tonumber(state[2])
  if tokens == nil or updated == nil then return capacity end
  local elapsed = math.max(0, now - updated)
  return math.min(capacity, tokens + elapsed * capacity / 60000)
end
local function wait(tokens, wanted, capacity)
  if tokens >= wanted then return 0 end
  return math.max(1, math.ceil((wanted - tokens) * 60000 / capacity - 0.000001))
end
`;

// KEYS: rpm bucket, tpm bucket, day spend, month spend.
// ARGV: now, rpm, tpm, day budget, month budget (0: no limit), day end, month end.
const admitLua = `${bucketLua}
local now = tonumber(ARGV[1])
local rpm, tpm = tonumber(ARGV[2]), tonumber(ARGV[3])
local dayBudget, monthBudget = tonumber(ARGV[4]), tonumber(ARGV[5])
if dayBudget > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') >= dayBudget then
  return {'budget_day', tostring(tonumber(ARGV[6]) - now)}
end
if monthBudget > 0 and tonumber(redis.call('GET', KEYS[4]) or '0') >= monthBudget then
  return {'budget_month', tostring(tonumber(ARGV[7]) - now)}
end
if tpm > 0 then
  local tokens = refill(KEYS[2], tpm, now)
  local ms = wait(tokens, 1, tpm)
  if ms > 0 then return {'tpm', tostring(ms)} end
end
if rpm > 0 then
  local tokens = refill(KEYS[1], rpm, now)
  local ms = wait(tokens, 1, rpm)
  if ms > 0 then return {'rpm', tostring(ms)} end
  redis.call('HSET', KEYS[1], 't', tostring(tokens - 1), 'u', tostring(now))
  redis.call('PEXPIRE', KEYS[1], 120000)
end
return {'ok', '0'}
`;

// KEYS: tpm bucket, day spend, month spend.
// ARGV: now, tpm (0: none), tokens, cost, day and month spend lifetimes in ms (relative, so the caller's clock rules).
const recordLua = `${bucketLua}
local now, tpm, used, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if tpm > 0 and used > 0 then
  local tokens = refill(KEYS[1], tpm, now) - used
  redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(now))
  redis.call('PEXPIRE', KEYS[1], 120000 + math.ceil(math.max(0, -tokens) * 60000 / tpm))
end
if cost > 0 then
  redis.call('INCRBYFLOAT', KEYS[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  redis.call('INCRBYFLOAT', KEYS[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[3], ARGV[6])
end
return 'ok'
`;

const dayMs = 86_400_000;

/**
 * Limit counters in Redis (`REDIS_URL`), shared by every API replica: each admission and each charge is one Lua script,
 * so two replicas never both take the last request of a bucket. Buckets expire when idle; spend keys expire a day
 * (day windows) or a month (month windows) after their window ends, so `keys list` still shows them meanwhile.
 * While Redis is unreachable, calls fail fast with `unavailable` (the limits step then lets the request through).
 */
export class RedisLimitCounters implements LimitCounters {
  readonly location: string;
  private readonly redis: RedisConnection;
  private readonly keyPrefix: string;

  /** @throws LlmopsError `invalid_input` for a URL that is not `redis://` or `rediss://` (the URL is not repeated). */
  constructor(options: RedisLimitCountersOptions) {
    this.redis = new RedisConnection('limit counters', options);
    this.location = this.redis.location;
    this.keyPrefix = options.keyPrefix ?? 'llmops:limits:';
  }

  private key(keyId: string, part: string): string {
    return `${this.keyPrefix}${keyId}:${part}`;
  }

  private get client() {
    return this.redis.client;
  }

  private command<T>(action: string, run: () => Promise<T>): Promise<T> {
    return this.redis.command(action, run);
  }

  async admit(caller: ServingCaller, nowMs: number): Promise<LimitDecision> {
    const { keyId, limits } = caller;
    const windows = budgetWindows(nowMs);
    const reply = (await this.command('admit a request in', () =>
      this.client.eval(admitLua, {
        keys: [
          this.key(keyId, 'rpm'),
          this.key(keyId, 'tpm'),
          this.key(keyId, windows.day),
          this.key(keyId, windows.month),
        ],
        arguments: [
          String(nowMs),
          String(limits.rpm ?? 0),
          String(limits.tpm ?? 0),
          String(limits.budgetUsdDay ?? 0),
          String(limits.budgetUsdMonth ?? 0),
          String(windows.dayEndsAtMs),
          String(windows.monthEndsAtMs),
        ],
      }),
    )) as [string, string];
    if (reply[0] === 'ok') return { admitted: true };
    return { admitted: false, reason: reply[0] as LimitRefusal, retryAfterMs: Number(reply[1]) };
  }

  async record(caller: ServingCaller, usage: { nowMs: number; tokens: number; costUsd: number }): Promise<void> {
    const { keyId, limits } = caller;
    const windows = budgetWindows(usage.nowMs);
    await this.command('charge an answer to', () =>
      this.client.eval(recordLua, {
        keys: [this.key(keyId, 'tpm'), this.key(keyId, windows.day), this.key(keyId, windows.month)],
        arguments: [
          String(usage.nowMs),
          String(limits.tpm ?? 0),
          String(usage.tokens),
          String(usage.costUsd),
          String(windows.dayEndsAtMs - usage.nowMs + dayMs),
          String(windows.monthEndsAtMs - usage.nowMs + 31 * dayMs),
        ],
      }),
    );
  }

  async spend(keyIds: readonly string[], nowMs: number): Promise<Map<string, KeySpend>> {
    if (keyIds.length === 0) return new Map();
    const windows = budgetWindows(nowMs);
    const keys = keyIds.flatMap((keyId) => [this.key(keyId, windows.day), this.key(keyId, windows.month)]);
    const values = await this.command('read spend from', () => this.client.mGet(keys));
    return new Map(
      keyIds.map((keyId, index) => [
        keyId,
        { dayUsd: Number(values[2 * index] ?? 0), monthUsd: Number(values[2 * index + 1] ?? 0) },
      ]),
    );
  }

  async close(): Promise<void> {
    await this.redis.close();
  }
}
