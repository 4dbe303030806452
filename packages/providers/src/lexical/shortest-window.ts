/**
 * The length of the shortest run of consecutive `terms` that holds every term of `wanted` (repeats
 * allowed), or `Infinity` when some wanted term is missing or nothing is wanted. Used to reward
 * question terms that stand close together (reranking, the extractive answerer).
 */
export function shortestWindow(terms: readonly string[], wanted: ReadonlySet<string>): number {
  if (wanted.size === 0) return Number.POSITIVE_INFINITY;
  const counts = new Map<string, number>();
  let covered = 0;
  let best = Number.POSITIVE_INFINITY;
  let left = 0;
  for (let right = 0; right < terms.length; right += 1) {
    const term = terms[right] as string;
    if (!wanted.has(term)) continue;
    const count = counts.get(term) ?? 0;
    counts.set(term, count + 1);
    if (count === 0) covered += 1;
    while (covered === wanted.size) {
      best = Math.min(best, right - left + 1);
      const leaving = terms[left] as string;
      left += 1;
      if (!wanted.has(leaving)) continue;
      const remaining = (counts.get(leaving) as number) - 1;
      counts.set(leaving, remaining);
      if (remaining === 0) covered -= 1;
    }
  }
  return best;
}
