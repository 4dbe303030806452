import type { TraceQueue } from './batching-trace-sink.js';
import type { PipelineTrace } from './pipeline.js';

/**
 * One trace queue that hands every trace to each of `queues` (the store's trace store and an OTLP
 * collector, each behind its own `BatchingTraceSink`, so that a slow or failing destination
 * neither delays nor loses the other's traces). A queue that throws is skipped, never the others.
 */
export function fanOutTraces(queues: readonly TraceQueue[]): TraceQueue {
  return {
    record(trace: PipelineTrace): void {
      for (const queue of queues) {
        try {
          queue.record(trace);
        } catch {
          // TraceQueue.record must not throw; one that does must not cost the other destinations their trace.
        }
      }
    },
  };
}
