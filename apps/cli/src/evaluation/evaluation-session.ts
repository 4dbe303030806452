import { existsSync } from 'node:fs';
import { startEvaluation } from '@llmops/composition';
import type {
  BuiltTarget,
  EvaluationInvocation as SharedInvocation,
  EvaluationTargetChoice,
  ModelTargetOptions,
} from '@llmops/composition';
import { LlmopsError } from '@llmops/kernel';
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
import { workspaceFile } from '../workspace-file.js';

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

/**
 * The store of `--store` opened for evaluation runs. On its first use it marks `abandoned` the runs whose
 * process died (stale heartbeat) and says so on stderr.
 */
export function openCliEvaluationStore(context: CommandContext): EvaluationStore {
  return openEvaluationStore({
    storeUri: context.globals.store,
    cwd: context.io.cwd,
    env: context.io.env,
    onAbandoned: (runIds) =>
      context.io.stderr(
        `marked ${runIds.length} evaluation run(s) abandoned (their process stopped without finishing): ${runIds.join(', ')}\n`,
      ),
  });
}

/**
 * How often a running evaluation writes its heartbeat: `LLMOPS_EVAL_HEARTBEAT_MS`, else the service's default.
 * @throws LlmopsError `invalid_input` for a value that is not a whole number of ms >= 1.
 */
function heartbeatIntervalOf(context: CommandContext): number | undefined {
  const text = context.io.env['LLMOPS_EVAL_HEARTBEAT_MS'];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new LlmopsError('invalid_input', `LLMOPS_EVAL_HEARTBEAT_MS is "${text}"; expected a whole number of ms >= 1`);
  return value;
}

/** The prices of `confs/pricing.yaml` when the working folder has it (costs are unknown otherwise). */
function pricingOf(context: CommandContext): PricingTable | undefined {
  const file = workspaceFile(context.io, defaultPricingFile, 'pricing file');
  return existsSync(file) ? loadPricingTable(file, { env: context.io.env }) : undefined;
}

/**
 * Runs one evaluation for the CLI: reads the dataset and gates, builds judge and target, runs with a
 * progress display on stderr (a bar on a terminal, plain lines otherwise), stops cleanly on Ctrl-C or
 * SIGTERM keeping the finished examples (the run is stored `interrupted`), writes the run's heartbeat while it
 * runs, stores the run with its reports, and writes extra report files.
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
  // Report paths are checked before anything runs: a path outside the workspace must not cost a whole run.
  const reportPaths = (invocation.reportFiles ?? []).map((file) => ({
    file,
    path: workspaceFile(context.io, file, 'report'),
  }));
  const heartbeatIntervalMs = heartbeatIntervalOf(context);
  const store = openCliEvaluationStore(context);
  const pricing = pricingOf(context);
  const controller = new AbortController();
  // SIGINT (Ctrl-C) and SIGTERM (kill, a container stopping) end the run the same way: stored as interrupted.
  const interrupt = (signal: NodeJS.Signals) =>
    controller.abort(new LlmopsError('unavailable', `interrupted by ${signal === 'SIGINT' ? 'Ctrl-C' : signal}`));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let display: ReturnType<typeof createProgressDisplay> | undefined;
  try {
    const service = new EvaluationService({
      tracker: store.tracker,
      cache: store.cache,
      artifacts: standardReportArtifacts,
      ...(pricing ? { pricing } : {}),
      ...(heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs }),
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
          judgeWork: invocation.judge === 'offline' ? 'judgements' : 'calls',
        });
        display = created;
        return (event) => created.update(event);
      },
    });
    const report = await running.done;
    display?.finish();
    for (const { file, path } of reportPaths) {
      options.writeFile(path, options.renderReport(report, path));
      report.record.artifacts[file] = path;
    }
    return report;
  } finally {
    display?.finish();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    store.close();
  }
}
