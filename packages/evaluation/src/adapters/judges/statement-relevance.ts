import { analyzeText } from '@llmops/providers';
import { splitLocation } from './passage-location.js';

/**
 * Words that say little about a question's topic ("how long does it take", "can I get"): general
 * English, not taken from any dataset. They still count, at a low weight. Stopwords are already
 * removed by `analyzeText`.
 */
const lowInformationTerms = new Set(
  analyzeText(
    'long take takes much many can could get tell explain know want need way possible happen happens mean means ' +
      'ask asking question answer please help thing things something anything really actually exactly kind sort ' +
      'use used using make makes made work works go goes give gives put see say said keep keeps happen time ' +
      'new old first last still even again already instead different same another way ways lot lots',
  ),
);

/** The weight of a low-information term, relative to 1 for a topic term. */
const lowInformationWeight = 0.25;
/** What a question term found only in the passage's title or section counts for, relative to the text. */
const locationWeight = 0.75;
/** The factor on a statement that lacks the kind of answer the question asks for (a quantity, a reason…). */
const missingAnswerFactor = 0.6;
/** The factor on a title, NAME or SYNOPSIS block: it names the topic, it rarely answers. */
const titleBlockFactor = 0.4;

/**
 * The kinds of answer a question's intent words ask for, each with the marks such an answer carries
 * (general English, not taken from any dataset): a quantity holds a number, a yes/no answer states a
 * polarity or a condition, a reason a cause or condition, a "how do I" answer an instruction or option.
 */
const intents: ReadonlyArray<{ name: string; question: RegExp; answer: RegExp }> = [
  {
    name: 'a quantity',
    question:
      /\b(?:how (?:many|much|long|big|large|often|far|old|soon|fast|small|high|low)|what (?:size|limit|percentage)|maximum|minimum|max|min|limit|limits|cost|costs|price|prices)\b/i,
    answer:
      /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|once|twice|unlimited|no limit|half|double|doubles)\b/i,
  },
  {
    name: 'a yes or no',
    question: /^\s*(?:can|could|does|do|did|is|are|will|would|should|may|must|has|have)\b/i,
    answer:
      /\b(?:not|no|never|none|nothing|cannot|can't|only|always|unless|until|except|must|may|can|without|instead|also|both|either)\b|n't\b/i,
  },
  {
    name: 'a reason',
    question: /\bwhy\b|\bhow come\b/i,
    answer:
      /\b(?:because|since|so that|unless|only|when|if|otherwise|needs?|requires?|must|not|never|as long as|due to|reason)\b/i,
  },
  {
    name: 'an instruction',
    question: /\bhow (?:do|can|should|would) (?:i|we|you)\b|\bhow to\b/i,
    answer: /(?:^|\s)--?[a-z]|\b(?:run|use|set|select|click|open|choose|give|pass|add|type|press|go to|enable|turn)\b/i,
  },
];

/** Splits a question into its parts ("…, and how …"), so a statement that answers one part is relevant. */
function questionParts(question: string): string[] {
  const parts = question
    .split(
      /[?;]|,\s*(?:and|or|but)\s+|\s+and\s+(?=(?:how|what|which|where|when|why|who|whether|is|are|can|does|do)\b)/i,
    )
    .map((part) => part.trim())
    .filter((part) => analyzeText(part).length > 0);
  return parts.length > 1 ? [question, ...parts] : [question];
}

interface WeightedTerms {
  terms: string[];
  weights: Map<string, number>;
  total: number;
  /** The kinds of answer the question asks for. */
  wants: Array<{ name: string; answer: RegExp }>;
}

function weightedTerms(text: string): WeightedTerms {
  const terms = [...new Set(analyzeText(text))];
  const weights = new Map(terms.map((term) => [term, lowInformationTerms.has(term) ? lowInformationWeight : 1]));
  const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
  return { terms, weights, total, wants: intents.filter((intent) => intent.question.test(text)) };
}

/** True for a block that only names its page: a title line, a man page's NAME or SYNOPSIS line, a usage line. */
function isTitleBlock(location: string, text: string): boolean {
  const section = location.split(' › ').slice(1).join(' › ').trim();
  if (/^(?:NAME|SYNOPSIS)\b/i.test(section)) return true;
  const title = location.split(' › ')[0]?.trim().toLowerCase() ?? '';
  const clean = text.trim();
  if (title !== '' && clean.toLowerCase() === title) return true;
  if (/\[-{1,2}[\w-]+/.test(clean) && !/[.!?]$/.test(clean)) return true;
  return !/[.!?:]["'’”)\]]*$/.test(clean) && clean.split(/\s+/).length <= 8 && !/^-/.test(clean);
}

/** The part of a NAME line that says what the page is about: the text after `name - `. */
function withoutName(text: string): string {
  const dash = text.indexOf(' - ');
  return dash > 0 ? text.slice(dash + 3) : text;
}

/** A statement's relevance to a question, in [0, 1], and why. */
export interface RelevanceEstimate {
  score: number;
  reason: string;
}

/**
 * Scores how relevant a statement is to a question, lexically:
 * - the question's terms (stemmed, stopwords out) weighted by informativeness (general low-information
 *   words count a quarter);
 * - a term counts fully when the statement's text holds it and at {@link locationWeight} when only the
 *   passage's location line (title and section) does, so a sentence that answers without repeating
 *   its subject is relevant through its section;
 * - a question in several parts ("…, and how …") is scored on its best part as well as whole;
 * - a statement lacking a number when the question asks for a quantity is discounted;
 * - a title, NAME or SYNOPSIS block is discounted (a NAME line is judged on its description only).
 */
export function estimateRelevance(question: string, statement: string): RelevanceEstimate {
  const { location, text } = splitLocation(statement);
  const titleBlock = isTitleBlock(location, text);
  const textTerms = new Set(analyzeText(titleBlock ? withoutName(text) : text));
  const locationTerms = new Set(analyzeText(location));
  let best = 0;
  let bestPart = weightedTerms(question);
  for (const part of questionParts(question)) {
    const wanted = weightedTerms(part);
    if (wanted.total === 0) continue;
    let found = 0;
    for (const term of wanted.terms) {
      const weight = wanted.weights.get(term) ?? 0;
      if (textTerms.has(term)) found += weight;
      else if (locationTerms.has(term)) found += weight * locationWeight;
    }
    let score = found / wanted.total;
    for (const intent of wanted.wants) if (!intent.answer.test(text)) score *= missingAnswerFactor;
    if (score > best) {
      best = score;
      bestPart = wanted;
    }
  }
  const reasons = [`holds ${Math.round(best * 100)}% of the input's weighted topic terms (text, title and section)`];
  for (const intent of bestPart.wants)
    if (!intent.answer.test(text))
      reasons.push(`gives no ${intent.name.replace(/^an? /, '')} for a question that asks for ${intent.name}`);
  if (titleBlock) {
    best *= titleBlockFactor;
    reasons.push('a title, NAME or SYNOPSIS block');
  }
  return { score: best, reason: reasons.join('; ') };
}
