import type { KeySpend, LimitCounters, LimitDecision, ServingCaller } from '../../ports.js';
import { LocalLimitCounters } from '../memory/local-limit-counters.js';
import { BackendFallback } from './backend-fallback.js';
import type { BackendFallbackOptions } from './backend-fallback.js';

/**
 * Limit counters on a shared backend (Redis) that fall back to in-process counters while it is unreachable: limits keep
 * applying, per replica (a key may get up to its limit on each replica during the outage), instead of not at all.
 */
export class FallbackLimitCounters implements LimitCounters {
  readonly location: string;
  /** The outage state and the count of calls the local counters answered. */
  readonly fallback: BackendFallback;
  private readonly local: LimitCounters;

  constructor(
    private readonly shared: LimitCounters,
    options: Omit<BackendFallbackOptions, 'name'> & { local?: LimitCounters } = {},
  ) {
    this.location = `${shared.location} (in-process counters while it is unreachable)`;
    this.local = options.local ?? new LocalLimitCounters();
    this.fallback = new BackendFallback({ ...options, name: 'limit counters' });
  }

  admit(caller: ServingCaller, nowMs: number): Promise<LimitDecision> {
    return this.fallback.run(
      () => this.shared.admit(caller, nowMs),
      () => this.local.admit(caller, nowMs),
    );
  }

  record(caller: ServingCaller, usage: { nowMs: number; tokens: number; costUsd: number }): Promise<void> {
    return this.fallback.run(
      () => this.shared.record(caller, usage),
      () => this.local.record(caller, usage),
    );
  }

  spend(keyIds: readonly string[], nowMs: number): Promise<Map<string, KeySpend>> {
    return this.fallback.run(
      () => this.shared.spend(keyIds, nowMs),
      () => this.local.spend(keyIds, nowMs),
    );
  }

  async close(): Promise<void> {
    try {
      await this.shared.close();
    } finally {
      await this.local.close();
    }
  }
}
