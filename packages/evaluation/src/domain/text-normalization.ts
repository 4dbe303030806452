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
