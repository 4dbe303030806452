/**
 * Phrases that refuse a request or say the answer is not known, as assistants write them.
 * Matched case-insensitively with straight or curly apostrophes.
 */
export const refusalPatterns: readonly RegExp[] = [
  /\bi (?:do not|don't|dont) know\b/,
  /\bi (?:am not|'m not|m not) (?:sure|able|allowed|permitted)\b/,
  /\bi (?:can ?not|can't|cant|won't|wont|will not|must decline|have to decline|am unable|'m unable|m unable)\b/,
  /\b(?:unable|not able) to (?:help|assist|answer|provide|comply|find)\b/,
  /\bi (?:do not|don't) have (?:any )?(?:information|details|data|access)\b/,
  /\b(?:no|not enough) information (?:about|on|in|to)\b/,
  /\b(?:does not|doesn't|do not|don't) (?:contain|mention|say|cover|include|provide)\b[^.]{0,40}\b(?:information|answer|details|anything)\b/,
  /\bnot (?:in|covered by|mentioned in|found in) (?:the )?(?:provided |given )?(?:context|documents?|knowledge base|sources?)\b/,
  /\b(?:sorry|apologi[sz]e)\b[^.]{0,30}\b(?:can't|cannot|can not|unable|won't)\b/,
  /\bi(?:'m| am) not going to\b/,
  /\b(?:against|violates?) (?:my|our|the) (?:policy|policies|guidelines|rules)\b/,
  /\bthis request (?:is|was) blocked\b/,
];

/**
 * The patterns as one alternation: it matches exactly the texts one of them matches (none has flags or
 * back-references), in one pass over the text instead of one per pattern (monitoring asks it of every answer).
 */
const anyRefusalPattern = new RegExp(refusalPatterns.map((pattern) => `(?:${pattern.source})`).join('|'));

/** True when the text refuses or says it does not know (looked for in its first 300 characters). */
export function looksLikeRefusal(text: string): boolean {
  const head = text.slice(0, 300).toLowerCase().replace(/[’‘`]/g, "'");
  if (head.trim() === '') return false;
  return anyRefusalPattern.test(head);
}
