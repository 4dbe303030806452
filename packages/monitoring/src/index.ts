export type { CacheStatus, GuardrailVerdict, RequestEvent } from './domain/request-event.js';
export { chiSquareHomogeneityTest } from './domain/drift/chi-square-homogeneity.js';
export type { ChiSquareResult } from './domain/drift/chi-square-homogeneity.js';
export { resolveDriftOptions } from './domain/drift/drift-options.js';
export type { DriftMethod, DriftOptions, FeatureKind, ResolvedDriftOptions } from './domain/drift/drift-options.js';
export { buildDriftReport } from './domain/drift/drift-report.js';
export type { DriftReport } from './domain/drift/drift-report.js';
export { measureFeatureDrift } from './domain/drift/feature-drift.js';
export type {
  CategoricalFeature,
  DriftFeature,
  DriftVerdict,
  FeatureDriftResult,
  NumericFeature,
  TextFeature,
} from './domain/drift/feature-drift.js';
export { categoricalJensenShannonDistance, jensenShannonDistance } from './domain/drift/jensen-shannon-distance.js';
export { KOLMOGOROV_SMIRNOV_EXACT_MAX_SIZE, kolmogorovSmirnovTest } from './domain/drift/kolmogorov-smirnov.js';
export type { KolmogorovSmirnovMethod, KolmogorovSmirnovResult } from './domain/drift/kolmogorov-smirnov.js';
export {
  PSI_MODERATE_THRESHOLD,
  PSI_SIGNIFICANT_THRESHOLD,
  populationStabilityIndex,
  populationStabilityLevel,
} from './domain/drift/population-stability-index.js';
export type {
  PopulationStabilityLevel,
  PopulationStabilityOptions,
  PopulationStabilityResult,
} from './domain/drift/population-stability-index.js';
export { textDomainClassifierTest } from './domain/drift/text-domain-classifier.js';
export type {
  DomainClassifierThresholdRule,
  TextDriftOptions,
  TextDriftResult,
} from './domain/drift/text-domain-classifier.js';
export {
  normalizedWassersteinDistance,
  WASSERSTEIN_MIN_NORM,
  wassersteinDistance,
} from './domain/drift/wasserstein-distance.js';
