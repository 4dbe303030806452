/**
 * Whether a retrieved passage is a reference passage: one definition, shared by the retrieval
 * metrics and the benchmark tools (issue 11's convention).
 */

/** The share of a reference's word tokens a passage must contain to cover it. */
export const referenceCoverage = 0.8;

const wordPattern = /[\p{L}\p{N}]+/gu;

/**
 * The text of a retrieved passage without its location line: a context of the form
 * `"<title> › <section path>\n<passage text>"` loses its first line (metadata, never content).
 */
export function passageText(context: string): string {
  const newline = context.indexOf('\n');
  if (newline < 0) return context;
  return context.slice(0, newline).includes(' › ') ? context.slice(newline + 1) : context;
}

/** Lower case, whitespace collapsed to single spaces, trimmed. */
export function collapseWhitespace(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function words(text: string): string[] {
  return text.toLowerCase().match(wordPattern) ?? [];
}

/**
 * True when the retrieved passage (its location line stripped) contains the reference context after
 * collapsing whitespace and lower-casing, or covers at least 80 % of the reference's word tokens.
 */
export function matchesReference(context: string, reference: string): boolean {
  const passage = passageText(context);
  const wanted = collapseWhitespace(reference);
  if (wanted === '') return false;
  if (collapseWhitespace(passage).includes(wanted)) return true;
  const referenceWords = words(reference);
  if (referenceWords.length === 0) return false;
  const present = new Set(words(passage));
  const covered = referenceWords.filter((word) => present.has(word)).length;
  return covered >= referenceCoverage * referenceWords.length;
}

/**
 * For each retrieved context in rank order, the index of the first reference context it matches
 * (`-1` when it matches none).
 */
export function matchedReferences(contexts: readonly string[], references: readonly string[]): number[] {
  return contexts.map((context) => references.findIndex((reference) => matchesReference(context, reference)));
}
