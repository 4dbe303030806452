import type { TextDriftOptions } from './text-domain-classifier.js';

/** The kind of a monitored feature, which decides the family of tests. */
export type FeatureKind = 'numeric' | 'categorical' | 'text';

/** The test or distance that decided a feature's verdict. */
export type DriftMethod =
  'kolmogorov_smirnov' | 'wasserstein' | 'psi' | 'chi_square' | 'jensen_shannon' | 'domain_classifier';

/** Thresholds and sample-size rules of a drift report; every field has Evidently's default or ours, stated. */
export interface DriftOptions {
  /**
   * A reference with more values than this is "large": Wasserstein and Jensen–Shannon (distances) replace
   * Kolmogorov–Smirnov and chi-square (tests), and text uses the fixed AUC threshold. 1000, as Evidently.
   */
  smallSampleMax?: number;
  /** Drift when a test's p-value is below this (0.05, Evidently's 0.95 confidence). */
  pValueThreshold?: number;
  /** Drift when the normalised Wasserstein distance reaches this (0.1, as Evidently). */
  wassersteinThreshold?: number;
  /** Drift when the Jensen–Shannon distance (base 2) reaches this (0.1, Evidently's value). */
  jensenShannonThreshold?: number;
  /** Drift when the PSI reaches this (0.1, the customary "moderate shift"). */
  psiThreshold?: number;
  /** A numeric feature with at most this many distinct reference values is tested as categorical (5, as Evidently). */
  lowCardinalityMax?: number;
  /** Fewer values than this on either side → verdict "insufficient" (ours: 30 numeric, 30 categorical, 50 text). */
  minimumSampleSize?: Partial<Record<FeatureKind, number>>;
  /** The dataset drifted when at least this share of the tested features drifted (0.5, as Evidently). */
  datasetDriftShare?: number;
  /** Options of the text domain classifier (its seed, feature space, fixed threshold). */
  text?: Omit<TextDriftOptions, 'smallSampleMax'>;
}

/** {@link DriftOptions} with every default filled in. */
export interface ResolvedDriftOptions extends Required<Omit<DriftOptions, 'minimumSampleSize' | 'text'>> {
  minimumSampleSize: Record<FeatureKind, number>;
  text: Omit<TextDriftOptions, 'smallSampleMax'>;
}

/** Fills in the defaults of {@link DriftOptions}. */
export function resolveDriftOptions(options: DriftOptions = {}): ResolvedDriftOptions {
  return {
    smallSampleMax: options.smallSampleMax ?? 1000,
    pValueThreshold: options.pValueThreshold ?? 0.05,
    wassersteinThreshold: options.wassersteinThreshold ?? 0.1,
    jensenShannonThreshold: options.jensenShannonThreshold ?? 0.1,
    psiThreshold: options.psiThreshold ?? 0.1,
    lowCardinalityMax: options.lowCardinalityMax ?? 5,
    minimumSampleSize: { numeric: 30, categorical: 30, text: 50, ...options.minimumSampleSize },
    datasetDriftShare: options.datasetDriftShare ?? 0.5,
    text: options.text ?? {},
  };
}
