import { hashedNgramFeatures } from './hashed-ngram-features.js';
import { predictProbability, trainLogisticRegression } from './logistic-regression.js';
import { randomClassifierAucPercentile95, rocAuc } from './roc-auc.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';

/** How the AUC threshold of the domain classifier was set. */
export type DomainClassifierThresholdRule = 'random_classifier_percentile' | 'fixed';

/** The result of the domain-classifier test of text drift. */
export interface TextDriftResult {
  /** ROC AUC of the classifier telling current (positive) from reference texts on the held-out half. */
  auc: number;
  threshold: number;
  thresholdRule: DomainClassifierThresholdRule;
  drift: boolean;
  trainSize: number;
  testSize: number;
}

/** Options of {@link textDomainClassifierTest}. */
export interface TextDriftOptions {
  /**
   * Up to this many reference texts the threshold is the random classifier's 95th-percentile AUC on the test
   * sizes; above it the fixed {@link TextDriftOptions.fixedThreshold}. 1000 by default, as Evidently.
   */
  smallSampleMax?: number;
  /** Fixed AUC threshold for larger samples (0.55 by default, as Evidently). */
  fixedThreshold?: number;
  /** Size of the hashed n-gram space (2¹⁸ by default). */
  dimensions?: number;
  /** Seed of the split and of training (42 by default). */
  seed?: number;
}

/** Splits a list into a first and a second half after a seeded shuffle. */
function halves<T>(items: readonly T[], random: () => number): [T[], T[]] {
  const shuffled = shuffleInPlace([...items], random);
  const middle = Math.ceil(shuffled.length / 2);
  return [shuffled.slice(0, middle), shuffled.slice(middle)];
}

/**
 * Text drift as Evidently detects it: a domain classifier learns to tell current texts from reference texts
 * (hashed word 1–2-gram features, logistic regression by SGD), trained on half of each sample and scored on the
 * other half; the texts drifted when its ROC AUC exceeds what chance explains. Deterministic for a given seed.
 * @throws RangeError when either sample has fewer than 2 texts (each half needs one)
 */
export function textDomainClassifierTest(
  reference: readonly string[],
  current: readonly string[],
  options: TextDriftOptions = {},
): TextDriftResult {
  if (reference.length < 2 || current.length < 2) {
    throw new RangeError('the text domain classifier needs at least 2 texts in each sample');
  }
  const dimensions = options.dimensions ?? 2 ** 18;
  const seed = options.seed ?? 42;
  const random = seededRandom(seed);
  const features = (text: string) => hashedNgramFeatures(text, { dimensions });
  const [referenceTrain, referenceTest] = halves(reference.map(features), random);
  const [currentTrain, currentTest] = halves(current.map(features), random);
  const model = trainLogisticRegression(
    [...referenceTrain, ...currentTrain],
    [...referenceTrain.map(() => 0 as const), ...currentTrain.map(() => 1 as const)],
    { dimensions, seed },
  );
  const auc = rocAuc(
    currentTest.map((vector) => predictProbability(model, vector)),
    referenceTest.map((vector) => predictProbability(model, vector)),
  );
  const small = reference.length <= (options.smallSampleMax ?? 1000);
  const threshold = small
    ? randomClassifierAucPercentile95(currentTest.length, referenceTest.length)
    : (options.fixedThreshold ?? 0.55);
  return {
    auc,
    threshold,
    thresholdRule: small ? 'random_classifier_percentile' : 'fixed',
    drift: auc > threshold,
    trainSize: referenceTrain.length + currentTrain.length,
    testSize: referenceTest.length + currentTest.length,
  };
}
