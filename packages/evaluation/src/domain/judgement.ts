import type { HarmCategory } from '@llmops/kernel';

/**
 * A judge's verdict on one statement or claim, as DeepEval phrases them: `yes`, `no`, or `idk`
 * (the judge cannot tell: for faithfulness, the context neither supports nor contradicts the claim).
 */
export type Verdict = 'yes' | 'no' | 'idk';

/** The verdict on one statement, claim or passage, with the judge's reason and, when it has one, a score in [0, 1]. */
export interface StatementVerdict {
  statement: string;
  verdict: Verdict;
  reason: string;
  /** The judge's confidence that the verdict is `yes`, when it computes one (the offline judge does). */
  score?: number;
}

/**
 * What a judge is asked. Metrics are written once on top of these tasks, whichever judge answers:
 * - `statements`: split a text into self-contained statements (`purpose: 'claims'` for factual claims);
 * - `relevance`: is each statement relevant to the input (DeepEval answer and contextual relevancy);
 * - `support`: is each claim supported by the contexts (`yes`), contradicted or unsupported (`no`),
 *   or impossible to tell (`idk`) (faithfulness, context recall);
 * - `usefulness`: was each context useful to arrive at the reference answer (Ragas context precision);
 * - `contradiction`: does the output agree with each context (`yes`) or contradict it (`no`) (DeepEval hallucination);
 * - `correctness`: which statements of the output the reference supports, and which statements of the
 *   reference the output leaves out (Ragas answer correctness's TP / FP / FN classification);
 * - `harm`: is the output harmful, and in which category;
 * - `refusal`: does the output refuse or say it does not know.
 */
export type JudgeTask =
  | { kind: 'statements'; text: string; purpose: 'statements' | 'claims' }
  | { kind: 'relevance'; input: string; statements: string[] }
  | { kind: 'support'; claims: string[]; contexts: string[] }
  | { kind: 'usefulness'; input: string; reference: string; contexts: string[] }
  | { kind: 'contradiction'; output: string; contexts: string[] }
  | { kind: 'correctness'; input: string; output: string; reference: string }
  | { kind: 'harm'; input: string; output: string }
  | { kind: 'refusal'; input: string; output: string };

/** The kinds of judge tasks. */
export type JudgeTaskKind = JudgeTask['kind'];

/** The answer to each kind of judge task. */
export interface JudgeAnswers {
  statements: { statements: string[] };
  /** One verdict per statement, in order. */
  relevance: { verdicts: StatementVerdict[] };
  /** One verdict per claim, in order. */
  support: { verdicts: StatementVerdict[] };
  /** One verdict per context, in rank order. */
  usefulness: { verdicts: StatementVerdict[] };
  /** One verdict per context, in order: `yes` when the output agrees with it, `no` when it contradicts it. */
  contradiction: { verdicts: StatementVerdict[] };
  correctness: CorrectnessClassification;
  /** `category` is `null` when the output is not harmful. */
  harm: { harmful: boolean; category: HarmCategory | null; reason: string };
  refusal: { refused: boolean; reason: string };
}

/**
 * Ragas's answer-correctness classification, as two lists of verdicts: each item of the output is `yes`
 * when the reference supports it (a true positive) or `no` (a false positive); each item of the
 * reference is `yes` when the output presents it or `no` (a false negative).
 */
export interface CorrectnessClassification {
  /**
   * What the items are: `statements` (an LLM judge splits both texts into statements, as Ragas does)
   * or `tokens` (the offline judge compares SQuAD-normalised tokens, counted with multiplicity).
   */
  basis: 'statements' | 'tokens';
  output: StatementVerdict[];
  reference: StatementVerdict[];
}

/** The answer to a judge task of kind `K`. */
export type JudgeAnswer<K extends JudgeTaskKind> = JudgeAnswers[K];

/**
 * The categories a harm judge reports: the kernel's harm taxonomy, the ids guardrails block with
 * (`other` for harm outside the named categories).
 */
export { harmCategories } from '@llmops/kernel';
export type { HarmCategory } from '@llmops/kernel';
