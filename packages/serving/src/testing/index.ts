export { InMemoryModelResolver } from './in-memory-model-resolver.js';
export { InMemoryIndexStore } from './in-memory-index-store.js';
export {
  buildPipelineTrace,
  buildFailedPipelineTrace,
  buildNestedPipelineTrace,
  randomTraceId,
} from './pipeline-trace-fixture.js';
export type { PipelineTraceOverrides } from './pipeline-trace-fixture.js';
export { traceSinkConformanceSuite } from './trace-sink-conformance.js';
export { traceReaderConformanceSuite } from './trace-reader-conformance.js';
export type {
  TraceReaderHarness,
  TraceReaderHarnessFactory,
  TraceReaderConformanceCase,
} from './trace-reader-conformance.js';
export type {
  StoredTraceFacts,
  TraceSinkHarness,
  TraceSinkHarnessFactory,
  TraceSinkConformanceCase,
} from './trace-sink-conformance.js';
export { servableModelFromSpec } from './servable-model-from-spec.js';
export { limitCountersConformanceSuite } from './limit-counters-conformance.js';
export type { LimitCountersConformanceCase } from './limit-counters-conformance.js';
export { responseCacheConformanceSuite } from './response-cache-conformance.js';
export type {
  ResponseCacheHarness,
  ResponseCacheHarnessFactory,
  ResponseCacheConformanceCase,
} from './response-cache-conformance.js';
