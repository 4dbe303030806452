import { analyzeText, englishStopwords } from '@llmops/providers';

/** A contradiction the offline judge found between a sentence of the output and one of a context. */
export interface Contradiction {
  outputSentence: string;
  contextSentence: string;
  /** Why the two sentences conflict, in a few words. */
  reason: string;
}

/** A verbal negation ("not", "never", "cannot", "n't"); "no", "without" and "none" qualify a noun too often to count. */
const negation = /\b(?:not|never|cannot)\b|n['’]t\b/i;
const negationWords = new RegExp(negation.source, 'gi');
const number = /^\d+(?:[.,]\d+)*$/;

/** A number of a sentence with the words that say what it counts (`5 business days` → 5, {busi, day}). */
interface Quantity {
  value: number;
  units: Set<string>;
}

function words(sentence: string): string[] {
  return sentence.toLowerCase().match(/\d+(?:[.,]\d+)*|\p{L}+/gu) ?? [];
}

function contentTerm(word: string): string | undefined {
  if (number.test(word) || englishStopwords.has(word)) return undefined;
  return analyzeText(word)[0];
}

const rangeWords = new Set(['to', 'and', 'or', 'through']);

/** The content words right after a number (`10 business days` → busi, day), up to two. */
function followingUnits(tokens: readonly string[], index: number): Set<string> {
  const units = new Set<string>();
  for (const next of tokens.slice(index + 1, index + 3)) {
    const term = contentTerm(next);
    if (!term) break;
    units.add(term);
  }
  return units;
}

/** The content word among the three words before a number (`exit status is 2` → status). */
function precedingUnit(tokens: readonly string[], index: number): Set<string> {
  for (const previous of tokens.slice(Math.max(0, index - 3), index).reverse()) {
    if (number.test(previous)) break;
    const term = contentTerm(previous);
    if (term) return new Set([term]);
  }
  return new Set();
}

/**
 * The numbers of a sentence, each with its unit: the content words right after it, else the one
 * before it; the first number of a range (`5 to 10 days`, `5-10 days`) takes the unit of the second.
 */
function quantities(sentence: string): Quantity[] {
  const tokens = words(sentence);
  const units = new Map<number, Set<string>>();
  for (let index = tokens.length - 1; index >= 0; index -= 1) {
    if (!number.test(tokens[index] as string)) continue;
    const next = tokens[index + 1] ?? '';
    const rangeEnd = number.test(next)
      ? index + 1
      : rangeWords.has(next) && number.test(tokens[index + 2] ?? '')
        ? index + 2
        : undefined;
    const following = followingUnits(tokens, index);
    units.set(
      index,
      rangeEnd !== undefined
        ? (units.get(rangeEnd) ?? new Set())
        : following.size > 0
          ? following
          : precedingUnit(tokens, index),
    );
  }
  return [...units.entries()]
    .sort(([first], [second]) => first - second)
    .map(([index, unit]) => ({
      value: Number((tokens[index] as string).replace(/,(?=\d{3}(?:\D|$))/g, '').replace(',', '.')),
      units: unit,
    }));
}

/** The topic terms of a sentence: stemmed content words, without numbers and negation words. */
function subjectTerms(sentence: string): Set<string> {
  return new Set(analyzeText(sentence.replace(negationWords, ' ')).filter((term) => !/\d/.test(term)));
}

/** How two sentences' topic terms relate: how many they share, and how many only one of them has. */
function compareSubjects(first: ReadonlySet<string>, second: ReadonlySet<string>) {
  let shared = 0;
  for (const term of first) if (second.has(term)) shared += 1;
  return { shared, onlyFirst: first.size - shared, onlySecond: second.size - shared };
}

function intersects(first: ReadonlySet<string>, second: ReadonlySet<string>): boolean {
  for (const item of first) if (second.has(item)) return true;
  return false;
}

/**
 * A number conflict: for a unit both sentences count, the output gives only values the context does not
 * give and that lie outside the context's span (`5 to 10 days` does not conflict with `7 days`).
 */
function numberConflict(outputSentence: string, contextSentence: string): string | null {
  const contextQuantities = quantities(contextSentence);
  const contextValues = new Set(contextQuantities.map((other) => other.value));
  for (const quantity of quantities(outputSentence)) {
    // A value the context gives at all is not a conflict, whatever unit the words around it suggest.
    if (contextValues.has(quantity.value)) continue;
    const sameUnit = contextQuantities.filter((other) => intersects(other.units, quantity.units));
    if (sameUnit.length === 0) continue;
    const values = sameUnit.map((other) => other.value);
    const outputValues = quantities(outputSentence)
      .filter((other) => intersects(other.units, quantity.units))
      .map((other) => other.value);
    const low = Math.min(...values);
    const high = Math.max(...values);
    const agrees = outputValues.some(
      (value) => values.includes(value) || (values.length > 1 && value >= low && value <= high),
    );
    if (!agrees) return `the output says ${quantity.value} where the context says ${values.join(' to ')}`;
  }
  return null;
}

/** The clauses of a sentence joined by semicolons, compared one by one. */
function clauses(sentence: string): string[] {
  return sentence.split(/\s*;\s+/).filter((clause) => clause.trim() !== '');
}

/**
 * The first contradiction between the output's sentences and a context's sentences, or `null`. Two
 * sentences (clauses joined by semicolons apart) share a subject when they share at least two topic terms and one holds every topic term
 * of the other (so "the Business plan costs $15" is not about "the Team plan costs $8"). They
 * contradict when the output gives, for a unit both count, a number the context gives otherwise; or
 * when one is negated and the other not while their topic terms differ by at most one. Everything else
 * agrees: a paraphrase, an antonym ("enabled" for "disabled"), a wrong name, a conclusion computed from
 * the context's numbers, a sentence with extra words on both sides.
 */
export function findContradiction(
  outputSentences: readonly string[],
  contextSentences: readonly string[],
): Contradiction | null {
  for (const outputSentence of outputSentences.flatMap(clauses)) {
    const outputTerms = subjectTerms(outputSentence);
    for (const contextSentence of contextSentences.flatMap(clauses)) {
      const { shared, onlyFirst, onlySecond } = compareSubjects(outputTerms, subjectTerms(contextSentence));
      if (shared < 2 || (onlyFirst > 0 && onlySecond > 0)) continue;
      const numbers = numberConflict(outputSentence, contextSentence);
      if (numbers) return { outputSentence, contextSentence, reason: numbers };
      if (onlyFirst + onlySecond <= 1 && negation.test(outputSentence) !== negation.test(contextSentence)) {
        const negated = negation.test(outputSentence) ? 'the output' : 'the context';
        return { outputSentence, contextSentence, reason: `${negated} negates what the other states` };
      }
    }
  }
  return null;
}
