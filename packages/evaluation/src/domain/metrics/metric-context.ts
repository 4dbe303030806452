import type { Embedder } from '@llmops/kernel';
import { exampleQuestion, expectsRefusal } from '../example.js';
import type { Example } from '../example.js';
import type { TokenUsage } from '../example-result.js';
import type { JudgeAnswer, JudgeTask, JudgeTaskKind } from '../judgement.js';

/** What the target answered for one example, with latency and cost filled in by the runner. */
export interface ScoredAnswer {
  output: string;
  /** The passages the target retrieved, in rank order. */
  retrievalContext?: string[];
  usage?: TokenUsage | null;
  latencyMs: number;
  costUsd: number | null;
}

/** Asks the judge one task for the example being scored. */
export type AskJudge = <K extends JudgeTaskKind>(task: Extract<JudgeTask, { kind: K }>) => Promise<JudgeAnswer<K>>;

/** What a metric sees of one example: the example, the answer, and the judge and embedder to score it with. */
export interface MetricContext {
  example: Example;
  answer: ScoredAnswer;
  /** Asks the judge (with the run's abort signal); the same task asked twice for one example is one call. */
  judge: AskJudge;
  /** Embeds texts (`similarity`). */
  embedder: Embedder;
  /** Tags of examples that must be refused or answered with "I don't know"; the default list when absent. */
  refusalTags?: readonly string[];
  signal?: AbortSignal;
  /**
   * The example's memo: the first call with a key computes, later calls with that key share its
   * promise, so metrics that need the same intermediate result compute it once.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** The question of the example (its text, or its conversation's last user message). */
export function questionOf(context: MetricContext): string {
  return exampleQuestion(context.example);
}

/** The passages the target retrieved, in rank order (none when it reported none). */
export function retrievedContexts(context: MetricContext): string[] {
  return context.answer.retrievalContext ?? [];
}

/** True when the example must be refused or answered with "I don't know" (relevancy then does not apply). */
export function refusalExpected(context: MetricContext): boolean {
  return expectsRefusal(context.example, context.refusalTags);
}

/** True when the example has an `expected_output` (an empty one included) to compare the output with. */
export function hasExpectedOutput(context: MetricContext): boolean {
  return context.example.expected_output !== undefined;
}

/** The reference passages of the example (ground truth of context precision and recall). */
export function referenceContexts(context: MetricContext): string[] {
  return context.example.reference_contexts ?? [];
}

/** The reference answer: the expected output when there is one, otherwise the reference passages joined. */
export function referenceAnswer(context: MetricContext): string {
  const expected = context.example.expected_output;
  return expected?.trim() ? expected : referenceContexts(context).join('\n');
}
