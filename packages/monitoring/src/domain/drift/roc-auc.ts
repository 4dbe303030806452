/**
 * The area under the ROC curve of scores for a positive and a negative class: the probability that a random
 * positive scores above a random negative, ties counting one half (the Mann–Whitney U of the positives divided
 * by the number of pairs).
 * @throws RangeError when either class is empty
 */
export function rocAuc(positiveScores: readonly number[], negativeScores: readonly number[]): number {
  if (positiveScores.length === 0 || negativeScores.length === 0) {
    throw new RangeError('the ROC AUC needs at least one score in each class');
  }
  const scored = [
    ...positiveScores.map((score) => ({ score, positive: true })),
    ...negativeScores.map((score) => ({ score, positive: false })),
  ].sort((left, right) => left.score - right.score);
  let positiveRankSum = 0;
  for (let start = 0; start < scored.length;) {
    let end = start;
    while (end < scored.length && scored[end].score === scored[start].score) end++;
    // Tied scores share the mean of the ranks start + 1 … end.
    const rank = (start + 1 + end) / 2;
    for (let index = start; index < end; index++) if (scored[index].positive) positiveRankSum += rank;
    start = end;
  }
  const positives = positiveScores.length;
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negativeScores.length);
}

/** The one-sided 95 % quantile of the standard normal distribution. */
const normalQuantile95 = 1.6448536269514722;

/**
 * The 95th percentile of the ROC AUC a random classifier reaches on the given class sizes: under the null
 * hypothesis the AUC is the Mann–Whitney U / (m·n), approximately normal with mean 1/2 and variance
 * (m + n + 1) / (12·m·n). This is the closed form of what Evidently estimates with 1,000 random scorings.
 */
export function randomClassifierAucPercentile95(positives: number, negatives: number): number {
  return 0.5 + normalQuantile95 * Math.sqrt((positives + negatives + 1) / (12 * positives * negatives));
}
