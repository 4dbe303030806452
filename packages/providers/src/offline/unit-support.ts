import { analyzeText } from '../lexical/text-analysis.js';
import { shortestWindow } from '../lexical/shortest-window.js';

/** A unit of text to score against a question: its own words, where it sits (section, heading, entry term) and its document's title. */
export interface SupportCandidate {
  text: string;
  location: string;
  /** The document's title (or source file name): part of the location, and the question's subject when they match. */
  title: string;
}

/** How well a unit supports a question's answer. */
export interface UnitSupport {
  /**
   * The share of the question's IDF weight the unit holds, in [0, 1]: a term found in the unit's
   * own text counts whole, one found only in its location counts half, and a word sharing a long
   * prefix with the term (`compress`/`compression`) counts 0.8 of that.
   */
  support: number;
  /** The part of `support` found in the unit's own text (its location left out). */
  ownSupport: number;
  /**
   * `support` adjusted for how close together the matched terms sit, for how much of the question
   * the document's title names (the question's subject: a command, a setting, a page), and for
   * length: what ranks units.
   */
  rank: number;
}

/** Weight of a question term found only in the unit's location (heading, entry term, title). */
const locationWeight = 0.5;
/** Weight of a word that shares a prefix of {@link prefixLength} letters with a question term instead of its stem. */
const prefixWeight = 0.8;
const prefixLength = 5;
/**
 * Rank bonus for units of the document whose title best names the question's subject (the command,
 * setting or page it asks about), less for documents whose titles name less of it.
 */
const titleBonus = 0.15;
/** Rank bonus for matched terms standing close together (at most this much). */
const proximityBonus = 0.1;
/** Units longer than this many terms lose rank, a little per extra term (long units match by chance). */
const longUnitTerms = 30;
const lengthPenaltyPerTerm = 0.002;

/**
 * Words that frame a question or the instructions around it ("how long does it take", "answer
 * using the context") and say nothing about its topic; left out of the question's terms unless
 * nothing else is left.
 */
const framingTerms = new Set(
  analyzeText(
    'answer answers question context passage passages source sources cite citing citation citations based provided given following using use ' +
      'long take takes taking took happen happens happened get gets getting got need needs know tell explain describe mean means ' +
      'work works possible able way ways kind sort type often soon quickly fast exactly actually really',
  ),
);

/** The question's topic terms: analysed words without framing words (all of them when only framing words are left). */
export function questionTerms(question: string): string[] {
  const all = [...new Set(analyzeText(question))];
  const topic = all.filter((term) => !framingTerms.has(term));
  return topic.length > 0 ? topic : all;
}

/**
 * Words that reference documentation and its readers use for one thing (a reader's `folder` is the
 * manual's `directory`): general vocabulary of software documentation, not of one product. A
 * question term met only through a synonym counts {@link synonymWeight}.
 */
const synonymGroups: readonly string[] = [
  'folder directory',
  'delete remove erase',
  'fix repair',
  'broken damaged corrupt corrupted',
  'download fetch',
  'upload send',
  'cap limit',
  'maximum largest',
  'minimum smallest',
  'speed rate bandwidth',
  'launch start',
  'display show print',
  'computer machine host',
  'app application',
];
const synonymWeight = 0.8;

const synonyms: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const group of synonymGroups) {
    const stems = [...new Set(analyzeText(group))];
    for (const stem of stems) map.set(stem, [...(map.get(stem) ?? []), ...stems.filter((other) => other !== stem)]);
  }
  return map;
})();

function matchWeight(term: string, words: ReadonlySet<string>): number {
  if (words.has(term)) return 1;
  for (const synonym of synonyms.get(term) ?? []) if (words.has(synonym)) return synonymWeight;
  if (term.length < prefixLength) return 0;
  const prefix = term.slice(0, prefixLength);
  for (const word of words) {
    if (word.length >= prefixLength && word.startsWith(prefix) && (word.startsWith(term) || term.startsWith(word)))
      return prefixWeight;
  }
  return 0;
}

/**
 * How well each unit's document title names the question's subject, in [0, 1]: question terms are
 * weighted by IDF over the distinct titles in the context (a term every title holds, such as the
 * product's name, weighs nothing), and each title's matched weight is divided by the best title's.
 * All 0 when no title holds a distinguishing question term.
 */
function subjectMatch(terms: readonly string[], titles: ReadonlyArray<ReadonlySet<string>>): number[] {
  const distinct = [...new Set(titles)];
  const weights = terms.map((term) => {
    const frequency = distinct.filter((title) => matchWeight(term, title) > 0).length;
    return frequency === 0 ? 0 : Math.log(1 + (distinct.length - frequency + 0.5) / (frequency + 0.5));
  });
  const matched = new Map(
    distinct.map((title) => [
      title,
      terms.reduce((sum, term, index) => sum + (weights[index] as number) * matchWeight(term, title), 0),
    ]),
  );
  const best = Math.max(0, ...matched.values());
  return titles.map((title) => (best === 0 ? 0 : (matched.get(title) as number) / best));
}

/** `share` of `second` and the rest of `first`, each normalised to sum 1 (a set summing to 0 is left out). */
function mixWeights(first: readonly number[], second: readonly number[], share: number): number[] {
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  const firstTotal = sum(first);
  const secondTotal = sum(second);
  if (secondTotal <= 0) return [...first];
  if (firstTotal <= 0) return [...second];
  return first.map(
    (value, index) => (1 - share) * (value / firstTotal) + share * ((second[index] as number) / secondTotal),
  );
}

/** Settings of {@link scoreUnits}. */
export interface ScoreUnitsOptions {
  /**
   * The IDF is computed as if there were at least this many units (the missing ones holding no
   * question term); 0 by default. A context compressed to one or two units otherwise makes a term
   * it holds weigh almost nothing next to one it lacks (log(1 + 0.5/1.5) ≈ 0.29 against
   * log(1 + 1.5/0.5) ≈ 1.39), so the very unit that answers falls under the decline threshold.
   * Contexts with more units are unchanged.
   */
  minUnits?: number;
  /**
   * The IDF of a term over the whole corpus the context was retrieved from (the retrieval index's
   * passages), when the caller knows it. Unlike the IDF over the context's units it does not depend on
   * how many units compression left. See {@link ScoreUnitsOptions.corpusShare}.
   */
  corpusIdf?: (term: string) => number;
  /**
   * With {@link ScoreUnitsOptions.corpusIdf}: the share of each question term's weight taken from the
   * corpus IDF, the rest from the IDF over the units (each set of weights normalised to sum 1); 1 by default.
   */
  corpusShare?: number;
}

/**
 * Scores units of context against a question's terms with IDF weights computed over the units
 * themselves (a term in few units weighs much, one absent from all weighs most, so a question
 * about something the context never mentions is poorly supported). See {@link UnitSupport}.
 */
export function scoreUnits(
  terms: readonly string[],
  candidates: readonly SupportCandidate[],
  options: ScoreUnitsOptions = {},
): UnitSupport[] {
  // Units of one passage and section share their location and title: analyse each once.
  const analysedPlaces = new Map<string, Set<string>>();
  const placeTerms = (text: string) => {
    let set = analysedPlaces.get(text);
    if (set === undefined) {
      set = new Set(analyzeText(text));
      analysedPlaces.set(text, set);
    }
    return set;
  };
  const analysed = candidates.map((candidate) => {
    const own = analyzeText(candidate.text);
    const titleSet = placeTerms(candidate.title);
    const locationSet = new Set([...placeTerms(candidate.location), ...titleSet]);
    return { own, ownSet: new Set(own), locationSet, titleSet };
  });
  const count = Math.max(candidates.length, options.minUnits ?? 0);
  const unitWeights = terms.map((term) => {
    let frequency = 0;
    for (const unit of analysed) if (unit.ownSet.has(term) || unit.locationSet.has(term)) frequency += 1;
    return Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
  });
  const weights =
    options.corpusIdf === undefined
      ? unitWeights
      : mixWeights(unitWeights, terms.map(options.corpusIdf), options.corpusShare ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const subject = subjectMatch(
    terms,
    analysed.map((unit) => unit.titleSet),
  );
  return analysed.map((unit, unitIndex) => {
    if (total === 0) return { support: 0, ownSupport: 0, rank: 0 };
    let found = 0;
    let foundOwn = 0;
    const matched = new Set<string>();
    terms.forEach((term, index) => {
      const own = matchWeight(term, unit.ownSet);
      if (own === 1) matched.add(term);
      const weight = Math.max(own, locationWeight * matchWeight(term, unit.locationSet));
      found += (weights[index] as number) * weight;
      foundOwn += (weights[index] as number) * own;
    });
    const support = found / total;
    const window = shortestWindow(unit.own, matched);
    const proximity = matched.size < 2 ? 0 : matched.size / window;
    const lengthPenalty = Math.max(0, unit.own.length - longUnitTerms) * lengthPenaltyPerTerm;
    const rank = support + titleBonus * (subject[unitIndex] as number) + proximityBonus * proximity - lengthPenalty;
    return { support, ownSupport: foundOwn / total, rank };
  });
}
