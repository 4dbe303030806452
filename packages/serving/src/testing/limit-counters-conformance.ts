import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { LimitCounters, ServingCaller } from '../ports.js';

/** One case of the limit counters conformance suite: a name and a run that throws on misbehaviour. */
export interface LimitCountersConformanceCase {
  name: string;
  run: () => Promise<void>;
}

/** A fresh key id for a case, so cases sharing one Redis never see each other's counters. */
function keyId(): string {
  return randomBytes(6).toString('hex');
}

const noon = Date.UTC(2025, 5, 30, 12, 0, 0);

/**
 * The behaviour every {@link LimitCounters} adapter must have (in process, Redis), with explicit times (no clock):
 * request buckets, tokens charged after the answer, day and month budgets and their waits, spend per key.
 * @param open makes the counters of one case; the suite closes them.
 */
export function limitCountersConformanceSuite(open: () => LimitCounters): LimitCountersConformanceCase[] {
  const withCounters = (run: (counters: LimitCounters) => Promise<void>) => async () => {
    const counters = open();
    try {
      await run(counters);
    } finally {
      await counters.close();
    }
  };
  return [
    {
      name: 'admits up to rpm requests at once, then refuses with the wait for one request to refill',
      run: withCounters(async (counters) => {
        const caller: ServingCaller = { keyId: keyId(), limits: { rpm: 3 } };
        for (let index = 0; index < 3; index += 1)
          assert.deepEqual(await counters.admit(caller, noon), { admitted: true });
        assert.deepEqual(await counters.admit(caller, noon), { admitted: false, reason: 'rpm', retryAfterMs: 20_000 });
        assert.deepEqual(await counters.admit(caller, noon + 19_999), {
          admitted: false,
          reason: 'rpm',
          retryAfterMs: 1,
        });
        assert.deepEqual(await counters.admit(caller, noon + 20_000), { admitted: true });
      }),
    },
    {
      name: 'charges tokens after the answer: into debt, refused until the bucket is above zero again',
      run: withCounters(async (counters) => {
        const caller: ServingCaller = { keyId: keyId(), limits: { tpm: 600 } };
        assert.deepEqual(await counters.admit(caller, noon), { admitted: true });
        await counters.record(caller, { nowMs: noon, tokens: 900, costUsd: 0 });
        // 600 - 900 = -300 tokens: 301 tokens to refill at 10 per second.
        assert.deepEqual(await counters.admit(caller, noon), { admitted: false, reason: 'tpm', retryAfterMs: 30_100 });
        assert.deepEqual(await counters.admit(caller, noon + 30_100), { admitted: true });
      }),
    },
    {
      name: 'refuses a key whose day budget is spent until the UTC day ends, and counts spend per key',
      run: withCounters(async (counters) => {
        const caller: ServingCaller = { keyId: keyId(), limits: { budgetUsdDay: 0.01 } };
        const other: ServingCaller = { keyId: keyId(), limits: {} };
        await counters.record(caller, { nowMs: noon, tokens: 10, costUsd: 0.004 });
        assert.deepEqual(await counters.admit(caller, noon), { admitted: true });
        await counters.record(caller, { nowMs: noon, tokens: 10, costUsd: 0.006 });
        assert.deepEqual(await counters.admit(caller, noon), {
          admitted: false,
          reason: 'budget_day',
          retryAfterMs: 12 * 3_600_000,
        });
        assert.deepEqual(await counters.admit(caller, noon + 12 * 3_600_000), { admitted: true });
        const spend = await counters.spend([caller.keyId, other.keyId], noon);
        assert.ok(Math.abs((spend.get(caller.keyId)?.dayUsd ?? 0) - 0.01) < 1e-9);
        assert.ok(Math.abs((spend.get(caller.keyId)?.monthUsd ?? 0) - 0.01) < 1e-9);
        assert.deepEqual(spend.get(other.keyId), { dayUsd: 0, monthUsd: 0 });
      }),
    },
    {
      name: 'refuses a key whose month budget is spent until the month ends, over several days',
      run: withCounters(async (counters) => {
        const caller: ServingCaller = { keyId: keyId(), limits: { budgetUsdMonth: 1 } };
        const june2 = Date.UTC(2025, 5, 2, 12);
        await counters.record(caller, { nowMs: june2, tokens: 0, costUsd: 0.6 });
        await counters.record(caller, { nowMs: noon - 3_600_000, tokens: 0, costUsd: 0.5 });
        const decision = await counters.admit(caller, noon);
        assert.deepEqual(decision, { admitted: false, reason: 'budget_month', retryAfterMs: 12 * 3_600_000 });
        const spend = await counters.spend([caller.keyId], noon);
        assert.ok(Math.abs((spend.get(caller.keyId)?.dayUsd ?? 0) - 0.5) < 1e-9);
      }),
    },
    {
      name: 'a refused request takes nothing from the request bucket',
      run: withCounters(async (counters) => {
        const caller: ServingCaller = { keyId: keyId(), limits: { rpm: 1, tpm: 100 } };
        assert.deepEqual(await counters.admit(caller, noon), { admitted: true });
        await counters.record(caller, { nowMs: noon, tokens: 200, costUsd: 0 });
        // The token bucket refuses first; the request bucket refills meanwhile and is still whole afterwards.
        assert.equal((await counters.admit(caller, noon + 60_000)).admitted, false);
        assert.deepEqual(await counters.admit(caller, noon + 60_600), { admitted: true });
      }),
    },
  ];
}
