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

const vowel = /[aeiouy]/;

/**
 * What may stand before an adverb's "-ly": Snowball's valid li-endings (c d e g h k m n r t, as in
 * "quickly", "securely", "monthly", "directly"), l and s (Snowball's -ally, -fully, -ously, -lessly:
 * "manually", "previously") and i (the -ily of a -y adjective, "easily", which meets "easy" through y → i).
 * Not p: "apply", "reply", "supply" and "imply" are words of their own, not adverbs.
 */
const adverbStemEnding = /[cdeghklmnrsti]$/;

/**
 * The word without its adverb ending, or `undefined` when "-ly" ends no adverb. "-bly" becomes "-bl" (Porter's
 * -bli → -ble: "probably" meets "probable"); any other "-ly" is stripped when the stem keeps at least 4 letters
 * (so "early", "fully", "apply" and "reply" stay whole) and ends as an adverb's stem does ({@link adverbStemEnding}).
 */
function withoutAdverbEnding(word: string): string | undefined {
  if (!word.endsWith('ly')) return undefined;
  if (word.endsWith('bly') && word.length >= 5) return word.slice(0, -1);
  const rest = word.slice(0, -2);
  return rest.length >= 4 && adverbStemEnding.test(rest) ? rest : undefined;
}

/**
 * A light English suffix stripper (plural, -ing, -ed, -ly, final -e, -y/-ies), so that
 * "refunds", "refunded" and "refunding" meet as "refund", and "policy"/"policies" as "polici".
 * Deliberately simple: it conflates inflections, not derivations, and never touches numbers.
 * As in Porter's stemmer, -ing and -ed are stripped only when a vowel stays ("string", "shred" are
 * whole words), "-eed" is "-ee" after a vowel ("agreed" meets "agree", "exceeded" and "exceeds" meet
 * "exceed") and a word of its own otherwise ("speed", "feed", "need"); -ly only ends an adverb
 * (see {@link withoutAdverbEnding}).
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let result = word;
  if (result.endsWith('ies') && result.length > 4) result = `${result.slice(0, -3)}y`;
  else if (result.endsWith('sses')) result = result.slice(0, -2);
  else if (/(?:ch|sh|x|z)es$/.test(result)) result = result.slice(0, -2);
  else if (result.endsWith('s') && !/(?:ss|us|is)$/.test(result)) result = result.slice(0, -1);
  const adverbStem = withoutAdverbEnding(result);
  if (result.endsWith('ing') && result.length > 5 && vowel.test(result.slice(0, -3)))
    result = undouble(result.slice(0, -3));
  else if (result.endsWith('ed') && !result.endsWith('eed') && result.length > 4 && vowel.test(result.slice(0, -2)))
    result = undouble(result.slice(0, -2));
  else if (adverbStem !== undefined) result = adverbStem;
  if (result.endsWith('eed') && vowel.test(result.slice(0, -3))) result = result.slice(0, -1);
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
