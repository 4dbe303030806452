import { cosineSimilarity } from '@llmops/providers';
import { LlmopsError } from '@llmops/kernel';
import type { Embedder } from '@llmops/kernel';
import { exampleQuestion, expectsRefusal } from '../domain/example.js';
import type { Example } from '../domain/example.js';
import type { ExampleResult, MetricResult } from '../domain/example-result.js';
import type { StatementVerdict } from '../domain/judgement.js';
import { metricNames } from '../domain/metric-catalog.js';
import type { MetricName } from '../domain/metric-catalog.js';
import {
  answerRelevancyScore,
  contextPrecisionScore,
  contextRecallScore,
  contextualRelevancyScore,
  faithfulnessScore,
} from '../domain/metric-formulas.js';
import { answersMatch } from '../domain/text-normalization.js';
import type { Judge, TargetOutput } from '../ports.js';

/** What {@link scoreExample} needs. */
export interface ScoreExampleOptions {
  example: Example;
  /** What the target answered (latency and cost already filled in by the runner). */
  answer: TargetOutput & { latencyMs: number; costUsd: number | null };
  judge: Judge;
  /** Embeds output and expected output for `similarity`. */
  embedder: Embedder;
  metrics: ReadonlySet<MetricName>;
  /** Tags of examples that must be refused or answered with "I don't know". */
  refusalTags?: readonly string[];
  signal?: AbortSignal;
}

function share(count: number, total: number): string {
  return `${count} of ${total}`;
}

function listed(verdicts: readonly StatementVerdict[], wanted: StatementVerdict['verdict']): string {
  const items = verdicts.filter((verdict) => verdict.verdict === wanted).slice(0, 2);
  return items
    .map(
      (item) =>
        `"${item.statement.length > 90 ? `${item.statement.slice(0, 87)}...` : item.statement}" (${item.reason})`,
    )
    .join('; ');
}

function countOf(verdicts: readonly StatementVerdict[], predicate: (verdict: StatementVerdict) => boolean): number {
  return verdicts.filter(predicate).length;
}

function checkVerdictCount(verdicts: readonly StatementVerdict[], expected: number, what: string): void {
  if (verdicts.length !== expected) {
    throw new LlmopsError(
      'upstream_error',
      `the judge gave ${verdicts.length} verdicts for ${expected} ${what}; expected one each`,
    );
  }
}

/**
 * Scores one example on the chosen metrics. Every judged metric goes through the judge's tasks,
 * so the formulas are the same whichever judge answers. A judge failure becomes an error on that
 * metric (score `null`), never a silent score. Which metrics apply:
 * - `contextual_relevancy`, `answer_relevancy`: examples that do not expect a refusal (with a retrieval context for the first);
 * - `faithfulness`: examples with a retrieval context and an output;
 * - `context_precision`, `context_recall`: examples with `reference_contexts`;
 * - `harmful_rate`: every example; `refusal_correctness`: examples tagged unanswerable or adversarial;
 * - `exact_match`, `similarity`: examples with an `expected_output`;
 * - `latency`, `input_tokens`, `output_tokens`, `cost_usd`: whenever the target reported them.
 */
export async function scoreExample(options: ScoreExampleOptions): Promise<ExampleResult> {
  const { example, answer, judge, metrics, signal } = options;
  const input = exampleQuestion(example);
  const contexts = answer.retrievalContext ?? [];
  const refusalExpected = expectsRefusal(example, options.refusalTags);
  const results: ExampleResult['metrics'] = {};
  let harmCategory: string | null | undefined;
  const call = { signal };

  const judged = async (metric: MetricName, compute: () => Promise<Omit<MetricResult, 'judge'>>) => {
    try {
      results[metric] = { ...(await compute()), judge: judge.name };
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = LlmopsError.fromUnknown(error);
      results[metric] = {
        score: null,
        reason: 'the judge could not score this example',
        judge: judge.name,
        error: failure.message,
      };
    }
  };
  const tasks: Array<Promise<void>> = [];

  if (metrics.has('contextual_relevancy') && !refusalExpected && contexts.length > 0) {
    tasks.push(
      judged('contextual_relevancy', async () => {
        const extracted = await Promise.all(
          contexts.map((text) => judge.judge({ kind: 'statements', text, purpose: 'statements' }, call)),
        );
        const statements = extracted.flatMap((item) => item.statements);
        if (statements.length === 0) return { score: 0, reason: 'the retrieval context has no statements' };
        const { verdicts } = await judge.judge({ kind: 'relevance', input, statements }, call);
        checkVerdictCount(verdicts, statements.length, 'statements');
        const relevant = countOf(verdicts, (verdict) => verdict.verdict === 'yes');
        const irrelevant = listed(verdicts, 'no');
        return {
          score: contextualRelevancyScore(verdicts),
          reason: `${share(relevant, statements.length)} statements of the retrieval context are relevant to the input${irrelevant ? `; irrelevant: ${irrelevant}` : ''}`,
        };
      }),
    );
  }

  if (metrics.has('faithfulness') && contexts.length > 0 && answer.output.trim() !== '') {
    tasks.push(
      judged('faithfulness', async () => {
        const { statements: claims } = await judge.judge(
          { kind: 'statements', text: answer.output, purpose: 'claims' },
          call,
        );
        if (claims.length === 0) return { score: 1, reason: 'the output makes no claims' };
        const { verdicts } = await judge.judge({ kind: 'support', claims, contexts }, call);
        checkVerdictCount(verdicts, claims.length, 'claims');
        const truthful = countOf(verdicts, (verdict) => verdict.verdict !== 'no');
        const unsupported = listed(verdicts, 'no');
        return {
          score: faithfulnessScore(verdicts),
          reason: `${share(truthful, claims.length)} claims of the output are supported by the retrieval context${unsupported ? `; not supported: ${unsupported}` : ''}`,
        };
      }),
    );
  }

  if (metrics.has('answer_relevancy') && !refusalExpected) {
    tasks.push(
      judged('answer_relevancy', async () => {
        const { statements } = await judge.judge(
          { kind: 'statements', text: answer.output, purpose: 'statements' },
          call,
        );
        if (statements.length === 0) return { score: 1, reason: 'the output makes no statements' };
        const { verdicts } = await judge.judge({ kind: 'relevance', input, statements }, call);
        checkVerdictCount(verdicts, statements.length, 'statements');
        const relevant = countOf(verdicts, (verdict) => verdict.verdict !== 'no');
        const irrelevant = listed(verdicts, 'no');
        return {
          score: answerRelevancyScore(verdicts),
          reason: `${share(relevant, statements.length)} statements of the output are relevant to the input${irrelevant ? `; irrelevant: ${irrelevant}` : ''}`,
        };
      }),
    );
  }

  const references = example.reference_contexts ?? [];
  const reference = example.expected_output?.trim() ? example.expected_output : references.join('\n');
  if (metrics.has('context_precision') && references.length > 0) {
    tasks.push(
      judged('context_precision', async () => {
        if (contexts.length === 0) return { score: 0, reason: 'nothing was retrieved' };
        const { verdicts } = await judge.judge({ kind: 'usefulness', input, reference, contexts }, call);
        checkVerdictCount(verdicts, contexts.length, 'contexts');
        const ranks = verdicts.flatMap((verdict, index) => (verdict.verdict === 'yes' ? [index + 1] : []));
        return {
          score: contextPrecisionScore(verdicts),
          reason:
            ranks.length === 0
              ? `none of the ${contexts.length} retrieved contexts is useful for the reference`
              : `useful contexts at rank ${ranks.join(', ')} of ${contexts.length}`,
        };
      }),
    );
  }

  if (metrics.has('context_recall') && references.length > 0) {
    tasks.push(
      judged('context_recall', async () => {
        const { statements: claims } = await judge.judge(
          { kind: 'statements', text: reference, purpose: 'claims' },
          call,
        );
        if (claims.length === 0) return { score: 1, reason: 'the reference makes no claims' };
        if (contexts.length === 0)
          return {
            score: 0,
            reason: `nothing was retrieved; 0 of ${claims.length} claims of the reference are supported`,
          };
        const { verdicts } = await judge.judge({ kind: 'support', claims, contexts }, call);
        checkVerdictCount(verdicts, claims.length, 'claims');
        const attributed = countOf(verdicts, (verdict) => verdict.verdict === 'yes');
        const missing = listed(verdicts, 'no');
        return {
          score: contextRecallScore(verdicts) ?? 1,
          reason: `${share(attributed, claims.length)} claims of the reference are supported by the retrieval context${missing ? `; missing: ${missing}` : ''}`,
        };
      }),
    );
  }

  if (metrics.has('harmful_rate')) {
    tasks.push(
      judged('harmful_rate', async () => {
        const verdict = await judge.judge({ kind: 'harm', input, output: answer.output }, call);
        harmCategory = verdict.harmful ? (verdict.category ?? 'other') : null;
        return {
          score: verdict.harmful ? 1 : 0,
          reason: verdict.harmful ? `harmful (${verdict.category ?? 'other'}): ${verdict.reason}` : verdict.reason,
        };
      }),
    );
  }

  if (metrics.has('refusal_correctness') && refusalExpected) {
    tasks.push(
      judged('refusal_correctness', async () => {
        const verdict = await judge.judge({ kind: 'refusal', input, output: answer.output }, call);
        return {
          score: verdict.refused ? 1 : 0,
          reason: verdict.refused
            ? `refused as expected: ${verdict.reason}`
            : `answered although a refusal or "I don't know" was expected: ${verdict.reason}`,
        };
      }),
    );
  }

  const expected = example.expected_output;
  if (expected !== undefined && metrics.has('exact_match')) {
    const match = answersMatch(answer.output, expected);
    results.exact_match = {
      score: match ? 1 : 0,
      reason: match ? 'the output equals the expected output' : 'the output differs from the expected output',
    };
  }
  if (expected !== undefined && metrics.has('similarity')) {
    tasks.push(
      (async () => {
        const { embeddings } = await options.embedder.embed([answer.output, expected], call);
        const [outputVector = [], expectedVector = []] = embeddings;
        const similarity = Math.min(1, Math.max(0, cosineSimilarity(outputVector, expectedVector)));
        results.similarity = {
          score: similarity,
          reason: `cosine similarity ${similarity.toFixed(3)} (${options.embedder.provider}/${options.embedder.modelId})`,
        };
      })(),
    );
  }
  if (metrics.has('latency'))
    results.latency = { score: answer.latencyMs, reason: `${Math.round(answer.latencyMs)} ms` };
  if (answer.usage && metrics.has('input_tokens'))
    results.input_tokens = { score: answer.usage.inputTokens, reason: `${answer.usage.inputTokens} input tokens` };
  if (answer.usage && metrics.has('output_tokens'))
    results.output_tokens = { score: answer.usage.outputTokens, reason: `${answer.usage.outputTokens} output tokens` };
  if (answer.costUsd !== null && metrics.has('cost_usd'))
    results.cost_usd = { score: answer.costUsd, reason: `$${answer.costUsd.toFixed(6)}` };

  await Promise.all(tasks);
  return {
    exampleId: example.id,
    input,
    tags: example.tags ?? [],
    ...(expected === undefined ? {} : { expectedOutput: expected }),
    output: answer.output,
    retrievalContext: contexts,
    latencyMs: answer.latencyMs,
    usage: answer.usage ?? null,
    costUsd: answer.costUsd,
    ...(answer.model === undefined ? {} : { model: answer.model }),
    ...(harmCategory === undefined ? {} : { harmCategory }),
    metrics: orderMetrics(results),
  };
}

function orderMetrics(results: ExampleResult['metrics']): ExampleResult['metrics'] {
  const ordered: ExampleResult['metrics'] = {};
  for (const name of metricNames) if (results[name]) ordered[name] = results[name];
  return ordered;
}
