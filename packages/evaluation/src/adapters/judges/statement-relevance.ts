import { analyzeText } from '@llmops/providers';
import { narrowToOwnEntries } from './own-entry.js';
import { splitLocation } from './passage-location.js';
import type { LocatedStatement } from './passage-location.js';
import { questionFocus } from './question-focus.js';

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
/** The factor on a title, NAME, SYNOPSIS or SEE ALSO block: it names the topic or other pages, it rarely answers. */
const titleBlockFactor = 0.4;
/**
 * The least weight of a question term that every statement of the judged context holds, relative to a
 * term only one of them holds: it no longer tells the statements apart, but it still names the topic.
 */
const specificityFloor = 0.25;
/** The factor on a statement about a sibling of the subject the question names (another command's same option). */
const otherSubjectFactor = 0.5;
/**
 * The factor on a statement that does not name the subject a "which …" / "what …" question asks about
 * (`Which macOS version …` and `The Windows app requires …`) while another statement of the context does:
 * the same discount as a missing kind of answer.
 */
const missingFocusFactor = missingAnswerFactor;
/** The shortest term that meets a longer one of its word family by prefix ("compress" and "compression"). */
const familyPrefix = 5;

/**
 * The kinds of answer a question's intent words ask for, each with the marks such an answer carries
 * (general English, not taken from any dataset): a quantity holds a number, a yes/no answer states a
 * polarity or a condition, a reason a cause or condition, a "which exit code" answer a status number, a
 * "which environment variable" answer an upper-case NAME, a question about a default a default clause, a
 * "when" question a point in time or a condition of time, a "how do I" answer an instruction or option.
 */
const intents: ReadonlyArray<{ name: string; question: RegExp; answer: RegExp }> = [
  {
    name: 'a quantity',
    question:
      /\b(?:how (?:many|much|long|big|large|often|far|old|soon|fast|small|high|low)|what (?:size|limit|percentage)|maximum|minimum|max|min|limit|limits|cost|costs|price|prices|longest|largest|biggest|highest|lowest|smallest|shortest|fewest|the most|at most|the least|at least)\b/i,
    answer:
      /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|once|twice|unlimited|no limit|half|double|doubles|until|indefinitely|forever)\b/i,
  },
  {
    name: 'a yes or no',
    question: /^\s*(?:can|could|does|do|did|is|are|will|would|should|may|must|has|have)\b/i,
    // An option entry answers "can I …" / "does it …" by what its option does ("--limit-rate=RATE Keep …").
    answer:
      /^\s*--?[a-z]|\b(?:not|no|never|none|nothing|cannot|can't|only|always|unless|until|except|must|may|can|without|instead|also|both|either)\b|n't\b/i,
  },
  {
    name: 'a reason',
    question: /\bwhy\b|\bhow come\b/i,
    answer:
      /\b(?:because|since|so that|unless|only|when|if|otherwise|needs?|requires?|must|not|never|as long as|due to|reason)\b/i,
  },
  {
    name: 'a status number',
    question: /\b(?:which|what)\s+(?:\w+\s+)?(?:exit\s+|return\s+|status\s+|error\s+)?(?:code|status)\b/i,
    answer: /\b\d{1,3}\b/,
  },
  {
    name: 'a variable name',
    question: /\b(?:which|what)\s+(?:\w+\s+)?(?:environment\s+)?variables?\b/i,
    answer: /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\$[A-Z]{2,}\b|\b(?:TZ|HOME|PATH|TMPDIR|EDITOR|PAGER|LANG|USER|SHELL|TERM)\b/,
  },
  {
    name: 'a default',
    question: /\bdefaults?\b|\bby default\b|\bif I (?:do not|don't) (?:set|give|pass|say|choose)\b/i,
    answer: /\bdefaults?\b|\bwithout (?:it|this|that|the|an?|any)\b|\bunless\b|\botherwise\b|\bwhen (?:not|no)\b/i,
  },
  {
    name: 'a time',
    question: /^\s*when\b|\bat what (?:time|point)\b/i,
    answer:
      /\d|\b(?:immediately|at once|right away|at the (?:end|start|beginning|next|same)|after|within|until|once|as soon as|every|daily|weekly|monthly|yearly|annually|hourly|never|always|only (?:when|after|if|once))\b/i,
  },
  {
    name: 'an instruction',
    question: /\bhow (?:do|can|should|would) (?:i|we|you)\b|\bhow to\b/i,
    // An option, a command to run, or a variable or setting to set (`SKERRY_KEYRING`, `[core] cache_limit`).
    answer:
      /(?:^|\s)--?[a-z]|\b(?:run|use|set|select|click|open|choose|give|pass|add|type|press|go to|enable|turn)\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\[\w+\] \w/i,
  },
];

/**
 * Splits a question into its parts ("…, and how …", or its sentences: "I suspect … run. How do I …?"), so a
 * statement that answers one part is relevant.
 */
function questionParts(question: string): string[] {
  const parts = question
    .split(
      /[?;]|(?<=[a-z)])\.\s+(?=[A-Z])|,\s*(?:and|or|but)\s+|\s+and\s+(?=(?:how|what|which|where|when|why|who|whether|is|are|can|does|do)\b)/i,
    )
    .map((part) => part.trim())
    .filter((part) => analyzeText(part).length > 0);
  return parts.length > 1 ? [question, ...parts] : [question];
}

/**
 * Words that reference documentation and its readers use for one thing, each group meeting as one word: an exit
 * *code* is an exit *status*, a *folder* a *directory*, to *cap* is to *limit*, a *bandwidth* a *rate* or *speed*
 * (general usage of command-line manuals, not taken from any dataset). A reader often asks in the first words and a
 * manual answers in the second; a manual names a limit by its *max* or *maximum* (`--max-depth=N`, `--max-count`).
 */
const synonymGroups = [
  'code status',
  'folder directory',
  'delete remove',
  'show display print',
  'cap limit max maximum',
  'bandwidth rate speed',
  'check verify',
  'stop terminate quit',
  'keep preserve retain',
  'change modify edit',
];

/** Each stemmed term of {@link synonymGroups} with the other terms of its group. */
const synonyms = new Map<string, ReadonlySet<string>>();
for (const group of synonymGroups) {
  const terms = group.split(' ').flatMap((word) => analyzeText(word));
  for (const term of terms)
    synonyms.set(term, new Set([...(synonyms.get(term) ?? []), ...terms.filter((other) => other !== term)]));
}

/**
 * True when two stemmed terms are one word family: equal, synonyms ({@link synonymGroups}), or the shorter (at
 * least {@link familyPrefix} letters, no digit) begins the longer, so derivations meet ("compress"/"compression",
 * "rotat"/"rotation", "reach"/"reachabl") where the inflection-only stemmer leaves them apart.
 */
function sameFamily(left: string, right: string): boolean {
  if (left === right) return true;
  if (synonyms.get(left)?.has(right)) return true;
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  return shorter.length >= familyPrefix && !/\d/.test(shorter) && longer.startsWith(shorter);
}

/** True when a set of terms holds this term or one of its word family. */
function holds(terms: ReadonlySet<string>, term: string): boolean {
  if (terms.has(term)) return true;
  for (const candidate of terms) if (sameFamily(candidate, term)) return true;
  return false;
}

/** True for a block that only names its page: a title line, a man page's NAME or SYNOPSIS line, a usage line. */
function isTitleBlock(location: string, text: string): boolean {
  const section = location.split(' › ').slice(1).join(' › ').trim();
  if (/^(?:NAME|SYNOPSIS|SEE ALSO)\b/i.test(section)) return true;
  const title = location.split(' › ')[0]?.trim().toLowerCase() ?? '';
  const clean = text.trim();
  if (title !== '' && clean.toLowerCase() === title) return true;
  if (/\[-{1,2}[\w-]+/.test(clean) && !/[.!?]$/.test(clean)) return true;
  return !/[.!?:]["'’”)\]]*$/.test(clean) && clean.split(/\s+/).length <= 8 && !/^-/.test(clean);
}

/** An entry's term without its value placeholders: `--retries=N, -r N` names `retries`, not `n`. */
function withoutPlaceholders(term: string): string {
  return term
    .replace(/=[A-Z][A-Z0-9_]*(?=[\s,\]]|$)/g, '')
    .replace(/(^|\s)(-{1,2}[\w-]+)\s+[A-Z][A-Z_]*(?=,|$)/g, '$1$2');
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

/** A statement split into its text and location, with the terms each holds. */
interface ParsedStatement {
  location: string;
  /** The entry the statement belongs to (the location's third level or deeper: an option, a status, a setting), or ''. */
  entry: string;
  text: string;
  /**
   * The text as a reader sees it under its entry: the entry's option term first when the statement belongs to
   * an option entry (`--verify` for "Without this option, shards are checked only …"), else the text. The kind
   * of answer is read from it: an option entry's sentences answer with their option.
   */
  answerText: string;
  titleBlock: boolean;
  textTerms: Set<string>;
  locationTerms: Set<string>;
  /**
   * The words of the opening sentence of the statement's entry, when the statement is a later sentence of it
   * (see {@link withEntryDefinitions}); they count as the location does, and not in specificity (they repeat a
   * statement the context already holds).
   */
  entryTerms: Set<string>;
  /** The terms of each level of the location path: title, section, entry. */
  levels: Array<Set<string>>;
}

/** Reads a statement's location levels (placeholders out of entry terms) and the terms of its text and location. */
function parse({ location, text }: LocatedStatement): ParsedStatement {
  const titleBlock = isTitleBlock(location, text);
  const levels =
    location === '' ? [] : location.split(' › ').map((part) => new Set(analyzeText(withoutPlaceholders(part))));
  const entry = location.split(' › ').slice(2).pop()?.trim() ?? '';
  const optionEntry = /^--?[a-z]/i.test(entry) && !text.trim().startsWith(entry);
  return {
    location,
    entry,
    text,
    answerText: optionEntry ? `${entry} ${text}` : text,
    titleBlock,
    textTerms: new Set(analyzeText(titleBlock ? withoutName(text) : text)),
    locationTerms: new Set(analyzeText(location)),
    entryTerms: new Set<string>(),
    levels,
  };
}

/** True when a statement's text opens its entry: `--retries=N, -r N Try each shard …` under `› --retries=N, -r N`. */
function opensEntry(statement: ParsedStatement): boolean {
  return statement.entry !== '' && statement.text.replace(/\s+/g, ' ').trim().startsWith(statement.entry);
}

/**
 * Reads each later sentence of an entry under the entry's opening sentence: a sentence that does not open its
 * entry ("The default is 5." under `--retries=N`) is about what the opening sentence defines ("Try each shard
 * up to N more times after a failed download."), so the opening sentence's words join its location terms (they
 * count as a title or section does). Entries are told apart by their location line; only an opening sentence
 * of the same context is read.
 */
function withEntryDefinitions(statements: ParsedStatement[]): ParsedStatement[] {
  const openings = new Map<string, ParsedStatement>();
  for (const statement of statements)
    if (opensEntry(statement) && !openings.has(statement.location)) openings.set(statement.location, statement);
  return statements.map((statement) => {
    const opening = openings.get(statement.location);
    if (opening === undefined || opening === statement || opensEntry(statement)) return statement;
    return { ...statement, entryTerms: opening.textTerms };
  });
}

/**
 * How well a question term tells the judged statements apart, in [{@link specificityFloor}, 1]: an
 * inverse document frequency over the statements of the context (text and location), relative to a term
 * one statement holds. A term no statement holds counts as one that one statement holds; with a single
 * statement every term weighs 1.
 */
function specificity(term: string, statements: readonly ParsedStatement[]): number {
  if (statements.length < 2) return 1;
  const count = statements.length;
  let frequency = 0;
  for (const statement of statements)
    if (holds(statement.textTerms, term) || holds(statement.locationTerms, term)) frequency += 1;
  const idf = (df: number) => Math.log(1 + (count - df + 0.5) / (df + 0.5));
  return Math.max(specificityFloor, idf(Math.max(frequency, 1)) / idf(1));
}

/**
 * For each statement, whether it is a sibling of a statement about the subject the question names: its
 * location has the same depth and differs at exactly one level (another command's `OPTIONS › --retries`,
 * another option of the same page), where the words only the other statement's part has hold a question
 * term and the words only its own part has hold none.
 */
function otherSubjects(questionTerms: ReadonlySet<string>, statements: readonly ParsedStatement[]): boolean[] {
  const named = (terms: readonly string[]) => terms.some((term) => holds(questionTerms, term));
  const same = (left: ReadonlySet<string> | undefined, right: ReadonlySet<string> | undefined) =>
    left !== undefined && right !== undefined && left.size === right.size && [...left].every((term) => right.has(term));
  return statements.map((statement) =>
    statements.some((other) => {
      if (other === statement || other.levels.length !== statement.levels.length) return false;
      const differing = statement.levels
        .map((_, level) => level)
        .filter((level) => !same(statement.levels[level], other.levels[level]));
      if (differing.length !== 1) return false;
      const own = statement.levels[differing[0] as number] ?? new Set<string>();
      const theirs = other.levels[differing[0] as number] ?? new Set<string>();
      // Only the words in which the two parts differ say which subject each is ("brew" and "pour" of kettle-…).
      return (
        named([...theirs].filter((term) => !own.has(term))) && !named([...own].filter((term) => !theirs.has(term)))
      );
    }),
  );
}

/**
 * Scores how relevant each statement of a retrieval context is to a question, lexically:
 * - the question's terms (stemmed, stopwords out, word families meeting by prefix) weighted by
 *   informativeness (general low-information words count a quarter) and by how well they tell the
 *   context's statements apart (an inverse document frequency over these statements, floored at a
 *   quarter), so the rare term that distinguishes the answer counts more than the topic words every
 *   statement repeats;
 * - a term counts fully when the statement's text holds it and at {@link locationWeight} when only the
 *   passage's location line (title and section) does, so a sentence that answers without repeating
 *   its subject is relevant through its section;
 * - a question in several parts ("…, and how …", or several sentences) is scored on its best part as well as whole;
 * - a statement lacking the kind of answer the question asks for (a quantity, a yes or no, a reason,
 *   an instruction) is discounted;
 * - a title, NAME or SYNOPSIS block is discounted (a NAME line is judged on its description only);
 * - a statement about a sibling of the subject the question names (its location differs from another
 *   statement's at one level only, where the other names a question term and it names none: another
 *   command's same option, another option of the same command) is discounted.
 * - in a "which X" / "what X" question, a statement that does not name X (in its text, section or entry)
 *   is discounted when another statement of the context does (see `questionFocus`);
 * - when the question names some of the context's pages by a word of their title (one not every title
 *   shares: `skerry bale` among skerry-bale, skerry-mount and skerry-hold), a statement of another page
 *   whose text and location name none of those words is discounted as a sibling is;
 * - a statement's location is narrowed to its own entry when its passage packs several entries of one
 *   section (see `narrowToOwnEntries`), so the subject it reads is the entry it belongs to;
 * - a later sentence of an entry reads the entry's opening sentence as part of its location ("The default is
 *   5." under `--retries=N Try each shard up to N more times …`), and its kind of answer with the entry's
 *   option term (an option answers "how do I …" and "can I …");
 * - "code" meets "status" (an exit code is an exit status), and a few other words manuals and their readers use
 *   for one thing ("cap" and "limit", "bandwidth" and "rate"; see `synonymGroups`); a SEE ALSO block is scored as
 *   a title block.
 * A single statement is scored as it would be alone in a context (every term weighs its informativeness).
 */
export function estimateRelevances(question: string, statements: readonly string[]): RelevanceEstimate[] {
  const parsed = withEntryDefinitions(narrowToOwnEntries(statements.map(splitLocation)).map(parse));
  const parts = questionParts(question).map((part) => {
    const terms = [...new Set(analyzeText(part))];
    const weights = new Map(
      terms.map((term) => [
        term,
        (lowInformationTerms.has(term) ? lowInformationWeight : 1) * specificity(term, parsed),
      ]),
    );
    const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
    return { terms, weights, total, wants: intents.filter((intent) => intent.question.test(part)) };
  });
  const subjects = otherSubjects(new Set(analyzeText(question)), parsed);
  const focus = questionFocus(question);
  // The title is every statement's; the focus must be in the text, or in the statement's own section or entry.
  const namesFocus = (statement: ParsedStatement) =>
    focus !== undefined &&
    (holds(statement.textTerms, focus) || statement.levels.slice(1).some((level) => holds(level, focus)));
  const focusMatters = parsed.some(namesFocus);
  // The pages the question names by their titles' words (a word every title shares names none of them): a
  // statement of another page that names none of them, in its text or location, is about another subject.
  const questionTerms = new Set(analyzeText(question));
  const titles = parsed.map((statement) => statement.levels[0] ?? new Set<string>());
  const pageTerms = [...questionTerms].filter(
    (term) => titles.some((title) => holds(title, term)) && !titles.every((title) => holds(title, term)),
  );
  const namesPage = (statement: ParsedStatement) =>
    pageTerms.some((term) => holds(statement.textTerms, term) || statement.levels.some((level) => holds(level, term)));
  return parsed.map((statement, index) => {
    let best = 0;
    let bestPart = parts[0];
    for (const part of parts) {
      if (part.total === 0) continue;
      let found = 0;
      for (const term of part.terms) {
        const weight = part.weights.get(term) ?? 0;
        if (holds(statement.textTerms, term)) found += weight;
        else if (holds(statement.locationTerms, term) || holds(statement.entryTerms, term))
          found += weight * locationWeight;
      }
      let score = found / part.total;
      for (const intent of part.wants) if (!intent.answer.test(statement.answerText)) score *= missingAnswerFactor;
      if (score > best) {
        best = score;
        bestPart = part;
      }
    }
    const reasons = [`holds ${Math.round(best * 100)}% of the input's weighted topic terms (text, title and section)`];
    for (const intent of bestPart?.wants ?? [])
      if (!intent.answer.test(statement.answerText))
        reasons.push(`gives no ${intent.name.replace(/^an? /, '')} for a question that asks for ${intent.name}`);
    if (statement.titleBlock) {
      best *= titleBlockFactor;
      reasons.push('a title, NAME or SYNOPSIS block (or SEE ALSO)');
    }
    if (focusMatters && !namesFocus(statement)) {
      best *= missingFocusFactor;
      reasons.push(`does not name ${focus ?? ''}, the subject the question asks about, which another statement names`);
    }
    if (pageTerms.length > 0 && !namesPage(statement)) {
      best *= otherSubjectFactor;
      reasons.push('from another page than the one the question names by its title, and does not name it');
    }
    if (subjects[index]) {
      best *= otherSubjectFactor;
      reasons.push('about a sibling of the subject the question names (its location differs at one level)');
    }
    return { score: best, reason: reasons.join('; ') };
  });
}

/** The relevance of one statement judged alone: {@link estimateRelevances} with a context of one. */
export function estimateRelevance(question: string, statement: string): RelevanceEstimate {
  return estimateRelevances(question, [statement])[0] as RelevanceEstimate;
}
