/**
 * The JSON the console reads from the llmops API, as the console data contract describes it
 * (snake_case, `null` for missing values). Only the fields the pages use are named.
 */

/** `{object: "list", data, total}`: every list endpoint, paginated on the server. */
export interface ListPage<Item> {
  object: 'list';
  data: Item[];
  total?: number;
}

export type Verdict = 'passed' | 'failed' | null;

export interface RunSummary {
  id: string;
  name: string;
  model_ref: string | null;
  dataset: string | null;
  status: string;
  verdict: Verdict;
  metrics: Record<string, number | null>;
  started_at: string | null;
  finished_at: string | null;
  example_count: number | null;
  error_count: number | null;
}

export interface GateRow {
  metric: string;
  aggregate: string | null;
  operator: string;
  threshold: number;
  actual: number | null;
  passed: boolean;
}

export interface RunDetail extends Partial<RunSummary> {
  id: string;
  gates?: GateRow[];
}

export interface ExampleRow {
  index: number;
  example_id: string | null;
  input: string;
  expected_output: string | null;
  output: string | null;
  error: string | null;
  scores: Record<string, number | null>;
  passed: boolean | null;
}

export interface RetrievedPassage {
  rank: number;
  source: string | null;
  title: string | null;
  score: number | null;
  text: string;
}

export interface ExampleMetric {
  name: string;
  score: number | null;
  threshold: number | null;
  passed: boolean | null;
  reason: string | null;
}

export interface ExampleDetail extends Omit<ExampleRow, 'scores' | 'passed'> {
  retrieval_context: RetrievedPassage[];
  metrics: ExampleMetric[];
  trace_id: string | null;
  latency_ms: number | null;
  tokens: number | { prompt?: number; completion?: number } | null;
  cost_usd: number | null;
}

export type Histograms = Record<string, { edges: number[]; counts: number[] }>;

export interface MetricComparison {
  name: string;
  values: Array<{ run_id: string; mean: number | null }>;
  deltas: Array<{
    run_id: string;
    delta: number | null;
    ci_low: number | null;
    ci_high: number | null;
    confidence: number;
    paired: boolean;
    verdict: MetricDeltaVerdict;
  }>;
}

/** A delta's verdict: better, worse or within noise by its interval and the metric's direction. */
export type MetricDeltaVerdict = 'improved' | 'regressed' | 'unchanged' | 'no_data';

export interface Comparison {
  runs: RunSummary[];
  metrics: MetricComparison[];
}

export interface ComparedExample {
  example_key: string;
  input: string;
  cells: Array<{
    run_id: string;
    output: string | null;
    passed: boolean | null;
    scores: Record<string, number | null>;
  }>;
  disagree: boolean;
}

/** The rule one run's cells of the comparison grid pass or fail by. */
export interface ExampleRule {
  run_id: string;
  /** `gate`: the thresholds its gate implies (other metrics keep the default rule); `default`: the run had no gate. */
  source: 'gate' | 'default';
  thresholds: Array<{ metric: string; operator: string; value: number }>;
  default_threshold: number;
}

/** A page of the comparison grid, with each run's rule for the legend. */
export interface ComparedExamplesPage extends ListPage<ComparedExample> {
  rules: ExampleRule[];
}

export interface TraceSummary {
  trace_id: string;
  request_id: string | null;
  model_ref: string | null;
  started_at: string | null;
  duration_ms: number | null;
  status: string;
  tokens: { prompt: number | null; completion: number | null } | null;
  cost_usd: number | null;
  cache: 'hit' | 'miss' | 'bypass' | null;
  guardrail: { verdict: string; category: string | null } | null;
}

export interface TraceSpan {
  span_id: string;
  parent_id: string | null;
  name: string;
  start_offset_ms: number;
  duration_ms: number;
  status: string;
  attributes: Record<string, unknown>;
}

export interface TraceDetail extends TraceSummary {
  spans: TraceSpan[];
  /** The passages the request retrieved, when it was a RAG request. */
  retrieval?: Array<{
    rank: number;
    source: string | null;
    title: string | null;
    score: number | null;
    used: boolean;
  }> | null;
  online_scores: Array<{ name: string; value: number | null; reason: string | null }>;
}

/** A registered prompt or model, as `GET /api/v1/{prompts,models}` lists it. */
export interface RegistrySubject {
  name: string;
  description?: string;
  latestVersion: number;
  aliases: Record<string, number>;
  createdAt?: number;
}

/** One version of a prompt (`template`) or a model (`spec`, `evidence`). */
export interface RegistryVersion {
  name: string;
  version: number;
  template?: unknown;
  spec?: unknown;
  message?: string;
  contentHash?: string;
  createdAt: number;
  author: string;
  evidence?: Array<{ runId: string; dataset: string; verdict: string; metrics?: Record<string, number> }>;
}

export interface AuditRow {
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  action: string;
  actor: string;
  reason: string;
  evidence: string[];
  at: number;
}

export interface Promotion {
  at: string;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  actor: string;
  reason: string | null;
  kind: 'promote' | 'rollback';
  /** True for a promotion forced past the promotion policy (`--force`, with a reason). */
  forced: boolean;
  /** The runs the change rests on; `null`s when a run is no longer in the store. */
  evidence: Array<{
    run_id: string;
    run_name: string | null;
    /** The version evaluated, `support-rag/2`. */
    target: string | null;
    dataset: string | null;
    verdict: string | null;
    metrics: Record<string, number | null>;
  }>;
}
