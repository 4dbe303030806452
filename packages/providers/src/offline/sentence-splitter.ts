const boundary = /(?<=[.!?…]["'’”)\]]*)\s+(?=["'“‘([]?[\p{Lu}\p{N}])/u;
const abbreviation = /(?:^|\s)(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|e\.g|i\.e|no|fig|approx|inc|ltd)\.$/i;

/**
 * Splits a text into sentences: after `.`, `!`, `?` or `…` (and any closing quote or bracket)
 * followed by whitespace and a capital letter, a digit or an opening quote or bracket. Common
 * abbreviations (`Dr.`, `e.g.`, `etc.`, …) do not end a sentence. Returns trimmed, non-empty sentences.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const piece of text.split(boundary)) {
    const trimmed = piece.trim();
    if (trimmed === '') continue;
    const previous = sentences[sentences.length - 1];
    if (previous !== undefined && abbreviation.test(previous))
      sentences[sentences.length - 1] = `${previous} ${trimmed}`;
    else sentences.push(trimmed);
  }
  return sentences;
}
