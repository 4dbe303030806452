import { BatchingQueue } from './batching-queue.js';

describe('BatchingQueue', () => {
  it('writes full batches at once and the rest on flush, in order', async () => {
    const batches: number[][] = [];
    const queue = new BatchingQueue<number>({ write: async (batch) => void batches.push(batch), batchSize: 2 });
    [1, 2, 3].forEach((item) => queue.record(item));
    await queue.flush();
    expect(batches).toEqual([[1, 2], [3]]);
    expect(queue.stats()).toEqual({ queued: 0, written: 3, dropped: 0 });
  });

  it('drops (and counts) what does not fit, a failed batch, and anything after close, never throwing', async () => {
    const errors: number[] = [];
    let fail = true;
    const queue = new BatchingQueue<string>({
      write: async () => {
        if (fail) throw new Error('store down');
      },
      maxQueued: 2,
      batchSize: 10,
      onError: (_error, dropped) => errors.push(dropped),
    });
    ['a', 'b', 'c'].forEach((item) => queue.record(item));
    await queue.flush();
    expect([queue.stats(), errors]).toEqual([{ queued: 0, written: 0, dropped: 3 }, [2]]);
    fail = false;
    queue.record('d');
    await queue.close();
    queue.record('e');
    expect(queue.stats()).toEqual({ queued: 0, written: 1, dropped: 4 });
  });

  it('writes a full batch in the next event-loop turn, after the code that filled it has run on', async () => {
    const batches: number[][] = [];
    const queue = new BatchingQueue<number>({ write: async (batch) => void batches.push(batch), batchSize: 2 });
    queue.record(1);
    queue.record(2);
    await Promise.resolve();
    expect(batches).toEqual([]);

    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2]]);
  });

  it('lets the event loop turn between the batches of a backlog', async () => {
    const events: string[] = [];
    const queue = new BatchingQueue<number>({
      write: async (batch) => void events.push(`write ${batch.join(',')}`),
      batchSize: 2,
      flushIntervalMs: 60_000,
    });
    [1, 2, 3, 4, 5].forEach((item) => queue.record(item));
    setImmediate(() => events.push('another task'));
    await queue.flush();
    expect(events).toEqual(['write 1,2', 'another task', 'write 3,4', 'write 5']);
  });
});
