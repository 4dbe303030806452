import { ManualClock } from '@llmops/kernel';
import { ResolutionCache } from './resolution-cache.js';

describe('ResolutionCache', () => {
  it('keeps an entry for its TTL and freezes it', () => {
    const clock = new ManualClock(0);
    const cache = new ResolutionCache({ clock, ttlMs: 5_000 });
    const value = cache.set('k', { nested: { list: [1] } }, cache.marker());
    expect(Object.isFrozen(value) && Object.isFrozen(value.nested) && Object.isFrozen(value.nested.list)).toBe(true);
    clock.advance(4_999);
    expect(cache.get('k')).toBe(value);
    clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops an entry when the store change marker moved', () => {
    let marker = 1;
    const cache = new ResolutionCache({
      clock: new ManualClock(),
      ttlMs: Number.POSITIVE_INFINITY,
      changeMarker: () => marker,
      changeCheckIntervalMs: 0,
    });
    cache.set('k', 'v', cache.marker());
    expect(cache.get('k')).toBe('v');
    marker = 2;
    expect(cache.get('k')).toBeUndefined();
  });

  it('reads the change marker at most once per check interval, not on every lookup', () => {
    const clock = new ManualClock(0);
    let marker = 1;
    let reads = 0;
    const cache = new ResolutionCache({
      clock,
      ttlMs: Number.POSITIVE_INFINITY,
      changeMarker: () => {
        reads += 1;
        return marker;
      },
      changeCheckIntervalMs: 1_000,
    });
    cache.set('k', 'v', cache.marker());
    for (let lookup = 0; lookup < 100; lookup += 1) expect(cache.get('k')).toBe('v');
    expect(reads).toBe(1);
    marker = 2;
    clock.advance(999);
    expect(cache.get('k')).toBe('v');
    clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
    expect(reads).toBe(2);
  });

  it('is emptied by clear and when full', () => {
    const cache = new ResolutionCache({ clock: new ManualClock(), ttlMs: Number.POSITIVE_INFINITY, maxEntries: 2 });
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.set('c', 3, 0);
    expect([cache.get('a'), cache.get('c'), cache.size]).toEqual([undefined, 3, 1]);
    cache.clear();
    expect(cache.get('c')).toBeUndefined();
  });
});
