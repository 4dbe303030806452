import { chiSquareHomogeneityTest } from './chi-square-homogeneity.js';
import type { DriftMethod, FeatureKind, ResolvedDriftOptions } from './drift-options.js';
import { categoricalJensenShannonDistance } from './jensen-shannon-distance.js';
import { kolmogorovSmirnovTest } from './kolmogorov-smirnov.js';
import { populationStabilityIndex } from './population-stability-index.js';
import { textDomainClassifierTest } from './text-domain-classifier.js';
import { normalizedWassersteinDistance } from './wasserstein-distance.js';

/** A numeric feature's two samples (non-finite values are ignored as missing). */
export interface NumericFeature {
  name: string;
  kind: 'numeric';
  reference: readonly number[];
  current: readonly number[];
  /** Overrides the method chosen by sample size. */
  method?: 'kolmogorov_smirnov' | 'wasserstein' | 'psi';
}

/** A categorical feature's two samples (each value a category label). */
export interface CategoricalFeature {
  name: string;
  kind: 'categorical';
  reference: readonly string[];
  current: readonly string[];
  /** Overrides the method chosen by sample size. */
  method?: 'chi_square' | 'jensen_shannon';
}

/** A text feature's two samples (questions, answers). */
export interface TextFeature {
  name: string;
  kind: 'text';
  reference: readonly string[];
  current: readonly string[];
}

/** One monitored feature with its reference and current samples. */
export type DriftFeature = NumericFeature | CategoricalFeature | TextFeature;

/** The verdict on one feature; "insufficient" when a sample is below the minimum size (never counted as drift). */
export type DriftVerdict = 'drift' | 'no_drift' | 'insufficient';

/** What was measured on one feature and what it means. */
export interface FeatureDriftResult {
  name: string;
  kind: FeatureKind;
  /** Null when the feature was not tested (insufficient data). */
  method: DriftMethod | null;
  referenceSize: number;
  currentSize: number;
  /** KS D, χ², normalised Wasserstein, Jensen–Shannon distance, PSI or ROC AUC; null when not tested. */
  statistic: number | null;
  /** The p-value of a test (KS, chi-square); null for distances and the classifier. */
  pValue: number | null;
  /**
   * With `thresholdOn: "p_value"` drift means pValue < threshold; with "statistic", statistic ≥ threshold
   * (strictly above for the classifier's AUC, as Evidently).
   */
  threshold: number | null;
  thresholdOn: 'p_value' | 'statistic' | null;
  verdict: DriftVerdict;
  /** Why a feature is "insufficient", in words. */
  reason?: string;
}

function finite(values: readonly number[]): number[] {
  return values.filter((value) => Number.isFinite(value));
}

/** Whether a sample holds at most `max` distinct values, stopping as soon as it holds more. */
function hasAtMostDistinct(values: readonly number[], max: number): boolean {
  const seen = new Set<number>();
  for (const value of values) {
    seen.add(value);
    if (seen.size > max) return false;
  }
  return true;
}

type Measured = Pick<FeatureDriftResult, 'method' | 'statistic' | 'pValue' | 'threshold' | 'thresholdOn'> & {
  drift: boolean;
};

function pValueTest(method: DriftMethod, result: { statistic: number; pValue: number }, alpha: number): Measured {
  const { statistic, pValue } = result;
  return { method, statistic, pValue, threshold: alpha, thresholdOn: 'p_value', drift: pValue < alpha };
}

function distance(method: DriftMethod, statistic: number, threshold: number): Measured {
  return { method, statistic, pValue: null, threshold, thresholdOn: 'statistic', drift: statistic >= threshold };
}

function measureCategorical(
  feature: { reference: readonly string[]; current: readonly string[]; method?: CategoricalFeature['method'] },
  options: ResolvedDriftOptions,
): Measured {
  const method =
    feature.method ?? (feature.reference.length > options.smallSampleMax ? 'jensen_shannon' : 'chi_square');
  if (method === 'chi_square') {
    return pValueTest(method, chiSquareHomogeneityTest(feature.reference, feature.current), options.pValueThreshold);
  }
  return distance(
    method,
    categoricalJensenShannonDistance(feature.reference, feature.current),
    options.jensenShannonThreshold,
  );
}

function measureNumeric(
  samples: { reference: number[]; current: number[] },
  feature: NumericFeature,
  options: ResolvedDriftOptions,
): Measured {
  const { reference, current } = samples;
  if (feature.method === undefined && hasAtMostDistinct(reference, options.lowCardinalityMax)) {
    return measureCategorical({ reference: reference.map(String), current: current.map(String) }, options);
  }
  const method = feature.method ?? (reference.length > options.smallSampleMax ? 'wasserstein' : 'kolmogorov_smirnov');
  switch (method) {
    case 'kolmogorov_smirnov':
      return pValueTest(method, kolmogorovSmirnovTest(reference, current), options.pValueThreshold);
    case 'wasserstein':
      return distance(method, normalizedWassersteinDistance(reference, current), options.wassersteinThreshold);
    case 'psi':
      return distance(method, populationStabilityIndex(reference, current).statistic, options.psiThreshold);
  }
}

function measureText(feature: TextFeature, options: ResolvedDriftOptions): Measured {
  const result = textDomainClassifierTest(feature.reference, feature.current, {
    ...options.text,
    smallSampleMax: options.smallSampleMax,
  });
  return {
    method: 'domain_classifier',
    statistic: result.auc,
    pValue: null,
    threshold: result.threshold,
    thresholdOn: 'statistic',
    drift: result.drift,
  };
}

interface Sized {
  feature: DriftFeature;
  referenceSize: number;
  currentSize: number;
}

/** Applies the minimum sample size, then measures and turns the measurement into a verdict. */
function conclude(sized: Sized, options: ResolvedDriftOptions, measure: () => Measured): FeatureDriftResult {
  const { feature, referenceSize, currentSize } = sized;
  const base = { name: feature.name, kind: feature.kind, referenceSize, currentSize };
  const minimum = options.minimumSampleSize[feature.kind];
  if (referenceSize < minimum || currentSize < minimum) {
    return {
      ...base,
      method: null,
      statistic: null,
      pValue: null,
      threshold: null,
      thresholdOn: null,
      verdict: 'insufficient',
      reason: `needs at least ${minimum} values on each side, has ${referenceSize} reference and ${currentSize} current`,
    };
  }
  const { drift, ...measured } = measure();
  return { ...base, ...measured, verdict: drift ? 'drift' : 'no_drift' };
}

/**
 * Measures one feature with the method its kind and reference size call for (Evidently's defaults: KS or
 * Wasserstein for numeric, chi-square or Jensen–Shannon for categorical and low-cardinality numeric, the domain
 * classifier for text), unless the feature names its method, and gives the verdict.
 */
export function measureFeatureDrift(feature: DriftFeature, options: ResolvedDriftOptions): FeatureDriftResult {
  const sizes = { referenceSize: feature.reference.length, currentSize: feature.current.length };
  switch (feature.kind) {
    case 'numeric': {
      const reference = finite(feature.reference);
      const current = finite(feature.current);
      return conclude({ feature, referenceSize: reference.length, currentSize: current.length }, options, () =>
        measureNumeric({ reference, current }, feature, options),
      );
    }
    case 'categorical':
      return conclude({ feature, ...sizes }, options, () => measureCategorical(feature, options));
    case 'text':
      return conclude({ feature, ...sizes }, options, () => measureText(feature, options));
  }
}
