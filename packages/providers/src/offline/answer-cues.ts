/**
 * What kind of answer a question asks for, read from its wording, and whether a unit of context
 * offers that kind: a question about an amount (`how many`, `how long`, `the maximum`, `what
 * year`) is answered by a unit that states one (a number, a size such as `2G`, or a number word such
 * as `twice` or `once`).
 */
export interface AnswerCues {
  /** The question asks for an amount: a count, a size, a duration, a frequency, a limit. */
  quantity: boolean;
  /** The question asks about a program's exit status (which status, what a status means). */
  status: boolean;
  /** Numbers the question names (`exit code 24`): a unit about that status states the number. */
  numbers: string[];
  /** The question asks what happens when the reader gives nothing (`by default`, `if I don't say`): a unit stating a default answers it. */
  default: boolean;
}

/**
 * Kinds of answer a unit may offer that a question may ask for by name: preferred only when some
 * unit of the context offers them (see {@link preferredKinds}), since prose may answer as well when none does.
 */
export type AnswerKind = 'status' | 'number' | 'default';

const quantityQuestion =
  /\b(?:how (?:many|much|long|big|large|small|often|far|old|soon|frequently)|(?:the )?(?:maximum|minimum|longest|shortest|largest|smallest|biggest|highest|lowest|fewest)|the most|at most|at least|up to how|what (?:year|size|port|percentage|number)|which (?:year|port))\b/i;

const quantityStated =
  /\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|once|twice|thrice|dozen|half|unlimited|no limit|every|hourly|daily|weekly|monthly|yearly|annually)\b/i;

/**
 * Phrases that name one thing in two ways in reference documentation: a program's `exit code` is
 * its `exit status`. Rewritten in the question before its terms are read.
 */
const questionRewrites: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(exit|return|error|status) codes?\b/gi, 'exit status'],
  // What happens when the reader gives nothing is what reference pages call the default.
  [
    /\b(?:if|when) (?:i|you|we) (?:don't|do not|didn't|did not|haven't|have not|never) (?:\w+)\b|\bwithout (?:any |extra |other )?options\b/gi,
    'by default',
  ],
];

/** The question with phrases rewritten to the wording reference documentation uses (see {@link questionRewrites}). */
export function normaliseQuestion(question: string): string {
  return questionRewrites.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), question);
}

const defaultQuestion = /\bby default\b|\bthe default\b/i;
/** A unit stating what holds when nothing is given: `The default is 5`, `2G by default`, `defaults to`, `When that section is absent`, `unless --yes is given`. */
const defaultStated =
  /\bdefault(?:s|ed)?\b|\bunless\b|\babsent\b|\bomitted\b|\bnot (?:given|set|specified)\b|\bwithout\b/i;

const statusQuestion = /\b(?:exit|return|error)\s+(?:status|code|value)s?\b|\bexits?\s+with\b/i;
const standaloneNumber = /(?<![\w.-])\d{1,3}(?!\w|\.\d)/g;
/** An exit-status entry (`24 Partial transfer …`, `o 24 - …`) or a sentence stating a status (`exits with status 2`, `exit status is 0`). */
const statusStated =
  /^(?:[o•*-]\s+)?\d{1,3}\b(?!\s*[%KMGkmg]\b)|\b(?:exit|return)s?\s+(?:with\s+)?(?:(?:status|code|value)\s+)?(?:of\s+|is\s+)?\d{1,3}\b|\bstatus\s+(?:of\s+|is\s+)?\d{1,3}\b/i;

/** The kind of answer `question` asks for (read in reference documentation's wording, see {@link normaliseQuestion}). */
export function answerCues(question: string): AnswerCues {
  const status = statusQuestion.test(question);
  return {
    quantity: quantityQuestion.test(question),
    status,
    numbers: status ? [...new Set(question.match(standaloneNumber) ?? [])] : [],
    default: defaultQuestion.test(normaliseQuestion(question)),
  };
}

/** Whether `text` offers an answer of `kind` for `cues`: states an exit status, names every number of an exit-status question, or states a default. */
export function offersKind(cues: AnswerCues, kind: AnswerKind, text: string): boolean {
  if (kind === 'status') return statusStated.test(text);
  if (kind === 'default') return defaultStated.test(text);
  return cues.numbers.every((number) => new RegExp(`(?<![\\w.-])${number}(?!\\w|\\.\\d)`).test(text));
}

/**
 * The kinds the question asks for that at least one of `texts` (the quotable units of the context)
 * offers: a unit without such a kind is then a weaker answer than one with it.
 */
export function preferredKinds(cues: AnswerCues, texts: readonly string[]): AnswerKind[] {
  const asked: AnswerKind[] = [];
  if (cues.status) asked.push('status');
  if (cues.numbers.length > 0) asked.push('number');
  if (cues.default) asked.push('default');
  return asked.filter((kind) => texts.some((text) => offersKind(cues, kind, text)));
}

/** Whether a unit's text offers the kind of answer the cues ask for (always true when they ask for nothing in particular). */
export function offersAnswer(cues: AnswerCues, text: string): boolean {
  return !cues.quantity || quantityStated.test(text);
}
