export { registryStoreConformanceSuite, assertRejectsWith } from './registry-store-conformance.js';
export type { RegistryStoreFactory, ConformanceCase } from './registry-store-conformance.js';
export { InMemoryEvaluationEvidence } from './in-memory-evaluation-evidence.js';
