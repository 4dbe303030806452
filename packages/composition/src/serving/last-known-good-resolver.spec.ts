import { LlmopsError, ManualClock } from '@llmops/kernel';
import type { ModelResolver, ServableModel, ServableModelListing } from '@llmops/serving';
import { LastKnownGoodResolver } from './last-known-good-resolver.js';
import type { StoreOutage } from './last-known-good-resolver.js';

/** A registry as serving sees it: answers from `versions` while `up`, fails as an unreachable store otherwise. */
class SwitchableStore implements ModelResolver {
  up = true;
  calls = 0;
  readonly versions = new Map<string, number>([
    ['bot@champion', 3],
    ['bot/2', 2],
  ]);

  async resolve(reference: string): Promise<ServableModel> {
    this.calls += 1;
    if (!this.up) throw new LlmopsError('unavailable', 'MLflow at http://127.0.0.1:1 is unreachable');
    const version = this.versions.get(reference);
    if (version === undefined) throw new LlmopsError('not_found', `no model ${reference}`);
    return { name: 'bot', version } as unknown as ServableModel;
  }

  async list(): Promise<ServableModelListing[]> {
    this.calls += 1;
    if (!this.up) throw new LlmopsError('unavailable', 'MLflow at http://127.0.0.1:1 is unreachable');
    return [{ name: 'bot', latestVersion: 3, aliases: { champion: 3 }, createdAt: 1 }];
  }
}

describe('LastKnownGoodResolver', () => {
  const setUp = () => {
    const store = new SwitchableStore();
    const clock = new ManualClock(1_000);
    const changes: Array<StoreOutage | undefined> = [];
    const resolver = new LastKnownGoodResolver(store, { clock, onChange: (outage) => changes.push(outage) });
    return { store, clock, changes, resolver };
  };

  it('answers resolved references and the model list from memory while the store is unreachable', async () => {
    const { store, resolver, changes } = setUp();
    expect((await resolver.resolve('bot@champion')).version).toBe(3);
    expect((await resolver.resolve('bot/2')).version).toBe(2);
    await resolver.list();
    store.up = false;
    expect((await resolver.resolve('bot@champion')).version).toBe(3);
    expect((await resolver.resolve('bot/2')).version).toBe(2);
    expect(await resolver.list()).toEqual([expect.objectContaining({ name: 'bot', aliases: { champion: 3 } })]);
    expect(resolver.outage()).toMatchObject({ reason: expect.stringContaining('unreachable'), servedFromLastKnown: 3 });
    expect(changes).toHaveLength(1);
  });

  it('fails a reference it never resolved with the store error, and passes answers such as not_found through', async () => {
    const { store, resolver } = setUp();
    await expect(resolver.resolve('bot@nothing')).rejects.toMatchObject({ code: 'not_found' });
    expect(resolver.outage()).toBeUndefined();
    store.up = false;
    await expect(resolver.resolve('bot@staging')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('asks the store again only after a back-off that doubles, and sees an alias moved during the outage', async () => {
    const { store, clock, resolver, changes } = setUp();
    await resolver.resolve('bot@champion');
    store.up = false;
    store.calls = 0;
    await resolver.resolve('bot@champion');
    expect(store.calls).toBe(1);
    for (let index = 0; index < 5; index += 1) await resolver.resolve('bot@champion');
    expect(store.calls).toBe(1);
    clock.advance(1_000);
    await resolver.resolve('bot@champion');
    expect(store.calls).toBe(2);
    clock.advance(1_000);
    await resolver.resolve('bot@champion');
    expect(store.calls).toBe(2);
    clock.advance(1_000);
    store.up = true;
    store.versions.set('bot@champion', 4);
    expect((await resolver.resolve('bot@champion')).version).toBe(4);
    expect(resolver.outage()).toBeUndefined();
    expect(changes).toEqual([expect.objectContaining({ since: 1_000 }), undefined]);
  });

  it('answers a remembered reference after patienceMs when the store takes the call and never answers, then recovers', async () => {
    const store = new SwitchableStore();
    let answer: (() => void) | undefined;
    const hanging: ModelResolver = {
      resolve: (reference) =>
        answer === undefined && store.up === false
          ? new Promise((resolve) => (answer = () => void store.resolve(reference).then(resolve)))
          : store.resolve(reference),
      list: () => store.list(),
    };
    const changes: Array<StoreOutage | undefined> = [];
    const resolver = new LastKnownGoodResolver(hanging, {
      patienceMs: 20,
      initialBackoffMs: 0,
      onChange: (outage) => changes.push(outage),
    });
    expect((await resolver.resolve('bot@champion')).version).toBe(3);
    // A black-holed store: the call is taken and never answered; the remembered version answers after the wait.
    store.up = false;
    expect((await resolver.resolve('bot@champion')).version).toBe(3);
    expect(resolver.outage()?.reason).toMatch(/did not answer within 20 ms/);
    // A reference never resolved still waits for the store (there is nothing to answer with).
    await expect(resolver.resolve('bot/2')).rejects.toMatchObject({ code: 'unavailable' });
    // The slow call ends at last, with an answer: remembered, and the outage is over.
    store.up = true;
    store.versions.set('bot@champion', 4);
    answer?.();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolver.outage()).toBeUndefined();
    expect((await resolver.resolve('bot@champion')).version).toBe(4);
    expect(changes).toEqual([expect.objectContaining({ servedFromLastKnown: 0 }), undefined]);
  });
});
