import { analyzeText } from '../lexical/text-analysis.js';
import { shortestWindow } from '../lexical/shortest-window.js';

/** A unit of text to score against a question: its own words and where it sits (heading, entry term, document title). */
export interface SupportCandidate {
  text: string;
  location: string;
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
  /** `support` adjusted for how close together the matched terms sit and for length: what ranks units. */
  rank: number;
}

/** Weight of a question term found only in the unit's location (heading, entry term, title). */
const locationWeight = 0.5;
/** Weight of a word that shares a prefix of {@link prefixLength} letters with a question term instead of its stem. */
const prefixWeight = 0.8;
const prefixLength = 5;
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

function matchWeight(term: string, words: ReadonlySet<string>): number {
  if (words.has(term)) return 1;
  if (term.length < prefixLength) return 0;
  const prefix = term.slice(0, prefixLength);
  for (const word of words) {
    if (word.length >= prefixLength && word.startsWith(prefix) && (word.startsWith(term) || term.startsWith(word)))
      return prefixWeight;
  }
  return 0;
}

/**
 * Scores units of context against a question's terms with IDF weights computed over the units
 * themselves (a term in few units weighs much, one absent from all weighs most, so a question
 * about something the context never mentions is poorly supported). See {@link UnitSupport}.
 */
export function scoreUnits(terms: readonly string[], candidates: readonly SupportCandidate[]): UnitSupport[] {
  // Units of one passage and section share their location: analyse each location once.
  const locations = new Map<string, Set<string>>();
  const analysed = candidates.map((candidate) => {
    const own = analyzeText(candidate.text);
    let locationSet = locations.get(candidate.location);
    if (locationSet === undefined) {
      locationSet = new Set(analyzeText(candidate.location));
      locations.set(candidate.location, locationSet);
    }
    return { own, ownSet: new Set(own), locationSet };
  });
  const count = candidates.length;
  const weights = terms.map((term) => {
    let frequency = 0;
    for (const unit of analysed) if (unit.ownSet.has(term) || unit.locationSet.has(term)) frequency += 1;
    return Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return analysed.map((unit) => {
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
    return { support, ownSupport: foundOwn / total, rank: support + proximityBonus * proximity - lengthPenalty };
  });
}
