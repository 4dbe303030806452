import { relative } from 'node:path';
import { z } from 'zod';
import { LlmopsError } from '@llmops/kernel';
import {
  gateCriterionSchema,
  judgeErrorCauses,
  metricChoiceSchema,
  offlineJudgeName,
  targetErrorCauses,
} from '@llmops/evaluation';
import type { EvaluationReport } from '@llmops/evaluation';
import { judgeSpecErrorDetails } from '@llmops/composition';
import {
  assertRunPassed,
  checkReportFiles,
  formatGateLines,
  formatJudgeErrorLines,
  formatTargetErrorLines,
  judgeFailureOf,
  renderReportFile,
  writeOutputFile,
} from '../evaluation/evaluation-output.js';
import { runCliEvaluation } from '../evaluation/evaluation-session.js';
import type { ModelTargetFactory, TargetChoice } from '../evaluation/evaluation-session.js';
import { withRegistry } from '../registry/open-registry.js';
import { readPromotionPolicyFile } from '../registry/registry-files.js';
import { formatPromotion } from '../registry/registry-output.js';
import type { JobContext, JobKind } from './job-kind.js';

const evaluateSchema = z
  .strictObject({
    kind: z.literal('evaluate'),
    /** The run name; `<target> on <dataset>` by default. */
    name: z.string().min(1).optional(),
    /** A registered model version served in process: `support-rag/2`, `support-rag@challenger`. */
    model: z.string().min(1).optional(),
    /** An OpenAI-compatible endpoint. */
    endpoint: z
      .strictObject({ baseUrl: z.string().min(1), model: z.string().min(1), apiKeyEnv: z.string().min(1).optional() })
      .optional(),
    /** Recorded outputs: a JSONL file, or `dataset` for the outputs recorded in the dataset itself. */
    outputs: z.string().min(1).optional(),
    /** The dataset file. */
    dataset: z.string().min(1),
    /** With `model` (a rag model): its corpus is swapped for this one for the run (the same method on another knowledge base). */
    corpus: z.string().min(1).optional(),
    /**
     * `offline` (the heuristic judge), an LLM spec such as `openai/gpt-4o-mini`, or a provider spec
     * `{ provider, model, baseUrl?, apiKeyEnv? }` for a judge on any OpenAI-compatible endpoint.
     */
    judge: z
      .union([z.string().min(1), z.looseObject({ provider: z.string().min(1), model: z.string().min(1) })])
      .default('offline'),
    /** A gate file (`confs/gates.yaml`) or the criteria themselves. */
    gates: z.union([z.string().min(1), z.array(gateCriterionSchema).min(1)]).optional(),
    /** The share of failed examples the gate accepts unless its criteria name `error_rate` (0.01 by default). */
    maxErrorRate: z.number().min(0).max(1).optional(),
    /** Metric names, each optionally `:strict` (DeepEval's strict mode). */
    metrics: z.array(metricChoiceSchema).min(1).optional(),
    concurrency: z.number().int().min(1).default(4),
    /** Extra report files (`.html`, `.md`, `.xml`, `.json`) besides those stored with the run. */
    reports: z.array(z.string().min(1)).default([]),
    /** When false, a failed gate is reported but does not fail the job (a pipeline goes on). */
    failOnGate: z.boolean().default(true),
    tags: z.record(z.string(), z.string()).default({}),
    /**
     * After the run, ask the registry to promote the evaluated version (model targets only) to this
     * alias under this policy; the policy reads the run just made as evidence. A refusal is shown
     * with its failed criteria and, like a failed gate, fails the job only when `failOnGate` is true.
     */
    promote: z.strictObject({ alias: z.string().min(1).default('champion'), policy: z.string().min(1) }).optional(),
  })
  .refine((job) => [job.model, job.endpoint, job.outputs].filter((value) => value !== undefined).length === 1, {
    error: 'choose what to evaluate with exactly one of model, endpoint or outputs',
  })
  .refine((job) => job.corpus === undefined || job.model !== undefined, {
    error: 'corpus applies to a model (a registered rag model version) only',
  })
  .refine((job) => job.promote === undefined || job.model !== undefined, {
    error: 'promote needs a model (a registered version) to evaluate',
  });

function choiceOf(job: z.infer<typeof evaluateSchema>): TargetChoice {
  if (job.model) return { kind: 'model', reference: job.model, ...(job.corpus ? { corpus: job.corpus } : {}) };
  if (job.endpoint) return { kind: 'endpoint', ...job.endpoint };
  return job.outputs === 'dataset' ? { kind: 'dataset-outputs' } : { kind: 'outputs', file: job.outputs as string };
}

function summaryOf(report: EvaluationReport, cwd: string): string {
  const { record } = report;
  const gate = record.gates
    ? record.gates.passed
      ? 'gate passed'
      : `gate FAILED (${record.gates.verdicts.filter((verdict) => !verdict.passed).length} criteria)`
    : 'no gate';
  const judge = record.judgeStatistics;
  const html = record.artifacts['report.html'];
  const where = html ? `; report ${html.startsWith('/') ? relative(cwd, html) : html}` : '';
  // The offline judge is a heuristic in this process: its work is judgements, not calls to a model.
  const judged =
    record.judge === offlineJudgeName
      ? `offline judge: ${judge.calls} judgements, ${judge.cacheHits} cached`
      : `judge ${record.judge}: ${judge.calls} calls, ${judge.cacheHits} cached${judge.errors > 0 ? `, ${judge.errors} failed` : ''}`;
  return `run ${record.id}: ${record.target.name} on ${record.dataset.name}, ${record.summary.examples} examples, ${gate}; ${judged}${where}`;
}

/**
 * A judge spec error (see `judgeSpecErrorDetails`) named as `llmops run` names a bad field of the conf: `<file>:<line>:
 * job.judge.<field>: …`, the line of the field when the spec's schema named it, else of `judge:`; other errors as they are.
 */
function locatedJudgeError(error: unknown, context: JobContext): unknown {
  const details = judgeSpecErrorDetails(error);
  if (!details || !LlmopsError.isInstance(error) || !context.originOf) return error;
  const path = details.paths[0] ? `job.judge.${details.paths[0]}` : 'job.judge';
  const message = error.message.replace(/^judge: /, '');
  return new LlmopsError(error.code, `${context.originOf(path)}: job.judge: ${message}`, {
    cause: error,
    details: error.details,
  });
}

/** Asks the registry to promote the evaluated version; returns whether it was promoted. */
async function promote(
  report: EvaluationReport,
  options: { alias: string; policyFile: string; context: JobContext; failOnRefusal: boolean },
): Promise<boolean> {
  const { context } = options;
  const { modelName, modelVersion } = report.record.target;
  if (!modelName || !modelVersion)
    throw new LlmopsError('invalid_input', 'promote needs a registered model version as the evaluated target');
  const policy = readPromotionPolicyFile(options.policyFile, context.io);
  try {
    const result = await withRegistry(context, (registry) =>
      registry.promote({ name: modelName, version: Number(modelVersion), alias: options.alias, policy }),
    );
    context.report(formatPromotion(result).trimEnd());
    return true;
  } catch (error) {
    if (!(LlmopsError.isInstance(error) && error.code === 'gate_failed') || options.failOnRefusal) throw error;
    for (const line of error.message.split('\n')) context.report(line);
    return false;
  }
}

/**
 * `kind: evaluate` (`confs/evaluate.yaml`): evaluates a model version, an endpoint or recorded
 * outputs on a dataset, checks the gates, stores the run and its reports. A failed gate fails the
 * job (exit 100) unless `failOnGate: false`.
 */
export function createEvaluateJob(options: { modelTarget: ModelTargetFactory }): JobKind<typeof evaluateSchema> {
  return {
    kind: 'evaluate',
    description: 'evaluates a model version, an endpoint or recorded outputs on a dataset, with gates and reports',
    schema: evaluateSchema,
    run: async (job, context) => {
      checkReportFiles(job.reports);
      const report = await runCliEvaluation(
        {
          ...(job.name ? { name: job.name } : {}),
          target: choiceOf(job),
          dataset: job.dataset,
          judge: job.judge,
          ...(job.gates ? { gates: job.gates } : {}),
          ...(job.maxErrorRate === undefined ? {} : { maxErrorRate: job.maxErrorRate }),
          ...(job.metrics ? { metrics: job.metrics } : {}),
          concurrency: job.concurrency,
          tags: job.tags,
          reportFiles: job.reports,
        },
        { context, modelTarget: options.modelTarget, writeFile: writeOutputFile, renderReport: renderReportFile },
      ).catch((error: unknown) => {
        throw locatedJudgeError(error, context);
      });
      const causes = targetErrorCauses(report.results);
      if (causes.length > 0) {
        context.report(`${report.record.summary.targetErrors} target errors:`);
        for (const line of formatTargetErrorLines(causes)) context.report(line);
      }
      const judgeCauses = judgeErrorCauses(report.results);
      for (const line of formatJudgeErrorLines(report)) context.report(line);
      if (report.record.gates) for (const line of formatGateLines(report.record.gates)) context.report(line);
      if (job.failOnGate || report.record.status !== 'finished') assertRunPassed(report);
      const promoted = job.promote
        ? await promote(report, {
            alias: job.promote.alias,
            policyFile: job.promote.policy,
            context,
            failOnRefusal: job.failOnGate,
          })
        : undefined;
      const promotion =
        promoted === undefined
          ? ''
          : promoted
            ? `; promoted to ${job.promote?.alias}`
            : `; promotion to ${job.promote?.alias} refused`;
      // A run whose judge gave no verdict finished, but must not look successful: exit 1 (not bad input), result printed.
      const judgeFailure = judgeFailureOf(report);
      return {
        kind: 'evaluate',
        summary: `${summaryOf(report, context.io.cwd)}${promotion}${judgeFailure ? `; ${judgeFailure}` : ''}`,
        ...(judgeFailure ? { exitCode: 1 } : {}),
        data: {
          run: report.record,
          targetErrorCauses: causes,
          judgeErrorCauses: judgeCauses,
          ...(promoted === undefined ? {} : { promoted }),
        },
      };
    },
  };
}
