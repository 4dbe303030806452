import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import {
  createJudge,
  createProgressDisplay,
  EvaluationService,
  loadDatasetFile,
  loadGateFile,
  loadRecordedOutputsFile,
  createOpenAiCompatibleTarget,
  openEvaluationStore,
  RecordedOutputsTarget,
  standardReportArtifacts,
} from '@llmops/evaluation';
import type { EvaluationReport, EvaluationStore, GateCriterion, MetricName, Target } from '@llmops/evaluation';
import { defaultPricingFile, loadPricingTable } from '@llmops/providers';
import type { PricingTable } from '@llmops/providers';
import type { CommandContext } from '../cli-io.js';

/** What to evaluate: a registered model version, an OpenAI-compatible endpoint, or recorded outputs. */
export type TargetChoice =
  | { kind: 'model'; reference: string }
  | { kind: 'endpoint'; baseUrl: string; model: string; apiKeyEnv?: string }
  | { kind: 'outputs'; file: string }
  | { kind: 'dataset-outputs' };

/** Builds the target of a registered model version (the app wires registry and serving into it). */
export type ModelTargetFactory = (
  reference: string,
  context: CommandContext,
) => Promise<{ target: Target; close: () => Promise<void> }>;

/** One evaluation as the CLI runs it (from `llmops eval run` or an `evaluate` job). */
export interface EvaluationInvocation {
  name?: string;
  target: TargetChoice;
  dataset: string;
  /** `offline` or a model spec such as `openai/gpt-4o-mini`. */
  judge: string;
  /** A gate file, or criteria already read. */
  gates?: string | readonly GateCriterion[];
  metrics?: readonly MetricName[];
  concurrency: number;
  tags?: Record<string, string>;
  /** Extra report files to write (format by extension). */
  reportFiles?: readonly string[];
}

/** The store of `--store` opened for evaluation runs. */
export function openCliEvaluationStore(context: CommandContext): EvaluationStore {
  return openEvaluationStore({ storeUri: context.globals.store, cwd: context.io.cwd, env: context.io.env });
}

/** The prices of `confs/pricing.yaml` when the working folder has it (costs are unknown otherwise). */
function pricingOf(context: CommandContext): PricingTable | undefined {
  const file = resolve(context.io.cwd, defaultPricingFile);
  return existsSync(file) ? loadPricingTable(file, { env: context.io.env }) : undefined;
}

async function buildTarget(
  choice: TargetChoice,
  options: { context: CommandContext; modelTarget: ModelTargetFactory; datasetTarget: () => RecordedOutputsTarget },
) {
  const { context } = options;
  switch (choice.kind) {
    case 'model':
      return options.modelTarget(choice.reference, context);
    case 'endpoint':
      return {
        target: createOpenAiCompatibleTarget({
          baseUrl: choice.baseUrl,
          model: choice.model,
          ...(choice.apiKeyEnv ? { apiKeyEnv: choice.apiKeyEnv } : {}),
          factory: { env: context.io.env },
        }),
        close: async () => undefined,
      };
    case 'outputs':
      return { target: loadRecordedOutputsFile(choice.file, { cwd: context.io.cwd }), close: async () => undefined };
    case 'dataset-outputs':
      return { target: options.datasetTarget(), close: async () => undefined };
  }
}

/**
 * Runs one evaluation for the CLI: reads the dataset and gates, builds judge and target, runs with a
 * progress display on stderr (a bar on a terminal, plain lines otherwise), stops cleanly on Ctrl-C
 * keeping the finished examples, stores the run with its reports, and writes extra report files.
 */
export async function runCliEvaluation(
  invocation: EvaluationInvocation,
  options: {
    context: CommandContext;
    modelTarget: ModelTargetFactory;
    writeFile: (path: string, content: string) => void;
    renderReport: (report: EvaluationReport, path: string) => string;
  },
): Promise<EvaluationReport> {
  const { context } = options;
  const dataset = loadDatasetFile(resolve(context.io.cwd, invocation.dataset), { source: invocation.dataset });
  const gates =
    typeof invocation.gates === 'string'
      ? loadGateFile(invocation.gates, { env: context.io.env, cwd: context.io.cwd })
      : invocation.gates;
  const judge = createJudge(invocation.judge, { factory: { env: context.io.env } });
  const built = await buildTarget(invocation.target, {
    ...options,
    datasetTarget: () => RecordedOutputsTarget.fromDataset(dataset),
  });
  const store = openCliEvaluationStore(context);
  const pricing = pricingOf(context);
  const controller = new AbortController();
  const interrupt = () => controller.abort(new LlmopsError('unavailable', 'interrupted by Ctrl-C'));
  process.once('SIGINT', interrupt);
  const display = createProgressDisplay({
    write: context.io.stderr,
    interactive: context.io.interactive,
    label: `evaluate ${built.target.description.name}`,
  });
  try {
    const service = new EvaluationService({
      tracker: store.tracker,
      cache: store.cache,
      artifacts: standardReportArtifacts,
      ...(pricing ? { pricing } : {}),
    });
    const report = await service.evaluate({
      ...(invocation.name ? { name: invocation.name } : {}),
      dataset,
      target: built.target,
      judge,
      ...(gates ? { gates } : {}),
      ...(invocation.metrics ? { metrics: invocation.metrics } : {}),
      concurrency: invocation.concurrency,
      ...(invocation.tags ? { tags: invocation.tags } : {}),
      signal: controller.signal,
      onProgress: (event) => display.update(event),
    });
    display.finish();
    for (const file of invocation.reportFiles ?? []) {
      const path = resolve(context.io.cwd, file);
      options.writeFile(path, options.renderReport(report, path));
      report.record.artifacts[file] = path;
    }
    return report;
  } finally {
    display.finish();
    process.removeListener('SIGINT', interrupt);
    store.close();
    await built.close();
  }
}
