import { ManualClock } from '@llmops/kernel';
import { responseCacheConformanceSuite } from '../../testing/index.js';
import { LruResponseCache } from './lru-response-cache.js';

describe('LruResponseCache', () => {
  describe('conformance', () => {
    for (const conformanceCase of responseCacheConformanceSuite(() => {
      const clock = new ManualClock(1_000);
      return {
        store: new LruResponseCache({ clock }),
        elapse: async (ms) => clock.advance(ms),
      };
    })) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });

  it('drops the least recently used entry past its entry bound', async () => {
    const cache = new LruResponseCache({ maxEntries: 2 });
    await cache.set('a', '1', 60_000);
    await cache.set('b', '2', 60_000);
    await cache.get('a');
    await cache.set('c', '3', 60_000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe('1');
    expect(await cache.get('c')).toBe('3');
    expect(cache.stats().entries).toBe(2);
  });

  it('drops old entries past its byte bound, and never keeps a value larger than the bound', async () => {
    const cache = new LruResponseCache({ maxBytes: 80 });
    await cache.set('a', 'x'.repeat(20), 60_000);
    await cache.set('b', 'y'.repeat(20), 60_000);
    expect(cache.stats().entries).toBe(1);
    expect(await cache.get('a')).toBeUndefined();
    await cache.set('huge', 'z'.repeat(200), 60_000);
    expect(await cache.get('huge')).toBeUndefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(80);
  });

  it('refuses bounds that are not whole numbers ≥ 1, and calls after close', async () => {
    expect(() => new LruResponseCache({ maxEntries: 0 })).toThrow(
      'memory response cache: maxEntries is 0; expected an integer ≥ 1',
    );
    const cache = new LruResponseCache();
    await cache.close();
    await expect(cache.get('a')).rejects.toThrow('the memory response cache is closed');
  });
});
