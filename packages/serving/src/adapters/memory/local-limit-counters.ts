import { budgetWindows } from '../../domain/limits/budget-windows.js';
import { charge, fullBucket, msUntil, refill, take } from '../../domain/limits/token-bucket.js';
import type { TokenBucketShape, TokenBucketState } from '../../domain/limits/token-bucket.js';
import type { KeySpend, LimitCounters, LimitDecision, ServingCaller } from '../../ports.js';

/** Where in-process counters keep USD spent per key and window (`day:2025-06-30`, `month:2025-06`). */
export interface SpendLedger {
  addSpend(keyId: string, window: string, usd: number): void;
  spendOf(keyId: string, window: string): number;
}

/** A ledger in memory (tests, or a deployment without a key file). */
export class MemorySpendLedger implements SpendLedger {
  private readonly spent = new Map<string, number>();
  addSpend(keyId: string, window: string, usd: number): void {
    const key = `${keyId} ${window}`;
    this.spent.set(key, (this.spent.get(key) ?? 0) + usd);
  }
  spendOf(keyId: string, window: string): number {
    return this.spent.get(`${keyId} ${window}`) ?? 0;
  }
}

const minuteMs = 60_000;

/** A per-minute bucket of `capacity`. */
export function perMinute(capacity: number): TokenBucketShape {
  return { capacity, refillMs: minuteMs };
}

/**
 * Limit counters of one process: request and token buckets in memory (a restart refills them), spend in a
 * {@link SpendLedger} (the key store's SQLite file by default, so it survives restarts). Replicas that must share
 * limits use the Redis counters instead.
 */
export class LocalLimitCounters implements LimitCounters {
  readonly location = 'memory';
  private readonly ledger: SpendLedger;
  private readonly buckets = new Map<string, TokenBucketState>();

  constructor(options: { ledger?: SpendLedger } = {}) {
    this.ledger = options.ledger ?? new MemorySpendLedger();
  }

  private bucket(key: string, shape: TokenBucketShape, nowMs: number): TokenBucketState {
    return this.buckets.get(key) ?? fullBucket(shape, nowMs);
  }

  async admit(caller: ServingCaller, nowMs: number): Promise<LimitDecision> {
    const { keyId, limits } = caller;
    const windows = budgetWindows(nowMs);
    if (limits.budgetUsdDay !== undefined && this.ledger.spendOf(keyId, windows.day) >= limits.budgetUsdDay)
      return { admitted: false, reason: 'budget_day', retryAfterMs: windows.dayEndsAtMs - nowMs };
    if (limits.budgetUsdMonth !== undefined && this.ledger.spendOf(keyId, windows.month) >= limits.budgetUsdMonth)
      return { admitted: false, reason: 'budget_month', retryAfterMs: windows.monthEndsAtMs - nowMs };
    if (limits.tpm !== undefined) {
      const shape = perMinute(limits.tpm);
      const tokens = refill(shape, this.bucket(`tpm ${keyId}`, shape, nowMs), nowMs);
      const wait = msUntil(shape, tokens, 1);
      if (wait > 0) return { admitted: false, reason: 'tpm', retryAfterMs: wait };
    }
    if (limits.rpm !== undefined) {
      const shape = perMinute(limits.rpm);
      const taken = take(shape, this.bucket(`rpm ${keyId}`, shape, nowMs), { nowMs, amount: 1 });
      this.buckets.set(`rpm ${keyId}`, taken.state);
      if (taken.retryAfterMs > 0) return { admitted: false, reason: 'rpm', retryAfterMs: taken.retryAfterMs };
    }
    return { admitted: true };
  }

  async record(caller: ServingCaller, usage: { nowMs: number; tokens: number; costUsd: number }): Promise<void> {
    const { keyId, limits } = caller;
    if (limits.tpm !== undefined && usage.tokens > 0) {
      const shape = perMinute(limits.tpm);
      const key = `tpm ${keyId}`;
      this.buckets.set(
        key,
        charge(shape, this.bucket(key, shape, usage.nowMs), { nowMs: usage.nowMs, amount: usage.tokens }),
      );
    }
    if (usage.costUsd > 0) {
      const windows = budgetWindows(usage.nowMs);
      this.ledger.addSpend(keyId, windows.day, usage.costUsd);
      this.ledger.addSpend(keyId, windows.month, usage.costUsd);
    }
  }

  async spend(keyIds: readonly string[], nowMs: number): Promise<Map<string, KeySpend>> {
    const windows = budgetWindows(nowMs);
    return new Map(
      keyIds.map((keyId) => [
        keyId,
        { dayUsd: this.ledger.spendOf(keyId, windows.day), monthUsd: this.ledger.spendOf(keyId, windows.month) },
      ]),
    );
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}
