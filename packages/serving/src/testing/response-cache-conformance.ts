import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ResponseCacheStore } from '../ports.js';

/** A response cache under test, and how to let time pass for it. */
export interface ResponseCacheHarness {
  store: ResponseCacheStore;
  /** Lets `ms` milliseconds pass for the store (a manual clock advanced, or a real wait for Redis). */
  elapse(ms: number): Promise<void>;
}

/** Makes a harness for one conformance case (a new store each time; it may share a file or a server). */
export type ResponseCacheHarnessFactory = () => Promise<ResponseCacheHarness> | ResponseCacheHarness;

/** One case of the response cache conformance suite: a name and a run that throws (an AssertionError) on misbehaviour. */
export interface ResponseCacheConformanceCase {
  name: string;
  run: () => Promise<void>;
}

/** A key no other case or run uses (stores may share a file or a server). */
const uniqueKey = (label: string) => `conformance:${label}:${randomUUID()}`;

const cases: Array<[string, (harness: ResponseCacheHarness) => Promise<void>]> = [
  [
    'gives back what was stored, and nothing for a key never stored',
    async ({ store }) => {
      const key = uniqueKey('roundtrip');
      const value = JSON.stringify({ answer: 'Refunds take 5–7 days ✓', deltas: ['a', 'b'] });
      await store.set(key, value, 60_000);
      assert.equal(await store.get(key), value);
      assert.equal(await store.get(uniqueKey('absent')), undefined);
    },
  ],
  [
    'replaces the value of a key stored again',
    async ({ store }) => {
      const key = uniqueKey('replace');
      await store.set(key, 'first', 60_000);
      await store.set(key, 'second', 60_000);
      assert.equal(await store.get(key), 'second');
    },
  ],
  [
    'forgets a value once its time to live has passed, and keeps one whose time has not',
    async ({ store, elapse }) => {
      const short = uniqueKey('short');
      const long = uniqueKey('long');
      await store.set(short, 'gone soon', 40);
      await store.set(long, 'still here', 60_000);
      await elapse(120);
      assert.equal(await store.get(short), undefined);
      assert.equal(await store.get(long), 'still here');
    },
  ],
  [
    'a stored-again key lives for its new time to live',
    async ({ store, elapse }) => {
      const key = uniqueKey('renew');
      await store.set(key, 'old', 40);
      await store.set(key, 'new', 60_000);
      await elapse(120);
      assert.equal(await store.get(key), 'new');
    },
  ],
  [
    'keeps keys apart: one value per key',
    async ({ store }) => {
      const keys = Array.from({ length: 20 }, (_, index) => uniqueKey(`many-${index}`));
      await Promise.all(keys.map((key, index) => store.set(key, `value ${index}`, 60_000)));
      const values = await Promise.all(keys.map((key) => store.get(key)));
      assert.deepEqual(
        values,
        keys.map((_, index) => `value ${index}`),
      );
    },
  ],
];

/**
 * The cases every {@link ResponseCacheStore} must pass (the in-process LRU, SQLite and Redis run the same suite).
 * Each case makes its own harness.
 */
export function responseCacheConformanceSuite(factory: ResponseCacheHarnessFactory): ResponseCacheConformanceCase[] {
  return cases.map(([name, run]) => ({ name, run: async () => run(await factory()) }));
}
