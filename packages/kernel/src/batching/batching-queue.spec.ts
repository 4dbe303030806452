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
});
