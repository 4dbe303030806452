import type { MetricName } from './metric-catalog.js';

/** The score of one metric on one example. */
export interface MetricResult {
  /**
   * The score (0..1 for scores and rates; ms, tokens or USD otherwise); `null` when the judge failed
   * (`error` is then set) or when the score is undefined on this example (no `error`: no statements,
   * no claims), in both cases left out of the statistics.
   */
  score: number | null;
  /** Why the score is what it is, in one or two sentences. */
  reason: string;
  /** The judge that produced it, for judged metrics (for example `offline-heuristic`). */
  judge?: string;
  /** What went wrong when the judge could not score it (recorded, never silently scored). */
  error?: string;
}

/** Where a retrieved passage came from: its document, title and retrieval score. */
export interface RetrievalSource {
  source: string;
  title?: string;
  score: number;
}

/** Token counts of the evaluated call. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * Everything known about one evaluated example: what the target answered and every metric's score
 * (keyed by the catalog's metric names unless scored with another metric list).
 */
export interface ExampleResult<Name extends string = MetricName> {
  exampleId: string;
  /** The question (text of the last user message). */
  input: string;
  tags: string[];
  expectedOutput?: string;
  /** The answer of the target (empty when the target failed). */
  output: string;
  /** The passages the target retrieved, in rank order. */
  retrievalContext: string[];
  /** Where each passage of `retrievalContext` came from (same order), when the target said. */
  retrievalSources?: RetrievalSource[];
  /** The trace the target recorded for this example, when it recorded one. */
  traceId?: string;
  latencyMs: number | null;
  usage: TokenUsage | null;
  costUsd: number | null;
  /** The model that answered, as the target reports it. */
  model?: string;
  /**
   * The harm category when the output was flagged harmful: an id of the kernel's harm taxonomy (the
   * ids guardrails block with) for runs scored since the taxonomy; older stored runs may hold other words.
   */
  harmCategory?: string | null;
  /** Scores by metric; metrics that do not apply to the example are absent. */
  metrics: Partial<Record<Name, MetricResult>>;
  /** Set when the target failed on this example: it then has no metrics. */
  error?: string;
}
