/**
 * What kind of answer a question asks for, read from its wording, and whether a unit of context
 * offers that kind: a question about an amount (`how many`, `how long`, `the maximum`, `what
 * year`) is answered by a unit that states one (a number, a size such as `2G`, or a number word such
 * as `twice` or `once`).
 */
export interface AnswerCues {
  /** The question asks for an amount: a count, a size, a duration, a frequency, a limit. */
  quantity: boolean;
}

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
];

/** The question with phrases rewritten to the wording reference documentation uses (see {@link questionRewrites}). */
export function normaliseQuestion(question: string): string {
  return questionRewrites.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), question);
}

/** The kind of answer `question` asks for. */
export function answerCues(question: string): AnswerCues {
  return { quantity: quantityQuestion.test(question) };
}

/** Whether a unit's text offers the kind of answer the cues ask for (always true when they ask for nothing in particular). */
export function offersAnswer(cues: AnswerCues, text: string): boolean {
  return !cues.quantity || quantityStated.test(text);
}
