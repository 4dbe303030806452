import { resolveDriftOptions } from './drift-options.js';
import type { DriftOptions } from './drift-options.js';
import { measureFeatureDrift } from './feature-drift.js';
import type { DriftFeature, DriftVerdict, FeatureDriftResult } from './feature-drift.js';

/** Per-feature drift and the dataset's overall verdict. */
export interface DriftReport {
  features: FeatureDriftResult[];
  /** Features with enough data to be tested. */
  testedFeatures: number;
  driftedFeatures: number;
  /** drifted / tested; null when no feature could be tested. */
  driftShare: number | null;
  /** The share at or above which the dataset drifted. */
  datasetDriftShare: number;
  /** "drift" when driftShare ≥ datasetDriftShare; "insufficient" when no feature could be tested. */
  verdict: DriftVerdict;
}

/**
 * Compares each feature's current sample with its reference and decides whether the dataset drifted, as
 * Evidently's dataset drift does: by the share of drifted features. Features without enough data are reported as
 * "insufficient" and left out of the share, so a quiet window never reads as drift.
 */
export function buildDriftReport(features: readonly DriftFeature[], options: DriftOptions = {}): DriftReport {
  const resolved = resolveDriftOptions(options);
  const results = features.map((feature) => measureFeatureDrift(feature, resolved));
  const tested = results.filter((result) => result.verdict !== 'insufficient').length;
  const drifted = results.filter((result) => result.verdict === 'drift').length;
  const driftShare = tested === 0 ? null : drifted / tested;
  let verdict: DriftVerdict = 'insufficient';
  if (driftShare !== null) verdict = driftShare >= resolved.datasetDriftShare ? 'drift' : 'no_drift';
  return {
    features: results,
    testedFeatures: tested,
    driftedFeatures: drifted,
    driftShare,
    datasetDriftShare: resolved.datasetDriftShare,
    verdict,
  };
}
