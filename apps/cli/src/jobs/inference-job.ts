import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { chatCompletionRequestSchema, LlmopsError } from '@llmops/kernel';
import {
  compactOutput,
  JsonlInferenceOutput,
  planInference,
  readExistingOutput,
  readInferenceInput,
  runBatchInference,
} from '@llmops/serving';
import type { BatchInferenceCounts } from '@llmops/serving';
import { openInferenceModel } from '../inference/inference-model.js';
import { workspaceFile } from '../workspace-file.js';
import { createInferenceProgress } from '../inference/inference-progress.js';
import type { JobKind } from './job-kind.js';

/** Request parameters a job may set for every line (OpenAI's names and bounds, from the kernel's request schema). */
const requestParamsSchema = z.strictObject(
  chatCompletionRequestSchema.pick({
    temperature: true,
    top_p: true,
    max_tokens: true,
    max_completion_tokens: true,
    seed: true,
    stop: true,
    presence_penalty: true,
    frequency_penalty: true,
  }).shape,
);

const inferenceSchema = z.strictObject({
  kind: z.literal('inference'),
  /**
   * A registered model (`support-rag@champion`, `support-rag/2`) or a provider spec: text
   * (`offline/extractive`, `openai/gpt-4o-mini`) or `{ provider, model, baseUrl?, apiKeyEnv? }`.
   */
  model: z.union([z.string().min(1), z.looseObject({ provider: z.string().min(1), model: z.string().min(1) })]),
  /** The JSONL input, in the workspace: one object per line with `messages`, `input` or `question`, and an optional `id`. */
  input: z.string().min(1),
  /** The JSONL output, in the workspace: one record per input line; an existing file is resumed. */
  output: z.string().min(1),
  /** Lines answered at the same time. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Request parameters for every line; they override the model version's `params`. */
  params: requestParamsSchema.default({}),
  /** On resume, ask again the lines whose record is a failure (by default they are kept and skipped). */
  retryFailed: z.boolean().default(false),
});

function formatSummary(counts: {
  answered: number;
  failed: number;
  skipped: number;
  tokens: number;
  costUsd: number | null;
  seconds: number;
  output: string;
}): string {
  const cost = counts.costUsd === null ? 'cost unknown' : `$${counts.costUsd.toFixed(6)}`;
  return `${counts.answered} answered, ${counts.failed} failed, ${counts.skipped} skipped (recorded by an earlier run); ${counts.tokens} tokens, ${cost}, ${counts.seconds.toFixed(1)} s; output ${counts.output}`;
}

/**
 * `kind: inference` (`confs/inference.yaml`): answers every line of a JSONL input with a model
 * through serving (`runBatchInference` of `@llmops/serving`; this job only wires files, the model and the
 * progress bar), `concurrency` lines at a time, appending one record per line to the JSONL output
 * as each finishes (flushed to disk). A run on an existing output resumes: lines answered before are
 * skipped, never asked again. At the end the output is rewritten in input order. Exits 0 when every
 * line has an answer, 1 when some failed (their errors are on their records), 2 for a bad conf or input.
 */
export const inferenceJob: JobKind<typeof inferenceSchema> = {
  kind: 'inference',
  description: 'answers a JSONL file of questions with a model (resumable, bounded concurrency)',
  schema: inferenceSchema,
  run: async (job, context) => {
    const inputPath = workspaceFile(context.io, job.input, 'job.input');
    const outputPath = workspaceFile(context.io, job.output, 'job.output');
    const lines = readInferenceInput(inputPath, job.input);
    mkdirSync(dirname(outputPath), { recursive: true });
    const existing = readExistingOutput(outputPath, job.output);
    if (existing.truncatedLastLine) context.progress(`${job.output}: dropped a partial last line left by a crash`);
    const plan = planInference({
      lines,
      records: existing.records,
      retryFailed: job.retryFailed,
      files: { input: job.input, output: job.output },
    });
    const model = await openInferenceModel(job.model, { context, where: `job.model of ${context.confFiles.at(-1)}` });
    context.progress(
      `inference ${model.label}: ${lines.length} lines, ${plan.skipped} recorded by an earlier run, ${plan.pending.length} to answer (concurrency ${job.concurrency})`,
    );
    const started = performance.now();
    const controller = new AbortController();
    const interrupt = () => controller.abort(new LlmopsError('unavailable', 'interrupted by Ctrl-C'));
    process.once('SIGINT', interrupt);
    const progress = createInferenceProgress({
      write: context.io.stderr,
      interactive: context.io.interactive,
      total: plan.pending.length,
      now: () => performance.now(),
      label: 'inference',
    });
    const writer = new JsonlInferenceOutput(outputPath);
    let run: BatchInferenceCounts = { answered: 0, failed: 0, tokens: 0, costUsd: 0 };
    try {
      run = await runBatchInference({
        lines: plan.pending,
        model,
        params: job.params,
        concurrency: job.concurrency,
        signal: controller.signal,
        sink: {
          append: (record) => {
            writer.append(record);
            existing.records.set(record.id, record);
          },
        },
        onRecord: (_record, counts) => progress.tick({ done: counts.answered + counts.failed, failed: counts.failed }),
      });
    } finally {
      progress.finish();
      writer.close();
      process.removeListener('SIGINT', interrupt);
      await model.close();
    }
    compactOutput(outputPath, { order: lines.map((line) => line.id), records: existing.records });
    const summary = formatSummary({
      answered: run.answered,
      failed: run.failed,
      skipped: plan.skipped,
      tokens: run.tokens,
      costUsd: run.costUsd,
      seconds: (performance.now() - started) / 1000,
      output: job.output,
    });
    if (controller.signal.aborted) {
      throw new LlmopsError('unavailable', `interrupted by Ctrl-C: ${summary}; run the job again to resume`);
    }
    const failedLines = lines.filter((line) => existing.records.get(line.id)?.error).map((line) => line.line);
    const data = { ...run, skipped: plan.skipped, lines: lines.length, failedLines, output: outputPath };
    if (failedLines.length === 0) return { kind: 'inference', summary, data };
    const retry = job.retryFailed ? '' : '; -e job.retryFailed=true asks them again';
    return {
      kind: 'inference',
      summary: `${summary}; ${failedLines.length} line(s) without an answer (lines ${failedLines.slice(0, 10).join(', ')}${failedLines.length > 10 ? ', …' : ''})${retry}`,
      data,
      exitCode: 1,
    };
  },
};
