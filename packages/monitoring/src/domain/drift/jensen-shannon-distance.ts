import { countCategories } from './category-counts.js';

/**
 * The Jensen–Shannon distance between two discrete distributions given as non-negative weights on the same
 * categories, as scipy.spatial.distance.jensenshannon: each vector is normalised to sum 1, and the distance is
 * √((KL(p‖m) + KL(q‖m)) / 2) with m the mean of p and q. Base 2 by default, so the distance lies in [0, 1].
 * @throws RangeError when the vectors differ in length or either sums to zero
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[], base = 2): number {
  if (p.length !== q.length) throw new RangeError('both distributions need the same categories');
  const pTotal = p.reduce((sum, weight) => sum + weight, 0);
  const qTotal = q.reduce((sum, weight) => sum + weight, 0);
  if (!(pTotal > 0) || !(qTotal > 0)) throw new RangeError('each distribution needs a positive total weight');
  let divergence = 0;
  for (let index = 0; index < p.length; index++) {
    const pShare = p[index] / pTotal;
    const qShare = q[index] / qTotal;
    const middle = (pShare + qShare) / 2;
    if (pShare > 0) divergence += pShare * Math.log(pShare / middle);
    if (qShare > 0) divergence += qShare * Math.log(qShare / middle);
  }
  // Rounding can leave a tiny negative divergence for identical inputs; the distance is then 0.
  return Math.sqrt(Math.max(0, divergence / Math.log(base) / 2));
}

/** The Jensen–Shannon distance (base 2) between the category frequencies of two samples. */
export function categoricalJensenShannonDistance(reference: Iterable<string>, current: Iterable<string>): number {
  const counts = countCategories(reference, current);
  return jensenShannonDistance(counts.reference, counts.current);
}
