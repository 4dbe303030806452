/**
 * Sentences of a passage, each with the whitespace after it, so that joining them gives the text back:
 * a sentence ends at `.`, `!` or `?` followed by a space (not inside `help@example.com`) or at a line break.
 */
export function passageSentencesOf(text: string): string[] {
  return text.match(/[^\n]+?(?:[.!?]+(?=\s|$)|(?=\n)|$)\s*/g) ?? [text];
}

/**
 * Overlapping windows of `size` words over a text (half a window apart, the last one ending at the text's last
 * word), words joined by single spaces; none when the text has `size` words or fewer (it is read whole).
 */
export function wordWindowsOf(text: string, size: number): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '');
  if (words.length <= size) return [];
  const stride = Math.max(1, Math.ceil(size / 2));
  const windows: string[] = [];
  for (let start = 0; ; start += stride) {
    const end = Math.min(start + size, words.length);
    windows.push(words.slice(end - size, end).join(' '));
    if (end === words.length) break;
  }
  return windows;
}

/**
 * How many words a passage window holds. Chosen on the team's validation injections planted in corpus paragraphs
 * (wiki/Serving.md, "Seventh pass"): 10 caught more but its windows of benign paragraphs scored close to the
 * thresholds, and 8 flagged one; 12 keeps a margin.
 */
export const passageWindowWords = 12;

/** A passage's sentences, trimmed and distinct, when it has more than one (none otherwise: the passage is one). */
export function passageSentenceUnitsOf(text: string): string[] {
  const sentences = passageSentencesOf(text)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
  return sentences.length > 1 ? [...new Set(sentences)] : [];
}

/**
 * The pieces of a passage the injection rules and the n-gram head read besides the passage itself, so that one
 * instruction among help text is read on its own: its sentences (when it has more than one), and its sentences
 * longer than `windowWords` words again as overlapping word windows. Punctuation is not needed for an instruction to
 * end, so a lower-case instruction without a full stop, fused by the sentence split with the sentence after it, is
 * still read in a window of its own words. Distinct and trimmed, the passage itself left out. Bounded: a sentence of
 * n words gives about 2n / `windowWords` windows.
 */
export function passageUnitsOf(text: string, windowWords: number = passageWindowWords): string[] {
  const whole = text.trim();
  const sentences = passageSentenceUnitsOf(text);
  const units = new Set<string>(sentences);
  for (const sentence of sentences.length > 0 ? sentences : [whole])
    for (const window of wordWindowsOf(sentence, windowWords)) units.add(window);
  units.delete(whole);
  return [...units];
}
