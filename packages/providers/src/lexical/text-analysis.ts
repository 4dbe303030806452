/**
 * English stopwords dropped by {@link analyzeText}: function words that carry no topic, so that
 * lexical scoring (BM25, hashed vectors) looks at the words that say what a text is about.
 */
export const englishStopwords: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing done down during each either else ever every few for from ' +
    'further get gets got had has have having he her here hers herself him himself his how however i if in into ' +
    'is it its itself just let like many may me might more most much must my myself neither no nor not now of ' +
    'off often on once one only or other others our ours ourselves out over own per please same shall she should ' +
    'since so some such than that the their theirs them themselves then there these they this those though ' +
    'through thus to too under until up upon us very was we were what whatever when whenever where whereas ' +
    'whether which while who whom whose why will with within without would yet you your yours yourself yourselves'
  ).split(' '),
);

/** Lower-cases, removes accents and splits on anything that is not a letter or a digit. */
export function tokenizeWords(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

const doubledEnding = /([bcdfghjkmnpqrtvwx])\1$/;

function undouble(word: string): string {
  return doubledEnding.test(word) ? word.slice(0, -1) : word;
}

/**
 * A light English suffix stripper (plural, -ing, -ed, -ly, final -e, -y/-ies), so that
 * "refunds", "refunded" and "refunding" meet as "refund", and "policy"/"policies" as "polici".
 * Deliberately simple: it conflates inflections, not derivations, and never touches numbers.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let result = word;
  if (result.endsWith('ies') && result.length > 4) result = `${result.slice(0, -3)}y`;
  else if (result.endsWith('sses')) result = result.slice(0, -2);
  else if (/(?:ch|sh|x|z)es$/.test(result)) result = result.slice(0, -2);
  else if (result.endsWith('s') && !/(?:ss|us|is)$/.test(result)) result = result.slice(0, -1);
  if (result.endsWith('ing') && result.length > 5) result = undouble(result.slice(0, -3));
  else if (result.endsWith('ed') && result.length > 4) result = undouble(result.slice(0, -2));
  else if (result.endsWith('ly') && result.length > 4) result = result.slice(0, -2);
  if (result.endsWith('e') && result.length > 3) result = result.slice(0, -1);
  if (result.endsWith('y') && result.length > 3) result = `${result.slice(0, -1)}i`;
  return result;
}

/**
 * The terms of a text for lexical scoring: words (see {@link tokenizeWords}) without stopwords
 * and one-letter words, each stemmed (see {@link stem}). Numbers are kept as they are.
 */
export function analyzeText(text: string): string[] {
  const terms: string[] = [];
  for (const word of tokenizeWords(text)) {
    if (englishStopwords.has(word)) continue;
    if (word.length < 2 && !/\d/.test(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}
