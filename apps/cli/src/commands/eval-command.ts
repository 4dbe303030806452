import type { Command } from 'commander';
import { LlmopsError, parseProviderModel } from '@llmops/kernel';
import type { ProviderModel } from '@llmops/kernel';
import type { ReportFormat } from '@llmops/evaluation';
import type { CommandContext } from '../cli-io.js';
import { workspaceFile } from '../workspace-file.js';
import type { ModelTargetFactory, TargetChoice } from '../evaluation/evaluation-session.js';

/** Evaluation and its stores, imported when a subcommand runs: `llmops eval --help` loads none of their packages. */
async function loadEvaluation() {
  const [evaluation, output, session] = await Promise.all([
    import('@llmops/evaluation'),
    import('../evaluation/evaluation-output.js'),
    import('../evaluation/evaluation-session.js'),
  ]);
  return { ...evaluation, ...output, ...session };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Reads `--metrics a,b:strict,c` (`:strict` is DeepEval's strict mode).
 * @throws LlmopsError `invalid_input` naming an unknown metric or option.
 */
export async function parseMetricList(text: string): Promise<string[]> {
  const specs = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  try {
    (await loadEvaluation()).parseMetricChoice(specs);
  } catch (error) {
    throw new LlmopsError('invalid_input', `--metrics: ${LlmopsError.fromUnknown(error).message}`);
  }
  return specs;
}

/** Reads `--tag key=value`. */
function parseTags(pairs: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new LlmopsError('invalid_input', `--tag "${pair}" is not of the form key=value`);
    tags[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return tags;
}

function parsePositiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new LlmopsError('invalid_input', `${option} "${text}" is not a whole number from 1`);
  return value;
}

/** A share between 0 and 1. @throws LlmopsError `invalid_input` naming the option and the value. */
function parseShare(text: string, option: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1)
    throw new LlmopsError('invalid_input', `${option} "${text}" is not a number between 0 and 1`);
  return value;
}

interface RunOptions {
  model?: string;
  endpoint?: string;
  endpointModel?: string;
  apiKeyEnv?: string;
  outputs?: string;
  recorded: boolean;
  dataset: string;
  corpus?: string;
  judge: string;
  judgeBaseUrl?: string;
  judgeApiKeyEnv?: string;
  gate?: string;
  maxErrorRate: string;
  report: string[];
  concurrency: string;
  metrics?: string;
  name?: string;
  tag: string[];
}

function targetChoice(options: RunOptions): TargetChoice {
  const chosen = [options.model, options.endpoint, options.outputs, options.recorded ? 'recorded' : undefined].filter(
    (value) => value !== undefined,
  );
  if (chosen.length !== 1) {
    throw new LlmopsError(
      'invalid_input',
      'choose what to evaluate with exactly one of --model <ref>, --endpoint <url> --endpoint-model <id>, --outputs <file> or --recorded',
    );
  }
  if (options.corpus !== undefined && !options.model)
    throw new LlmopsError('invalid_input', '--corpus applies to --model <ref> (a rag model) only');
  if (options.model)
    return { kind: 'model', reference: options.model, ...(options.corpus ? { corpus: options.corpus } : {}) };
  if (options.endpoint) {
    if (!options.endpointModel)
      throw new LlmopsError('invalid_input', '--endpoint needs --endpoint-model <id> (the model at that endpoint)');
    return {
      kind: 'endpoint',
      baseUrl: options.endpoint,
      model: options.endpointModel,
      ...(options.apiKeyEnv ? { apiKeyEnv: options.apiKeyEnv } : {}),
    };
  }
  if (options.outputs) return { kind: 'outputs', file: options.outputs };
  return { kind: 'dataset-outputs' };
}

/**
 * The judge of `eval run`: `--judge` as given, or, with `--judge-base-url` / `--judge-api-key-env`, the
 * `openai/<model>` judge on that endpoint with that key variable (checked against the declared credentials
 * when the judge is built).
 * @throws LlmopsError `invalid_input` when those options are given with a judge that is not `openai/<model>`.
 */
function judgeSpec(options: RunOptions): string | ProviderModel {
  if (options.judgeBaseUrl === undefined && options.judgeApiKeyEnv === undefined) return options.judge;
  const spec = options.judge === 'offline' ? undefined : parseProviderModel(options.judge);
  if (spec?.provider !== 'openai') {
    throw new LlmopsError(
      'invalid_input',
      `--judge-base-url and --judge-api-key-env apply to an LLM judge --judge openai/<model>, not to --judge ${options.judge}`,
    );
  }
  return {
    ...spec,
    ...(options.judgeBaseUrl ? { baseUrl: options.judgeBaseUrl } : {}),
    ...(options.judgeApiKeyEnv ? { apiKeyEnv: options.judgeApiKeyEnv } : {}),
  };
}

/**
 * `llmops eval run|compare|report|list`: evaluate a model version, an OpenAI-compatible endpoint or
 * recorded outputs on a dataset; compare two runs; render a run's report. Exit codes of `eval run`:
 * 0 the gate passed, 100 the gate failed (every run's gate checks its share of failed examples), 1 an error or
 * an interrupted run (Ctrl-C, SIGTERM), 2 invalid input.
 */
export function registerEvalCommand(
  program: Command,
  options: { context: () => CommandContext; modelTarget: ModelTargetFactory },
): void {
  const evaluation = program
    .command('eval')
    .description('evaluate models on datasets, compare runs and render reports');

  evaluation
    .command('run')
    .description('evaluate a target on a dataset, check a gate and store the run with its reports')
    .option('--model <ref>', 'a registered model version, served in process (support-rag@champion, support-rag/2)')
    .option('--endpoint <url>', 'an OpenAI-compatible endpoint base URL (with --endpoint-model)')
    .option('--endpoint-model <id>', 'the model at --endpoint')
    .option('--api-key-env <var>', 'the environment variable holding the endpoint API key')
    .option('--outputs <file>', 'score recorded outputs (JSONL of {id, output, retrieval_context, ...})')
    .option('--recorded', 'score the outputs recorded in the dataset itself (output, retrieval_context)', false)
    .requiredOption('--dataset <file>', 'the dataset (.jsonl, .csv, .yaml)')
    .option(
      '--corpus <path>',
      'with --model: serve the rag model over this corpus instead of its own (the same method on another knowledge base)',
    )
    .option('--judge <judge>', 'offline (the heuristic judge) or an LLM spec such as openai/gpt-4o-mini', 'offline')
    .option('--judge-base-url <url>', 'with --judge openai/<model>: the judge endpoint, up to /v1 (OpenAI when absent)')
    .option(
      '--judge-api-key-env <var>',
      "with --judge openai/<model>: the variable holding the judge's API key, a credential declared for its host",
    )
    .option('--gate <file>', 'gate criteria (for example confs/gates.yaml); a failed gate exits 100')
    .option(
      '--max-error-rate <share>',
      'the share of failed examples the gate accepts unless its criteria name error_rate (0 to 1)',
      '0.01',
    )
    .option('--report <file>', 'also write a report here: .html, .md, .xml (JUnit) or .json (repeatable)', collect, [])
    .option('--concurrency <n>', 'examples evaluated at the same time', '4')
    .option(
      '--metrics <list>',
      "comma-separated metrics (default all), each optionally :strict (DeepEval's strict mode); an unknown name is refused with the list of known ones",
    )
    .option('--name <name>', 'the run name')
    .option('--tag <key=value>', 'a tag of the run (repeatable)', collect, [])
    .action(async (commandOptions: RunOptions) => {
      const context = options.context();
      const evaluation = await loadEvaluation();
      evaluation.checkReportFiles(commandOptions.report);
      const report = await evaluation.runCliEvaluation(
        {
          ...(commandOptions.name ? { name: commandOptions.name } : {}),
          target: targetChoice(commandOptions),
          dataset: commandOptions.dataset,
          judge: judgeSpec(commandOptions),
          ...(commandOptions.gate ? { gates: commandOptions.gate } : {}),
          maxErrorRate: parseShare(commandOptions.maxErrorRate, '--max-error-rate'),
          ...(commandOptions.metrics ? { metrics: await parseMetricList(commandOptions.metrics) } : {}),
          concurrency: parsePositiveInteger(commandOptions.concurrency, '--concurrency'),
          tags: parseTags(commandOptions.tag),
          reportFiles: commandOptions.report,
        },
        {
          context,
          modelTarget: options.modelTarget,
          writeFile: evaluation.writeOutputFile,
          renderReport: evaluation.renderReportFile,
        },
      );
      context.io.stdout(
        context.globals.json
          ? `${JSON.stringify(
              {
                run: report.record,
                targetErrorCauses: evaluation.targetErrorCauses(report.results),
                judgeErrorCauses: evaluation.judgeErrorCauses(report.results),
              },
              null,
              2,
            )}\n`
          : evaluation.formatRunSummary(report, { cwd: context.io.cwd, style: context.style }),
      );
      evaluation.assertRunPassed(report);
      evaluation.assertJudgeAnswered(report);
    });

  evaluation
    .command('compare')
    .description('compare run B with run A: per-metric deltas with bootstrap 95% intervals, and regressed examples')
    .argument(
      '<runA>',
      'the baseline run: an id from `llmops eval list`, latest, or previous (the run before latest on its dataset)',
    )
    .argument(
      '<runB>',
      'the candidate run: an id from `llmops eval list`, latest, or previous (the run before latest on its dataset)',
    )
    .option('--min-drop <score>', 'a per-example score must drop by more than this to count as a regression', '0.1')
    .option('--out <file>', 'also write the comparison (Markdown) to this file')
    .action(async (runA: string, runB: string, commandOptions: { minDrop: string; out?: string }) => {
      const context = options.context();
      const evaluation = await loadEvaluation();
      const minimumDrop = Number(commandOptions.minDrop);
      if (!(minimumDrop >= 0))
        throw new LlmopsError('invalid_input', `--min-drop "${commandOptions.minDrop}" is not a number >= 0`);
      // Checked before the store is read: a file outside the workspace is refused whatever the runs are.
      const outPath = commandOptions.out ? workspaceFile(context.io, commandOptions.out, '--out') : undefined;
      const store = evaluation.openCliEvaluationStore(context);
      try {
        const [baseline, candidate] = [
          await evaluation.resolveRunReference(store.tracker, runA),
          await evaluation.resolveRunReference(store.tracker, runB),
        ];
        const comparison = await new evaluation.EvaluationService({ tracker: store.tracker }).compare(
          baseline,
          candidate,
          {
            minimumDrop,
          },
        );
        const text = evaluation.renderComparison(comparison);
        if (outPath) evaluation.writeOutputFile(outPath, text);
        context.io.stdout(context.globals.json ? `${JSON.stringify(comparison, null, 2)}\n` : text);
      } finally {
        store.close();
      }
    });

  evaluation
    .command('report')
    .description('render the report of a run (Markdown on stdout, or a file with --out)')
    .argument('<run>', 'the run: an id from `llmops eval list`, latest or previous')
    .option('--out <file>', 'write the report here; the format follows the extension (.html, .md, .xml, .json)')
    .option('--format <format>', 'html, markdown (md), junit (xml) or json (default: from --out, else markdown)')
    .action(async (runReference: string, commandOptions: { out?: string; format?: string }) => {
      const context = options.context();
      const evaluation = await loadEvaluation();
      const formats: readonly ReportFormat[] = ['html', 'markdown', 'junit', 'json'];
      // The extensions --out and --report take name their formats too (`md`, `xml`).
      const aliases: Readonly<Record<string, ReportFormat>> = { md: 'markdown', xml: 'junit' };
      const named = commandOptions.format ? (aliases[commandOptions.format] ?? commandOptions.format) : undefined;
      if (named && !formats.includes(named as ReportFormat)) {
        throw new LlmopsError(
          'invalid_input',
          `--format "${commandOptions.format}" is not one of ${formats.join(', ')} (or md, xml)`,
        );
      }
      const format =
        (named as ReportFormat | undefined) ??
        (commandOptions.out ? evaluation.reportFormatOf(commandOptions.out) : 'markdown');
      if (!format)
        throw new LlmopsError(
          'invalid_input',
          `--out ${commandOptions.out}: unknown format; expected .html, .md, .xml or .json, or give --format`,
        );
      const outPath = commandOptions.out ? workspaceFile(context.io, commandOptions.out, '--out') : undefined;
      const store = evaluation.openCliEvaluationStore(context);
      try {
        const runId = await evaluation.resolveRunReference(store.tracker, runReference);
        const report = await new evaluation.EvaluationService({ tracker: store.tracker }).report(runId);
        const text = evaluation.renderReport(report, format);
        if (outPath) {
          evaluation.writeOutputFile(outPath, text);
          context.io.stdout(
            context.globals.json
              ? `${JSON.stringify({ run: runId, format, file: outPath })}\n`
              : `wrote the ${format} report of ${runId} to ${commandOptions.out}\n`,
          );
        } else {
          context.io.stdout(text);
        }
      } finally {
        store.close();
      }
    });

  evaluation
    .command('list')
    .description('list evaluation runs, newest first')
    .option('--model <name>', 'only runs of this registered model')
    .option('--limit <n>', 'at most this many runs', '20')
    .action(async (commandOptions: { model?: string; limit: string }) => {
      const context = options.context();
      const evaluation = await loadEvaluation();
      const store = evaluation.openCliEvaluationStore(context);
      try {
        const runs = await store.tracker.list({
          ...(commandOptions.model ? { modelName: commandOptions.model } : {}),
          limit: parsePositiveInteger(commandOptions.limit, '--limit'),
        });
        if (context.globals.json) {
          context.io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
          return;
        }
        context.io.stdout(evaluation.formatRunList(runs, context.style));
      } finally {
        store.close();
      }
    });
}
