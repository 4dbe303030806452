import { LlmopsError } from '@llmops/kernel';
import type { TraceSink } from '../ports.js';
import { BatchingTraceSink } from './batching-trace-sink.js';
import type { PipelineTrace } from './pipeline.js';
import { TraceRecorder } from './trace-recorder.js';

/** A sink in memory that keeps every batch it was given, and fails while `failing` is set. */
class InMemoryTraceSink implements TraceSink {
  readonly batches: string[][] = [];
  failing = false;

  async write(traces: readonly PipelineTrace[]): Promise<void> {
    if (this.failing) throw new LlmopsError('unavailable', 'the trace store is down');
    this.batches.push(traces.map((trace) => trace.requestId ?? ''));
  }
}

const trace = (requestId: string): PipelineTrace => new TraceRecorder({ requestId }).finish({ completed: true });

describe('BatchingTraceSink', () => {
  it('writes full batches at once and the rest on flush', async () => {
    const sink = new InMemoryTraceSink();
    const batching = new BatchingTraceSink({ sink, batchSize: 2, flushIntervalMs: 60_000 });
    for (const id of ['a', 'b', 'c']) batching.record(trace(id));
    await batching.flush();
    expect(sink.batches).toEqual([['a', 'b'], ['c']]);
    expect(batching.stats()).toEqual({ queued: 0, written: 3, dropped: 0, abandoned: 0 });
  });

  it('writes a partial batch once the interval passes', async () => {
    const sink = new InMemoryTraceSink();
    const batching = new BatchingTraceSink({ sink, batchSize: 100, flushIntervalMs: 5 });
    batching.record(trace('a'));
    expect(sink.batches).toEqual([]);
    while (sink.batches.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sink.batches).toEqual([['a']]);
  });

  it('drops and counts what comes when the queue is full', async () => {
    const sink = new InMemoryTraceSink();
    const batching = new BatchingTraceSink({ sink, maxQueued: 2, batchSize: 10, flushIntervalMs: 60_000 });
    for (const id of ['a', 'b', 'c', 'd']) batching.record(trace(id));
    expect(batching.stats()).toEqual({ queued: 2, written: 0, dropped: 2, abandoned: 0 });
    await batching.close();
    expect(sink.batches).toEqual([['a', 'b']]);
    expect(batching.stats()).toEqual({ queued: 0, written: 2, dropped: 2, abandoned: 0 });
  });

  it('drops a batch the sink rejects, tells onError without throwing, and keeps going', async () => {
    const sink = new InMemoryTraceSink();
    const errors: Array<[string, number]> = [];
    const batching = new BatchingTraceSink({
      sink,
      batchSize: 10,
      flushIntervalMs: 60_000,
      onError: (error, dropped) => errors.push([LlmopsError.fromUnknown(error).message, dropped]),
    });
    sink.failing = true;
    batching.record(trace('a'));
    batching.record(trace('b'));
    await batching.flush();
    sink.failing = false;
    batching.record(trace('c'));
    await batching.flush();
    expect(errors).toEqual([['the trace store is down', 2]]);
    expect(sink.batches).toEqual([['c']]);
    expect(batching.stats()).toEqual({ queued: 0, written: 1, dropped: 2, abandoned: 0 });
  });

  it('drains everything on close and then refuses new traces', async () => {
    const sink = new InMemoryTraceSink();
    const batching = new BatchingTraceSink({ sink, batchSize: 2, flushIntervalMs: 60_000 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) batching.record(trace(id));
    await batching.close();
    expect(sink.batches.flat()).toEqual(['a', 'b', 'c', 'd', 'e']);
    batching.record(trace('f'));
    expect(batching.stats()).toEqual({ queued: 0, written: 5, dropped: 1, abandoned: 0 });
  });
});
