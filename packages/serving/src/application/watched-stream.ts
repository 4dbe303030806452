/** How a watched stream ended: read to its end (`completed`), or not (stopped by its consumer, or failed with `error`). */
export interface StreamEnd {
  completed: boolean;
  error?: unknown;
}

/** What {@link watchedStream} calls as a stream passes. */
export interface StreamWatch<Chunk> {
  /** Called with each chunk before it is handed on. */
  onChunk?: (chunk: Chunk) => void;
  /** Called once when the stream ends, however it ends (not when it is stopped before its first chunk was asked for). */
  onEnd: (end: StreamEnd) => void;
}

/**
 * The chunks of a stream unchanged, watched: what an async generator of `try { for await … yield } finally` does,
 * written as a plain iterator, since every async generator layered on a stream costs its consumer extra promises and
 * turns of the microtask queue for every chunk. Like such a generator, the inner stream is opened on the first `next`,
 * a consumer's `return` closes it, and a stream stopped before its first `next` ends without `onEnd`.
 */
export function watchedStream<Chunk>(
  inner: AsyncIterable<Chunk>,
  watch: StreamWatch<Chunk>,
): AsyncIterableIterator<Chunk> {
  let iterator: AsyncIterator<Chunk> | undefined;
  let state: 'unstarted' | 'running' | 'ended' = 'unstarted';
  const end = (outcome: StreamEnd): void => {
    state = 'ended';
    watch.onEnd(outcome);
  };
  const stream: AsyncIterableIterator<Chunk> = {
    [Symbol.asyncIterator]: () => stream,
    next: async () => {
      if (state === 'ended') return { done: true, value: undefined };
      state = 'running';
      iterator ??= inner[Symbol.asyncIterator]();
      let result: IteratorResult<Chunk>;
      try {
        result = await iterator.next();
      } catch (error) {
        end({ completed: false, error });
        throw error;
      }
      if (result.done) {
        end({ completed: true });
        return { done: true, value: undefined };
      }
      try {
        watch.onChunk?.(result.value);
      } catch (error) {
        state = 'ended';
        try {
          await iterator.return?.();
        } catch {
          // The chunk's error is the one to report, as a `for await` loop left by a throw reports it.
        }
        watch.onEnd({ completed: false, error });
        throw error;
      }
      return result;
    },
    return: async (value?: unknown) => {
      if (state === 'running') {
        state = 'ended';
        try {
          await iterator?.return?.();
        } finally {
          watch.onEnd({ completed: false });
        }
      }
      state = 'ended';
      return { value, done: true };
    },
  };
  return stream;
}
