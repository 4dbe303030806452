export { InMemoryModelResolver } from './in-memory-model-resolver.js';
export { InMemoryIndexStore } from './in-memory-index-store.js';
export { servableModelFromSpec } from './servable-model-from-spec.js';
