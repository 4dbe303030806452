import { LlmopsError } from '@llmops/kernel';
import type { DatasetInput, MlflowClient, Run } from '@llmops/mlflow-client';
import { aggregateStatistics } from '../../domain/aggregates.js';
import type { EvaluationSummary, MetricAggregate } from '../../domain/aggregates.js';
import type { EvaluationRunRecord, RunStatus } from '../../domain/evaluation-run.js';
import type { ExampleResult } from '../../domain/example-result.js';
import { isMetricName } from '../../domain/metric-catalog.js';
import type { MetricName } from '../../domain/metric-catalog.js';
import type { GateMetric } from '../../domain/gates.js';
import { flattenSummary } from '../../domain/metric-keys.js';
import { abandonedReason, isRunStale } from '../../domain/run-heartbeat.js';
import type { RunArtifact, RunListFilter, RunTracker } from '../../ports.js';

/** Settings of {@link MlflowRunTracker}. */
export interface MlflowRunTrackerOptions {
  /** The experiment runs go to (created when missing); `llmops-evaluations` by default. */
  experimentName?: string;
}

/** The tag marking a run as an llmops evaluation. */
export const evaluationKindTag = 'llmops.kind';
const statusTag = 'llmops.status';
const gateTag = 'llmops.gate';
const gatesTag = 'llmops.gates';
const heartbeatTag = 'llmops.heartbeat';
const heartbeatIntervalTag = 'llmops.heartbeat_interval_ms';
const errorTag = 'llmops.error';
const recordArtifact = 'evaluation.json';
const resultsArtifact = 'results.jsonl';

/**
 * MLflow's end status of each run status (MLflow's `RunStatus`: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED).
 * A run still `running` when finished is ended as FINISHED; `interrupted` and `abandoned` are both KILLED, told
 * apart by the `llmops.status` tag.
 */
const mlflowStatus: Record<RunStatus, 'FINISHED' | 'FAILED' | 'KILLED'> = {
  running: 'FINISHED',
  finished: 'FINISHED',
  interrupted: 'KILLED',
  failed: 'FAILED',
  abandoned: 'KILLED',
};

function clip(text: string, maximum: number): string {
  return text.length <= maximum ? text : `${text.slice(0, maximum - 1)}…`;
}

function paramsOf(run: Omit<EvaluationRunRecord, 'id'>): Record<string, string> {
  const params: Record<string, string> = {
    target_kind: run.target.kind,
    target_name: run.target.name,
    dataset_name: run.dataset.name,
    dataset_source: run.dataset.source,
    dataset_hash: run.dataset.hash,
    dataset_digest: run.dataset.digest,
    dataset_examples: String(run.dataset.examples),
    judge: run.judge,
    metrics: run.metrics.join(','),
  };
  if (run.target.modelRef !== undefined) params['model_ref'] = run.target.modelRef;
  if (run.target.modelName !== undefined) params['model_name'] = run.target.modelName;
  if (run.target.modelVersion !== undefined) params['model_version'] = run.target.modelVersion;
  for (const [key, value] of Object.entries(run.target.params ?? {})) params[`target.${key}`] = value;
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, clip(value, 6000)]));
}

/**
 * The run's dataset as an MLflow dataset input, described the way MLflow's local dataset source
 * describes a file (`source_type` `local`, `source` `{"uri": "<path>"}`), in the `evaluation` context.
 */
function datasetInputOf(run: Omit<EvaluationRunRecord, 'id'>): DatasetInput {
  return {
    name: clip(run.dataset.name, 500),
    digest: run.dataset.digest,
    sourceType: 'local',
    source: JSON.stringify({ uri: run.dataset.source }),
    profile: JSON.stringify({ num_rows: run.dataset.examples }),
    context: 'evaluation',
  };
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "\\'")}'`;
}

function summaryOf(run: Run): EvaluationSummary {
  const metrics = Object.fromEntries(run.data.metrics.map((metric) => [metric.key, metric.value]));
  const aggregates: EvaluationSummary['aggregates'] = {};
  const harmfulByCategory: Record<string, number> = {};
  for (const [key, value] of Object.entries(metrics)) {
    const [name, statistic] = key.split('/');
    if (name === undefined || statistic === undefined || !isMetricName(name)) continue;
    if ((aggregateStatistics as readonly string[]).includes(statistic)) {
      const aggregate: MetricAggregate = aggregates[name] ?? {
        metric: name as MetricName,
        count: 0,
        errors: 0,
        undefined: 0,
        mean: null,
        p50: null,
        p95: null,
        p99: null,
        min: null,
        max: null,
      };
      (aggregate as unknown as Record<string, number>)[statistic] = value;
      aggregates[name] = aggregate;
    } else if (name === 'harmful_rate') {
      harmfulByCategory[statistic] = Math.round(value * (metrics['harmful_rate/count'] ?? 0));
    }
  }
  return {
    examples: metrics['examples'] ?? 0,
    targetErrors: metrics['target_errors'] ?? 0,
    aggregates,
    harmfulByCategory,
  };
}

/**
 * Tracks evaluation runs as MLflow runs, through `@llmops/mlflow-client`:
 * - params: target kind and name, `model_ref`, `model_name`, `model_version`, `dataset_name`,
 *   `dataset_source`, `dataset_hash`, `dataset_digest`, `dataset_examples`, `judge`, `metrics`;
 * - metrics: `<metric>/<statistic>` (`faithfulness/mean`, `latency/p95`…), `harmful_rate/<category>`,
 *   `examples`, `target_errors`, `judge_calls`, `judge_cache_hits`, `judge_errors`, `gate_passed`;
 * - tags: `llmops.kind=evaluation`, `llmops.status`, `llmops.gate` (`passed`/`failed`), `llmops.gates`
 *   (the verdicts as JSON) and the run's own tags;
 * - artifacts: `results.jsonl` (per-example results), `evaluation.json` (the record) and the reports;
 * - a dataset input (what MLflow's UI lists under "Datasets used"): the dataset's name and digest,
 *   source type `local` with source `{"uri": "<dataset source>"}`, profile `{"num_rows": <examples>}`,
 *   context `evaluation`.
 */
export class MlflowRunTracker implements RunTracker {
  readonly kind = 'mlflow';
  private experimentId: Promise<string> | undefined;

  constructor(
    private readonly client: MlflowClient,
    private readonly options: MlflowRunTrackerOptions = {},
  ) {}

  private experiment(): Promise<string> {
    this.experimentId ??= this.client.experiments
      .getOrCreate({ name: this.options.experimentName ?? 'llmops-evaluations' })
      .catch((error: unknown) => {
        this.experimentId = undefined;
        throw error;
      });
    return this.experimentId;
  }

  async start(run: Omit<EvaluationRunRecord, 'id'>): Promise<string> {
    const experimentId = await this.experiment();
    const created = await this.client.runs.create({
      experimentId,
      runName: run.name,
      startTime: run.startedAt,
      tags: {
        ...run.tags,
        [evaluationKindTag]: 'evaluation',
        [statusTag]: run.status,
        ...(run.heartbeatIntervalMs === undefined ? {} : { [heartbeatIntervalTag]: String(run.heartbeatIntervalMs) }),
      },
    });
    await this.client.runs.logBatch({ runId: created.info.runId, params: paramsOf(run) });
    await this.client.runs.logInputs({ runId: created.info.runId, datasets: [datasetInputOf(run)] });
    return created.info.runId;
  }

  async finish(
    run: EvaluationRunRecord,
    results: readonly ExampleResult[],
    artifacts: readonly RunArtifact[],
  ): Promise<EvaluationRunRecord> {
    const timestamp = run.finishedAt ?? Date.now();
    const flat = flattenSummary(run.summary);
    const metrics = Object.entries({
      ...flat,
      judge_calls: run.judgeStatistics.calls,
      judge_cache_hits: run.judgeStatistics.cacheHits,
      judge_errors: run.judgeStatistics.errors,
      ...(run.gates ? { gate_passed: run.gates.passed ? 1 : 0 } : {}),
    }).map(([key, value]) => ({ key, value, timestamp, step: 0 }));
    const tags: Record<string, string> = { [statusTag]: run.status };
    if (run.gates) {
      tags[gateTag] = run.gates.passed ? 'passed' : 'failed';
      const verdicts = JSON.stringify(
        run.gates.verdicts.map(({ criterion, value, passed }) => ({ criterion, value, passed })),
      );
      if (verdicts.length <= 8000) tags[gatesTag] = verdicts;
    }
    await this.client.runs.logBatch({ runId: run.id, metrics, tags });
    const locations: Record<string, string> = { ...run.artifacts };
    const artifactUri = (await this.client.runs.get(run.id)).info.artifactUri;
    const upload = async (path: string, content: string, contentType: string) => {
      await this.client.artifacts.upload({ runId: run.id, path, content, contentType });
      locations[path] = `${artifactUri}/${path}`;
    };
    await upload(
      resultsArtifact,
      results.map((result) => JSON.stringify(result)).join('\n') + (results.length > 0 ? '\n' : ''),
      'application/x-ndjson',
    );
    for (const artifact of artifacts) await upload(artifact.path, artifact.content, artifact.contentType);
    const record: EvaluationRunRecord = { ...run, artifacts: locations };
    await upload(
      recordArtifact,
      JSON.stringify(
        { ...record, artifacts: { ...locations, [recordArtifact]: `${artifactUri}/${recordArtifact}` } },
        null,
        2,
      ),
      'application/json',
    );
    locations[recordArtifact] = `${artifactUri}/${recordArtifact}`;
    await this.client.runs.end({ runId: run.id, status: mlflowStatus[run.status], endTime: timestamp });
    return { ...record, artifacts: locations };
  }

  async heartbeat(runId: string, at: number): Promise<void> {
    await this.client.runs.setTag({ runId, key: heartbeatTag, value: String(at) });
  }

  async abandonStaleRuns(now: number): Promise<string[]> {
    const page = await this.client.runs.searchPage({
      experimentIds: [await this.experiment()],
      filter: `tags.\`${evaluationKindTag}\` = 'evaluation' and tags.\`${statusTag}\` = 'running'`,
      pageSize: 200,
    });
    const abandoned: string[] = [];
    for (const run of page.items) {
      const record = this.recordOf(run);
      if (!isRunStale(record, now)) continue;
      const endTime = record.heartbeatAt ?? record.startedAt;
      await this.client.runs.logBatch({
        runId: run.info.runId,
        tags: { [statusTag]: 'abandoned', [errorTag]: clip(abandonedReason(record), 5000) },
      });
      await this.client.runs.end({ runId: run.info.runId, status: mlflowStatus.abandoned, endTime });
      abandoned.push(run.info.runId);
    }
    return abandoned;
  }

  private async evaluationRun(runId: string): Promise<Run> {
    const run = await this.client.runs.get(runId);
    if (run.data.tags[evaluationKindTag] !== 'evaluation') {
      throw new LlmopsError(
        'not_found',
        `MLflow run ${runId} is not an llmops evaluation run (no tag ${evaluationKindTag}=evaluation)`,
      );
    }
    return run;
  }

  async get(runId: string): Promise<EvaluationRunRecord> {
    const run = await this.evaluationRun(runId);
    if (run.data.tags[statusTag] !== 'running') {
      try {
        return JSON.parse(
          await this.client.artifacts.downloadText({ runId, path: recordArtifact }),
        ) as EvaluationRunRecord;
      } catch (error) {
        if (!(LlmopsError.isInstance(error) && error.code === 'not_found')) throw error;
      }
    }
    return this.recordOf(run);
  }

  async results(runId: string): Promise<ExampleResult[]> {
    await this.evaluationRun(runId);
    const text = await this.client.artifacts.downloadText({ runId, path: resultsArtifact });
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ExampleResult);
  }

  async list(filter: RunListFilter = {}): Promise<EvaluationRunRecord[]> {
    const conditions = [`tags.\`${evaluationKindTag}\` = 'evaluation'`];
    if (filter.modelName !== undefined) conditions.push(`params.model_name = ${quote(filter.modelName)}`);
    if (filter.modelVersion !== undefined) conditions.push(`params.model_version = ${quote(filter.modelVersion)}`);
    if (filter.status !== undefined) conditions.push(`tags.\`${statusTag}\` = ${quote(filter.status)}`);
    const limit = filter.limit ?? 50;
    const page = await this.client.runs.searchPage({
      experimentIds: [await this.experiment()],
      filter: conditions.join(' and '),
      orderBy: ['start_time DESC'],
      pageSize: limit,
    });
    return page.items.map((run) => this.recordOf(run));
  }

  /** A record rebuilt from a run's params, tags and metrics (the per-example results stay in the artifact). */
  private recordOf(run: Run): EvaluationRunRecord {
    const { params, tags } = run.data;
    const metrics = Object.fromEntries(run.data.metrics.map((metric) => [metric.key, metric.value]));
    const status = (tags[statusTag] ?? 'running') as RunStatus;
    const targetParams = Object.fromEntries(
      Object.entries(params)
        .filter(([key]) => key.startsWith('target.'))
        .map(([key, value]) => [key.slice('target.'.length), value]),
    );
    let gates: EvaluationRunRecord['gates'];
    if (tags[gatesTag]) {
      const verdicts = JSON.parse(tags[gatesTag]) as Array<{
        criterion: string;
        value: number | null;
        passed: boolean;
      }>;
      gates = {
        passed: tags[gateTag] === 'passed',
        verdicts: verdicts.map((verdict) => ({
          ...verdict,
          metric: verdict.criterion.split('.')[0] as GateMetric,
          statistic: 'mean',
          operator: '>=',
          threshold: 0,
          reason: '',
        })),
      };
    }
    const ownTags = Object.fromEntries(
      Object.entries(tags).filter(([key]) => !key.startsWith('llmops.') && !key.startsWith('mlflow.')),
    );
    return {
      id: run.info.runId,
      name: run.info.runName ?? run.info.runId,
      status,
      startedAt: run.info.startTime ?? 0,
      ...(run.info.endTime ? { finishedAt: run.info.endTime } : {}),
      target: {
        kind: params['target_kind'] ?? 'unknown',
        name: params['target_name'] ?? '',
        ...(params['model_ref'] ? { modelRef: params['model_ref'] } : {}),
        ...(params['model_name'] ? { modelName: params['model_name'] } : {}),
        ...(params['model_version'] ? { modelVersion: params['model_version'] } : {}),
        ...(Object.keys(targetParams).length > 0 ? { params: targetParams } : {}),
      },
      dataset: {
        name: params['dataset_name'] ?? '',
        source: params['dataset_source'] ?? '',
        hash: params['dataset_hash'] ?? '',
        digest: params['dataset_digest'] ?? '',
        examples: Number(params['dataset_examples'] ?? 0),
      },
      judge: params['judge'] ?? '',
      metrics: (params['metrics'] ?? '').split(',').filter(isMetricName),
      summary: summaryOf(run),
      ...(gates ? { gates } : {}),
      judgeStatistics: {
        calls: metrics['judge_calls'] ?? 0,
        cacheHits: metrics['judge_cache_hits'] ?? 0,
        errors: metrics['judge_errors'] ?? 0,
      },
      tags: ownTags,
      artifacts: { root: run.info.artifactUri ?? '' },
      ...(tags[errorTag] ? { error: tags[errorTag] } : {}),
      ...(Number(tags[heartbeatTag]) > 0 ? { heartbeatAt: Number(tags[heartbeatTag]) } : {}),
      ...(Number(tags[heartbeatIntervalTag]) > 0 ? { heartbeatIntervalMs: Number(tags[heartbeatIntervalTag]) } : {}),
    };
  }
}
