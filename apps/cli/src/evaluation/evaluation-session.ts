import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEvaluation } from '@llmops/composition';
import type {
  BuiltTarget,
  EvaluationInvocation as SharedInvocation,
  EvaluationTargetChoice,
  ModelTargetOptions,
} from '@llmops/composition';
import { confinedPath, dataRootsOf, LlmopsError } from '@llmops/kernel';
import {
  createProgressDisplay,
  EvaluationService,
  openEvaluationStore,
  standardReportArtifacts,
} from '@llmops/evaluation';
import type { EvaluationReport, EvaluationStore } from '@llmops/evaluation';
import { defaultPricingFile, loadPricingTable } from '@llmops/providers';
import type { PricingTable } from '@llmops/providers';
import type { CommandContext } from '../cli-io.js';

/** What to evaluate: a registered model version, an OpenAI-compatible endpoint, or recorded outputs. */
export type TargetChoice = EvaluationTargetChoice;

/** Builds the target of a registered model version (the app wires registry and serving into it). */
export type ModelTargetFactory = (
  reference: string,
  context: CommandContext & { target?: ModelTargetOptions },
) => Promise<BuiltTarget>;

/** One evaluation as the CLI runs it (from `llmops eval run` or an `evaluate` job). */
export interface EvaluationInvocation extends SharedInvocation {
  /** A dataset file: the CLI reads datasets from files only. */
  dataset: string;
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
  const store = openCliEvaluationStore(context);
  const pricing = pricingOf(context);
  const controller = new AbortController();
  const interrupt = () => controller.abort(new LlmopsError('unavailable', 'interrupted by Ctrl-C'));
  process.once('SIGINT', interrupt);
  let display: ReturnType<typeof createProgressDisplay> | undefined;
  try {
    const service = new EvaluationService({
      tracker: store.tracker,
      cache: store.cache,
      artifacts: standardReportArtifacts,
      ...(pricing ? { pricing } : {}),
    });
    const workspace = {
      service,
      cwd: context.io.cwd,
      env: context.io.env,
      endpointKeys: true,
      confineFiles: true,
      modelTarget: (reference: string, targetOptions: ModelTargetOptions) =>
        options.modelTarget(reference, { ...context, target: targetOptions }),
    };
    const running = await startEvaluation(workspace, invocation, {
      signal: controller.signal,
      progress: (target) => {
        const created = createProgressDisplay({
          write: context.io.stderr,
          interactive: context.io.interactive,
          label: `evaluate ${target.name}`,
        });
        display = created;
        return (event) => created.update(event);
      },
    });
    const report = await running.done;
    display?.finish();
    for (const file of invocation.reportFiles ?? []) {
      const path = confinedPath({
        root: context.io.cwd,
        file,
        what: 'report',
        confine: true,
        dataRoots: dataRootsOf(context.io.env),
      });
      options.writeFile(path, options.renderReport(report, path));
      report.record.artifacts[file] = path;
    }
    return report;
  } finally {
    display?.finish();
    process.removeListener('SIGINT', interrupt);
    store.close();
  }
}
