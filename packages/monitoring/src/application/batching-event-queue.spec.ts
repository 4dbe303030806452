import { LlmopsError } from '@llmops/kernel';
import { requestEvent } from '../__fixtures__/request-events.js';
import type { RequestEvent } from '../domain/request-event.js';
import { BatchingEventQueue } from './batching-event-queue.js';

/** A store that keeps the batches it was given, and fails when told to. */
function recordingStore(options: { fail?: boolean } = {}) {
  const batches: RequestEvent[][] = [];
  return {
    batches,
    append: async (events: readonly RequestEvent[]) => {
      if (options.fail) throw new LlmopsError('unavailable', 'event store is busy');
      batches.push([...events]);
    },
  };
}

describe('BatchingEventQueue', () => {
  it('writes full batches at once and the rest when flushed', async () => {
    const store = recordingStore();
    const queue = new BatchingEventQueue({ store, batchSize: 3, flushIntervalMs: 60_000 });
    for (let index = 0; index < 7; index += 1) queue.record(requestEvent({ requestId: `req-${index}` }));
    await queue.flush();
    expect(store.batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(store.batches.flat().map((event) => event.requestId)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `req-${i}`));
    expect(queue.stats()).toEqual({ queued: 0, written: 7, dropped: 0, abandoned: 0 });
  });

  it('writes a partial batch once the flush interval has passed', async () => {
    const store = recordingStore();
    const queue = new BatchingEventQueue({ store, batchSize: 100, flushIntervalMs: 5 });
    queue.record(requestEvent());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await queue.flush();
    expect(store.batches).toHaveLength(1);
    expect(queue.stats().written).toBe(1);
  });

  it('counts events recorded while the queue is full as drops, without blocking or throwing', async () => {
    const store = recordingStore();
    const queue = new BatchingEventQueue({ store, maxQueued: 5, batchSize: 100, flushIntervalMs: 60_000 });
    for (let index = 0; index < 8; index += 1) queue.record(requestEvent({ requestId: `req-${index}` }));
    expect(queue.stats()).toEqual({ queued: 5, written: 0, dropped: 3, abandoned: 0 });
    await queue.close();
    expect(store.batches.flat().map((event) => event.requestId)).toEqual(['req-0', 'req-1', 'req-2', 'req-3', 'req-4']);
    expect(queue.stats()).toEqual({ queued: 0, written: 5, dropped: 3, abandoned: 0 });
  });

  it('drops a batch the store refuses, reports it, and goes on', async () => {
    const failures: Array<[string, number]> = [];
    const queue = new BatchingEventQueue({
      store: recordingStore({ fail: true }),
      batchSize: 2,
      flushIntervalMs: 60_000,
      onError: (error, dropped) => failures.push([LlmopsError.fromUnknown(error).code, dropped]),
    });
    for (let index = 0; index < 3; index += 1) queue.record(requestEvent());
    await queue.flush();
    expect(failures).toEqual([
      ['unavailable', 2],
      ['unavailable', 1],
    ]);
    expect(queue.stats()).toEqual({ queued: 0, written: 0, dropped: 3, abandoned: 0 });
  });

  it('writes what is queued on close and counts events recorded after it as drops', async () => {
    const store = recordingStore();
    const queue = new BatchingEventQueue({ store, batchSize: 100, flushIntervalMs: 60_000 });
    queue.record(requestEvent());
    queue.record(requestEvent());
    await queue.close();
    queue.record(requestEvent());
    expect(store.batches.flat()).toHaveLength(2);
    expect(queue.stats()).toEqual({ queued: 0, written: 2, dropped: 1, abandoned: 0 });
  });
});
