import { z } from 'zod';
import { LlmopsError, parseReference } from '@llmops/kernel';
import { EvaluationService, judgeChallenger, loadGateFile, metricCatalog } from '@llmops/evaluation';
import type {
  ChallengerVerdict,
  DatasetComparison,
  EvaluationRunRecord,
  MetricComparison,
  RunTracker,
} from '@llmops/evaluation';
import { openCliEvaluationStore } from '../evaluation/evaluation-session.js';
import { withRegistry } from '../registry/open-registry.js';
import { change, score } from '../quickstart/human-numbers.js';
import type { JobKind } from './job-kind.js';

const compareSchema = z.strictObject({
  kind: z.literal('compare'),
  /** The registered model whose versions are compared. */
  model: z.string().min(1),
  /** The version in place (a version number or an alias); `champion` by default. */
  champion: z.union([z.number().int().min(1), z.string().min(1)]).default('champion'),
  /** The version that challenges it; `challenger` by default. */
  challenger: z.union([z.number().int().min(1), z.string().min(1)]).default('challenger'),
  /** The dataset names (as runs record them) both versions' latest finished runs are compared on. */
  datasets: z.array(z.string().min(1)).min(1, 'expected at least one dataset name'),
  /** The gate file whose metrics decide (`confs/gates.yaml`). */
  gates: z.string().min(1),
  /**
   * Gated metrics shown but left out of the decision, for example `latency`: the two runs measured it at different
   * moments, and on a shared machine the difference is mostly the load of that moment (the gates still check it).
   */
  notDeciding: z.array(z.string().min(1)).default([]),
  /** Promote the challenger to this alias when it wins; nothing moves when absent. */
  promote: z.string().min(1).optional(),
});

type CompareJob = z.infer<typeof compareSchema>;

/** The data of a compare job's result. */
export interface CompareData {
  champion: number;
  challenger: number;
  verdict: ChallengerVerdict;
  datasets: Array<DatasetComparison & { runs: [string, string] }>;
  /** Where the challenger is worse, for people: on a deciding metric, and elsewhere. */
  worse: { deciding: string[]; other: string[] };
  promoted: boolean;
}

/** The newest finished run of a model version on a dataset. */
async function latestRun(
  tracker: RunTracker,
  input: { model: string; version: number; dataset: string },
): Promise<EvaluationRunRecord> {
  const runs = await tracker.list({ modelName: input.model, modelVersion: String(input.version), status: 'finished' });
  const run = runs.find((candidate) => candidate.dataset.name === input.dataset);
  if (!run)
    throw new LlmopsError(
      'not_found',
      `no finished evaluation run of ${input.model}/${input.version} on dataset "${input.dataset}"; run an evaluate job of it first (\`llmops eval list\` shows the runs)`,
    );
  return run;
}

/** A metric's values for people: scores with two decimals, milliseconds whole. */
function shown(comparison: MetricComparison, value: number | null): string {
  if (value === null) return '-';
  return metricCatalog[comparison.metric].unit === 'ms' ? `${Math.round(value)} ms` : score(value);
}

function changeOf(comparison: MetricComparison, value: number): string {
  return change(value, metricCatalog[comparison.metric].unit === 'ms' ? 'ms' : 'score');
}

const verdictWords: Record<MetricComparison['verdict'], string> = {
  improved: 'better',
  regressed: 'WORSE',
  unchanged: 'within noise',
  no_data: 'not measured',
};

/** The table of one dataset: each gated metric, both means, the paired change and its 95 % interval. */
function datasetTable(comparison: DatasetComparison, gated: ReadonlySet<string>, versions: [number, number]): string[] {
  const rows = comparison.metrics
    .filter((metric) => gated.has(metric.metric))
    .map((metric) => [
      metric.metric,
      shown(metric, metric.meanA),
      shown(metric, metric.meanB),
      metric.delta === null ? '-' : changeOf(metric, metric.delta),
      metric.interval ? `${changeOf(metric, metric.interval.low)} to ${changeOf(metric, metric.interval.high)}` : '-',
      verdictWords[metric.verdict],
    ]);
  const header = ['metric', `v${versions[0]}`, `v${versions[1]}`, 'change', '95 % interval', 'verdict'];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map(
    (row) =>
      `    ${row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd()}`,
  );
}

/**
 * Where the challenger is worse, one phrase each (`hit_rate_at_1 on support-qa −0.01 (within noise)`): on the metrics
 * that decide, and on the others (outside the gates, or gated but not deciding). A change that rounds to 0.00 is left
 * out.
 */
function worseningLines(verdict: ChallengerVerdict, notDeciding: ReadonlySet<string>): CompareData['worse'] {
  const lines: CompareData['worse'] = { deciding: [], other: [] };
  for (const { dataset, comparison, gated, significant } of verdict.worse) {
    const shownChange = changeOf(comparison, comparison.delta ?? 0);
    if (shownChange === changeOf(comparison, 0)) continue;
    const kind = gated ? '' : notDeciding.has(comparison.metric) ? 'gated, not deciding, ' : 'not gated, ';
    const line = `${comparison.metric} on ${dataset} ${shownChange} (${kind}${significant ? 'beyond its 95 % interval' : 'within noise'})`;
    (gated ? lines.deciding : lines.other).push(line);
  }
  return lines;
}

/** Resolves a version number or alias of the model to its version. */
async function versionOf(
  registry: { resolveModel: (reference: string) => Promise<{ version: number }> },
  model: string,
  version: CompareJob['champion'],
) {
  const reference = typeof version === 'number' ? `${model}/${version}` : `${model}@${version}`;
  parseReference(reference);
  return (await registry.resolveModel(reference)).version;
}

/**
 * `kind: compare`: compares the challenger's latest runs with the champion's on each dataset, example by example
 * (paired differences with bootstrap 95 % intervals, the `eval compare` computation), on the metrics of a gate file;
 * the challenger wins when no gated metric is worse beyond its interval on any dataset and one is better beyond it
 * on one. Says where the challenger is worse, gated or not, within noise or not. With `promote`, a winner is
 * promoted to that alias (audited as a forced promotion whose reason is the comparison); a loser moves nothing.
 */
export const compareJob: JobKind<typeof compareSchema> = {
  kind: 'compare',
  description:
    'compares a challenger with the champion on the gated metrics (bootstrap intervals) and promotes the winner',
  schema: compareSchema,
  run: async (job, context) => {
    const [championVersion, challengerVersion] = await withRegistry(context, async (registry) => [
      await versionOf(registry, job.model, job.champion),
      await versionOf(registry, job.model, job.challenger),
    ]);
    const name = (version: number) => `${job.model}/${version}`;
    if (championVersion === challengerVersion)
      throw new LlmopsError(
        'invalid_input',
        `job.challenger: ${name(challengerVersion)} is already the champion; nothing to compare`,
      );
    const gatedMetrics = [
      ...new Set(loadGateFile(job.gates, { cwd: context.io.cwd, env: context.io.env }).map((gate) => gate.metric)),
    ];
    const gated = new Set<string>(gatedMetrics);
    for (const metric of job.notDeciding)
      if (!gated.has(metric))
        throw new LlmopsError(
          'invalid_input',
          `job.notDeciding: "${metric}" is not a metric of ${job.gates} (${gatedMetrics.join(', ')})`,
        );
    const store = openCliEvaluationStore(context);
    const datasets: Array<DatasetComparison & { runs: [string, string] }> = [];
    try {
      const service = new EvaluationService({ tracker: store.tracker });
      for (const dataset of job.datasets) {
        const champion = await latestRun(store.tracker, { model: job.model, version: championVersion, dataset });
        const challenger = await latestRun(store.tracker, { model: job.model, version: challengerVersion, dataset });
        const report = await service.compare(champion.id, challenger.id);
        datasets.push({ dataset, metrics: report.comparison.metrics, runs: [champion.id, challenger.id] });
      }
    } finally {
      store.close();
    }
    const notDeciding = new Set(job.notDeciding);
    const verdict = judgeChallenger(
      datasets,
      gatedMetrics.filter((metric) => !notDeciding.has(metric)),
    );
    context.report(
      `${name(challengerVersion)} (challenger) against ${name(championVersion)} (champion), example by example, on the metrics of ${job.gates}:`,
    );
    for (const dataset of datasets) {
      const pairs = Math.max(0, ...dataset.metrics.map((metric) => metric.pairs));
      context.report(`  ${dataset.dataset} (up to ${pairs} paired examples; runs ${dataset.runs.join(' vs ')})`);
      for (const line of datasetTable(dataset, gated, [championVersion, challengerVersion])) context.report(line);
    }
    const worse = worseningLines(verdict, notDeciding);
    if (worse.deciding.length === 0 && worse.other.length === 0)
      context.report(`  ${name(challengerVersion)} is worse on no metric.`);
    if (worse.deciding.length > 0)
      context.report(`  where ${name(challengerVersion)} is worse on a deciding metric: ${worse.deciding.join('; ')}`);
    if (worse.other.length > 0)
      context.report(`  where ${name(challengerVersion)} is worse on another metric: ${worse.other.join('; ')}`);
    if (notDeciding.size > 0) context.report(`  shown, not deciding (job.notDeciding): ${[...notDeciding].join(', ')}`);
    if (verdict.unmeasured.length > 0) context.report(`  not measured in both runs: ${verdict.unmeasured.join(', ')}`);
    const better = verdict.improved.map(({ dataset, comparison }) => `${comparison.metric} on ${dataset}`).join(', ');
    const outcome = verdict.wins
      ? `${name(challengerVersion)} wins: better on ${better}, and no gated metric worse beyond its interval`
      : `${name(challengerVersion)} does not win: ${
          verdict.improved.length === 0
            ? 'no gated metric better beyond its interval'
            : 'a gated metric is worse beyond its interval'
        }`;
    context.report(`  ${outcome}`);
    let promoted = false;
    if (verdict.wins && job.promote) {
      const alias = job.promote;
      const result = await withRegistry(context, (registry) =>
        registry.promote({
          name: job.model,
          version: challengerVersion,
          alias,
          // The shipped policy's absolute thresholds refuse both versions with the offline judge (wiki/Evaluation.md);
          // this promotion rests on the comparison, which the reason records in the audit log.
          force: true,
          reason: `won the comparison with ${name(championVersion)} on ${job.datasets.join(' and ')} (${outcome})`,
          // The compared runs, champion's and challenger's on each dataset, are what the promotion rests on.
          evidence: datasets.flatMap((dataset) => dataset.runs),
        }),
      );
      promoted = true;
      context.report(
        `  promoted ${name(challengerVersion)} to ${alias} (was ${result.fromVersion === null ? 'none' : `v${result.fromVersion}`})`,
      );
    }
    return {
      kind: 'compare',
      summary: `${outcome}${promoted ? `; promoted to ${job.promote}` : job.promote ? '; nothing promoted' : ''}`,
      data: {
        champion: championVersion,
        challenger: challengerVersion,
        verdict,
        datasets,
        worse,
        promoted,
      } satisfies CompareData,
    };
  },
};
