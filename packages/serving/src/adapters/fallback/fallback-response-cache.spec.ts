import { LlmopsError, ManualClock } from '@llmops/kernel';
import type { ResponseCacheStore } from '../../ports.js';
import { LruResponseCache } from '../memory/lru-response-cache.js';
import { FallbackResponseCache } from './fallback-response-cache.js';

/** A shared cache that answers while `up` and fails as an unreachable Redis otherwise. */
class SwitchableCache extends LruResponseCache implements ResponseCacheStore {
  up = true;
  calls = 0;

  override async get(key: string): Promise<string | undefined> {
    this.calls += 1;
    if (!this.up) throw new LlmopsError('unavailable', 'redis at redis://127.0.0.1:1 is unreachable');
    return super.get(key);
  }

  override async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.calls += 1;
    if (!this.up) throw new LlmopsError('unavailable', 'redis at redis://127.0.0.1:1 is unreachable');
    return super.set(key, value, ttlMs);
  }
}

describe('FallbackResponseCache', () => {
  it('answers from the local cache while the shared one is down, reports the outage once, and goes back', async () => {
    const shared = new SwitchableCache();
    const clock = new ManualClock(0);
    const changes: Array<string | undefined> = [];
    const cache = new FallbackResponseCache(shared, {
      clock,
      onChange: (name, error) => changes.push(error ? `${name} down: ${error.message}` : `${name} up`),
    });
    await cache.set('a', 'shared answer', 60_000);
    shared.up = false;
    await cache.set('b', 'local answer', 60_000);
    expect(await cache.get('b')).toBe('local answer');
    expect(await cache.get('a')).toBeUndefined();
    expect(shared.calls).toBe(2);
    expect(cache.fallback.fallbackCalls).toBe(3);
    expect(changes).toEqual(['response cache down: redis at redis://127.0.0.1:1 is unreachable']);
    clock.advance(5_000);
    shared.up = true;
    expect(await cache.get('a')).toBe('shared answer');
    expect(changes).toEqual([expect.stringContaining('down'), 'response cache up']);
    expect(cache.fallback.isDown).toBe(false);
  });
});
