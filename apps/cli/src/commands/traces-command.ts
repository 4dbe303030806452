import type { Command } from 'commander';
import { LlmopsError } from '@llmops/kernel';
import type { PipelineTrace, SpanAtDepth, TraceListOptions, TraceReader } from '@llmops/serving';
import type { OnlineScore } from '@llmops/monitoring';
import type { CommandContext } from '../cli-io.js';
import { printResult } from '../registry/command-helpers.js';
import { formatTable } from '../registry/registry-output.js';

/** The trace and event stores, imported when a subcommand runs: `llmops traces --help` loads none of their packages. */
const servingModule = () => import('@llmops/serving');
const monitoringSessionModule = () => import('../monitoring/monitoring-session.js');

interface ListOptions {
  model?: string;
  status?: string;
  limit: string;
  since?: string;
}

/** Runs `work` with the trace reader of `--store`: the embedded store's, or the MLflow experiment's. */
async function withTraceReader<Result>(
  context: CommandContext,
  work: (reader: TraceReader) => Promise<Result>,
): Promise<Result> {
  const store = (await servingModule()).openTraceStore(context.globals.store, {
    cwd: context.io.cwd,
    env: context.io.env,
  });
  try {
    return await work(store.reader);
  } finally {
    store.close();
  }
}

function listOptionsOf(options: ListOptions): TraceListOptions {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new LlmopsError('invalid_input', `--limit "${options.limit}" is not an integer from 1 to 1000`);
  }
  if (options.status !== undefined && options.status !== 'ok' && options.status !== 'error') {
    throw new LlmopsError('invalid_input', `--status "${options.status}" is not ok or error`);
  }
  let since: number | undefined;
  if (options.since !== undefined) {
    since = Date.parse(options.since);
    if (Number.isNaN(since)) {
      throw new LlmopsError(
        'invalid_input',
        `--since "${options.since}" is not a date; expected ISO 8601, for example 2026-11-29 or 2026-11-29T10:00:00Z`,
      );
    }
  }
  return {
    limit,
    ...(options.model ? { model: options.model } : {}),
    ...(options.status ? { status: options.status } : {}),
    ...(since === undefined ? {} : { since }),
  };
}

function tokensOf(trace: PipelineTrace): string {
  return trace.usage ? `${trace.usage.prompt_tokens}/${trace.usage.completion_tokens}` : '-';
}

function statusOf(trace: PipelineTrace): string {
  return trace.blocked ? 'blocked' : trace.status;
}

function costOf(trace: PipelineTrace): string {
  return trace.costUsd === null ? '-' : `$${trace.costUsd.toFixed(6)}`;
}

function traceLine(trace: PipelineTrace): string {
  return `${new Date(trace.startTimeMs).toISOString()}  ${trace.traceId}  ${trace.model}  ${statusOf(trace)}  ${trace.latencyMs.total.toFixed(1)} ms  tokens ${tokensOf(trace)}  ${costOf(trace)}\n`;
}

/** The table of `llmops traces list`, with a header row like `eval list` and `models list`. */
function formatTraceList(list: readonly PipelineTrace[]): string {
  if (list.length === 0) return 'no traces\n';
  return formatTable(
    ['STARTED (UTC)', 'TRACE ID', 'MODEL', 'STATUS', 'LATENCY (MS)', 'TOKENS IN/OUT', 'COST'],
    list.map((trace) => [
      new Date(trace.startTimeMs).toISOString(),
      trace.traceId,
      trace.model,
      statusOf(trace),
      trace.latencyMs.total.toFixed(1),
      tokensOf(trace),
      costOf(trace),
    ]),
  );
}

function retrievalLine(retrieval: NonNullable<PipelineTrace['retrieval']>): string {
  const count = retrieval.passages.length;
  const used = retrieval.passages.filter((passage) => passage.used).length;
  return `  retrieved ${count} passage${count === 1 ? '' : 's'} from ${retrieval.corpus} (${used} used)\n`;
}

function scoreLine(score: OnlineScore): string {
  return `  online ${score.metric} ${score.score.toFixed(3)} (judge ${score.judge}, ${new Date(score.scoredAt).toISOString()})\n`;
}

/** One trace with its spans indented under their parents (`tree`: the spans in tree order). */
function traceDetails(trace: PipelineTrace, scores: readonly OnlineScore[], tree: readonly SpanAtDepth[]): string {
  const lines = [
    traceLine(trace),
    `  pipeline ${trace.pipeline}, provider ${trace.provider || '-'}, guardrails ${trace.guardrailPolicy || '-'}\n`,
    ...(trace.error ? [`  error ${trace.error.code}: ${trace.error.message}\n`] : []),
    ...(trace.blocked ? [`  blocked by ${trace.blocked.check} (${trace.blocked.categories.join(', ') || '-'})\n`] : []),
    ...tree.map(
      ({ span, depth }) =>
        `  span ${`${'  '.repeat(depth)}${span.name}`.padEnd(16)} ${(span.endTimeMs - span.startTimeMs).toFixed(1).padStart(8)} ms  ${span.status}\n`,
    ),
    ...(trace.retrieval ? [retrievalLine(trace.retrieval)] : []),
    `  citations ${trace.citations.length}\n`,
    ...scores.map(scoreLine),
  ];
  return lines.join('');
}

/**
 * `llmops traces list|show`: the traces of served requests kept by the store (`llmops serve`, the API and
 * `llmops chat --model <reference>` record one per request): the embedded store's, or the MLflow experiment's.
 */
export function registerTracesCommand(program: Command, options: { context: () => CommandContext }): void {
  const traces = program.command('traces').description('list and show the traces of served requests');

  traces
    .command('list')
    .description('list traces, newest first')
    .option('--model <reference>', 'only this model (name) or version (name/3)')
    .option('--status <status>', 'only ok or error')
    .option('--since <time>', 'only traces that started at or after this ISO 8601 time')
    .option('--limit <n>', 'most traces to list (1-1000)', '20')
    .action(async (commandOptions: ListOptions) => {
      const context = options.context();
      const listOptions = listOptionsOf(commandOptions);
      const list = await withTraceReader(context, (reader) => reader.list(listOptions));
      printResult(context, {
        value: list,
        text: () => formatTraceList(list),
      });
    });

  traces
    .command('show')
    .description('show one trace with its spans')
    .argument('<trace-id>', 'the trace id (32 hex characters), as `traces list` prints it')
    .action(async (traceId: string) => {
      const context = options.context();
      if (!/^[0-9a-f]{32}$/.test(traceId)) {
        throw new LlmopsError('invalid_input', `trace id "${traceId}" is not 32 lowercase hex characters`);
      }
      const trace = await withTraceReader(context, (reader) => reader.get(traceId));
      if (!trace) throw new LlmopsError('not_found', `no trace ${traceId} in the store`);
      // Online evaluation scores the request after its trace is written: they are kept beside its event.
      const requestId = trace.requestId;
      const scores =
        requestId === undefined
          ? []
          : await (await monitoringSessionModule()).withEventStore(context, (store) => store.scoresOf(requestId));
      const tree = (await servingModule()).spansInTreeOrder(trace);
      printResult(context, {
        value: { ...trace, onlineScores: scores },
        text: () => traceDetails(trace, scores, tree),
      });
    });
}
