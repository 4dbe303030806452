import { buildPipelineTrace } from '../testing/index.js';
import type { TraceQueue } from './batching-trace-sink.js';
import { fanOutTraces } from './fan-out-trace-queue.js';
import type { PipelineTrace } from './pipeline.js';

describe('fanOutTraces', () => {
  it('hands every trace to each queue, even when one of them throws', () => {
    const first: PipelineTrace[] = [];
    const last: PipelineTrace[] = [];
    const broken: TraceQueue = {
      record: () => {
        throw new Error('broken queue');
      },
    };
    const queue = fanOutTraces([
      { record: (trace) => first.push(trace) },
      broken,
      { record: (trace) => last.push(trace) },
    ]);
    const trace = buildPipelineTrace();
    expect(() => queue.record(trace)).not.toThrow();
    expect(first).toEqual([trace]);
    expect(last).toEqual([trace]);
  });
});
