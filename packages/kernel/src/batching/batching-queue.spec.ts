import { BatchingQueue } from './batching-queue.js';

describe('BatchingQueue', () => {
  it('writes full batches at once and the rest on flush, in order', async () => {
    const batches: number[][] = [];
    const queue = new BatchingQueue<number>({ write: async (batch) => void batches.push(batch), batchSize: 2 });
    [1, 2, 3].forEach((item) => queue.record(item));
    await queue.flush();
    expect(batches).toEqual([[1, 2], [3]]);
    expect(queue.stats()).toEqual({ queued: 0, written: 3, dropped: 0, abandoned: 0 });
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
    expect([queue.stats(), errors]).toEqual([{ queued: 0, written: 0, dropped: 3, abandoned: 0 }, [2]]);
    fail = false;
    queue.record('d');
    await queue.close();
    queue.record('e');
    expect(queue.stats()).toEqual({ queued: 0, written: 1, dropped: 4, abandoned: 0 });
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

  it('gives up on close after closeTimeoutMs: a write that never ends is aborted, the rest abandoned, reported once', async () => {
    const signals: AbortSignal[] = [];
    const errors: Array<{ code: unknown; dropped: number }> = [];
    const queue = new BatchingQueue<number>({
      // A destination that accepts the connection and never answers.
      write: (_batch, signal) => {
        signals.push(signal);
        return new Promise<void>(() => undefined);
      },
      batchSize: 2,
      closeTimeoutMs: 50,
      onError: (error, dropped) => errors.push({ code: (error as { code?: unknown }).code, dropped }),
    });
    [1, 2, 3, 4, 5].forEach((item) => queue.record(item));
    await queue.close();
    expect(queue.stats()).toEqual({ queued: 0, written: 0, dropped: 5, abandoned: 5 });
    expect(errors).toEqual([{ code: 'timeout', dropped: 5 }]);
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
    // Nothing waits behind the abandoned write any more.
    await queue.flush();
    queue.record(6);
    expect(queue.stats()).toEqual({ queued: 0, written: 0, dropped: 6, abandoned: 5 });
  });

  it('does not count an abandoned batch again when its write ends after close gave up', async () => {
    let finish: (() => void) | undefined;
    const queue = new BatchingQueue<number>({
      write: () => new Promise<void>((resolve) => (finish = resolve)),
      closeTimeoutMs: 20,
    });
    queue.record(1);
    await queue.close();
    finish?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.stats()).toEqual({ queued: 0, written: 0, dropped: 1, abandoned: 1 });
  });
});
