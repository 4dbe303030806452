import { analyzeText, englishStopwords, tokenizeWords } from '@llmops/providers';

/**
 * Nouns that name the kind of answer rather than its subject ("which exit code", "what percentage", "which
 * command"): general English, not taken from any dataset. The answer-kind cues of the relevance estimate
 * judge those; a focus on them would discount the very statements that answer.
 */
const answerKindWords = new Set(
  analyzeText(
    'percentage percent number numbers amount size version versions code codes status statuses exit error return ' +
      'time times date dates day days kind kinds type types sort way ways value values variable variables ' +
      'environment setting settings option options flag flags command commands one ones thing things part parts ' +
      'name names word words step steps file format formats limit limits',
  ),
);

/**
 * The subject a "which …" or "what …" question asks about: the stemmed content word right after `which` or
 * `what` ("Which macOS version …" → `maco`, "What roles can …" → `role`), unless that word names the kind
 * of answer (a number, a code, a command…) or is a function word ("What does …"). Undefined otherwise.
 */
export function questionFocus(question: string): string | undefined {
  const words = tokenizeWords(question);
  const at = words.findIndex((word) => word === 'which' || word === 'what');
  const next = at < 0 ? undefined : words[at + 1];
  if (next === undefined || englishStopwords.has(next)) return undefined;
  const [term] = analyzeText(next);
  return term === undefined || answerKindWords.has(term) ? undefined : term;
}
