import { LlmopsError, systemClock } from '@llmops/kernel';
import type { ChatMessage, Clock, GenerationParams } from '@llmops/kernel';
import type { InferenceInputLine } from '../../domain/batch/inference-input-line.js';
import type { InferenceRecord } from '../../domain/batch/inference-record.js';
import type { PipelineCompletion } from '../pipeline.js';

/** What answering one line gives: its record without the line's own fields (id, line number, input hash). */
export type InferenceAnswer = Omit<InferenceRecord, 'id' | 'line' | 'input_sha256'>;

/** The model a batch asks (the app opens it through serving); failures are LlmopsErrors. */
export interface BatchInferenceModel {
  /** The model as the records name it: the reference, or `<provider>/<model>`. */
  readonly label: string;
  answer(
    request: { messages: ChatMessage[]; variables?: Record<string, string> },
    options: { params: GenerationParams; signal: AbortSignal },
  ): Promise<InferenceAnswer>;
}

/** Where finished records go, one at a time, in the order lines finish (a JSONL file, flushed per record). */
export interface InferenceRecordSink {
  append(record: InferenceRecord): void;
}

/** Options of {@link runBatchInference}. */
export interface BatchInferenceOptions {
  /** The lines to answer (a plan's `pending`), in input order. */
  lines: readonly InferenceInputLine[];
  model: BatchInferenceModel;
  /** Request parameters for every line; they override the version's `params`. */
  params: GenerationParams;
  /** Lines answered at the same time, at least 1. */
  concurrency: number;
  sink: InferenceRecordSink;
  /** Stops the run: no line starts once it is aborted, and a line it cut short gets no record (a resume asks it again). */
  signal: AbortSignal;
  /** Called after each record was appended, with the run's counts so far (a progress bar). */
  onRecord?: (record: InferenceRecord, counts: BatchInferenceCounts) => void;
  clock?: Clock;
}

/** What a run did. */
export interface BatchInferenceCounts {
  answered: number;
  failed: number;
  /** Total tokens of the answers. */
  tokens: number;
  /** USD of the answers; `null` once one answer's cost is unknown (an unpriced model). */
  costUsd: number | null;
}

/** The fields of a served completion a batch record keeps (answer, finish reason, citations, usage, cost, latency). */
export function inferenceAnswerOf(
  served: PipelineCompletion,
  options: { label: string; registered: boolean },
): InferenceAnswer {
  const { completion, trace } = served;
  const choice = completion.choices[0];
  const guardrail = completion.llmops.guardrail;
  return {
    model: options.label,
    ...(options.registered ? { model_version: completion.llmops.model_version } : {}),
    answer: choice?.message.content ?? null,
    finish_reason: choice?.finish_reason ?? null,
    citations: completion.llmops.citations,
    usage: completion.usage ?? null,
    cost_usd: trace.costUsd,
    latency_ms: Math.round(trace.latencyMs.total),
    ...(guardrail
      ? {
          error: {
            code: 'guardrail_blocked',
            message: `the ${guardrail.stage} guardrail (${guardrail.check}) replaced the answer with a refusal`,
          },
        }
      : {}),
  };
}

/** Runs `work` on every item, at most `concurrency` at a time, starting none once `signal` is aborted. */
async function forEachConcurrently<Item>(
  items: readonly Item[],
  options: { concurrency: number; signal: AbortSignal },
  work: (item: Item) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options.signal.aborted) await work(items[next++] as Item);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency), items.length) }, worker));
}

/** Answers one line; a failure (a malformed line, a guardrail block, an upstream error) becomes the record's error. */
async function answerLine(
  line: InferenceInputLine,
  options: BatchInferenceOptions,
  clock: Clock,
): Promise<InferenceRecord> {
  const own = { id: line.id, line: line.line, input_sha256: line.inputSha256 };
  const failed = (error: { code: string; message: string }, latency = 0): InferenceRecord => ({
    ...own,
    model: options.model.label,
    answer: null,
    usage: null,
    latency_ms: latency,
    error,
  });
  if (!line.request) return failed(line.error ?? { code: 'invalid_input', message: `line ${line.line} is malformed` });
  const started = clock.monotonic();
  try {
    const answer = await options.model.answer(line.request, { params: options.params, signal: options.signal });
    return { ...own, ...answer };
  } catch (error) {
    const { code, message } = LlmopsError.fromUnknown(error);
    return failed({ code, message }, Math.round(clock.monotonic() - started));
  }
}

/**
 * Answers lines with a model, `concurrency` at a time, appending each line's record to the sink as soon as it
 * finishes: its answer, usage, cost and latency, or its error (a malformed line, a guardrail block, a provider
 * failure). Once `signal` aborts, no further line starts, and a line it cut short is not recorded, so a resumed run
 * (planned with `planInference` over the records kept) asks it again and never answers a line twice.
 */
export async function runBatchInference(options: BatchInferenceOptions): Promise<BatchInferenceCounts> {
  const clock = options.clock ?? systemClock;
  const counts: BatchInferenceCounts = { answered: 0, failed: 0, tokens: 0, costUsd: 0 };
  await forEachConcurrently(options.lines, options, async (line) => {
    const record = await answerLine(line, options, clock);
    if (options.signal.aborted && record.error) return;
    options.sink.append(record);
    if (record.error) counts.failed += 1;
    else counts.answered += 1;
    counts.tokens += record.usage?.total_tokens ?? 0;
    // A cost of null is unknown (no price for the model) and makes the total unknown; absent is none spent.
    counts.costUsd =
      counts.costUsd === null || record.cost_usd === null ? null : counts.costUsd + (record.cost_usd ?? 0);
    options.onRecord?.(record, { ...counts });
  });
  return counts;
}
