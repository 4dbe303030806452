import type { Clock, ProviderCatalog } from '@llmops/kernel';
import type { EvaluationEvidence, RegistryStore } from '../ports.js';
import type { ResolutionCache } from './resolution-cache.js';

/** What the use cases work with: the store, the evidence port, the clock, the cache and the default actor. */
export interface RegistryContext {
  store: RegistryStore;
  evidence: EvaluationEvidence;
  clock: Clock;
  cache: ResolutionCache;
  /** Who acts when a call names nobody (a user name, `api-admin`…). */
  actor: string;
  /** The providers model specs are checked against at registration; unchecked when absent. */
  providers?: ProviderCatalog;
}
