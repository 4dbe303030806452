/**
 * Normalises an answer for exact matching: citation markers (`[1]`) removed, accents folded,
 * lower case, punctuation removed, whitespace collapsed.
 */
export function normalizeAnswer(text: string): string {
  return text
    .replace(/\[\d{1,4}\]/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** True when two answers are equal after {@link normalizeAnswer}. */
export function answersMatch(output: string, expected: string): boolean {
  return normalizeAnswer(output) === normalizeAnswer(expected);
}

/**
 * The tokens of an answer as SQuAD's evaluation normalises it: citation markers removed, lower case,
 * punctuation removed, the articles a, an and the removed, split on whitespace.
 */
export function answerTokens(text: string): string[] {
  return text
    .replace(/\[\d{1,4}\]/g, ' ')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter((token) => token !== '');
}

/**
 * SQuAD's token F1 of an output against an expected answer: the harmonic mean of the precision and
 * recall of their shared tokens (counted with multiplicity); 1 when both have no tokens, 0 when one has none.
 */
export function tokenF1(output: string, expected: string): number {
  const predicted = answerTokens(output);
  const truth = answerTokens(expected);
  if (predicted.length === 0 || truth.length === 0) return predicted.length === truth.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of truth) counts.set(token, (counts.get(token) ?? 0) + 1);
  let shared = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      shared += 1;
      counts.set(token, left - 1);
    }
  }
  if (shared === 0) return 0;
  const precision = shared / predicted.length;
  const recall = shared / truth.length;
  return (2 * precision * recall) / (precision + recall);
}
