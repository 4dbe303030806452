import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock, Embedder } from '@llmops/kernel';
import type { PricingTable } from '@llmops/providers';
import { summarizeResults } from '../domain/aggregates.js';
import type { Dataset } from '../domain/dataset.js';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import type { ExampleResult } from '../domain/example-result.js';
import { evaluateGates, withErrorRateCriterion } from '../domain/gates.js';
import type { GateCriterion } from '../domain/gates.js';
import { defaultMetrics } from '../domain/metric-catalog.js';
import type { MetricName } from '../domain/metric-catalog.js';
import { compareResults } from '../domain/run-comparison.js';
import { defaultHeartbeatIntervalMs } from '../domain/run-heartbeat.js';
import type { CompareOptions, RunComparison } from '../domain/run-comparison.js';
import type { Judge, JudgeCache, RunArtifact, RunTracker, Target } from '../ports.js';
import { runEvaluation } from './evaluation-runner.js';
import type { ProgressEvent } from './evaluation-runner.js';

/** A run's record with its per-example results: what reports are made of. */
export interface EvaluationReport {
  record: EvaluationRunRecord;
  results: ExampleResult[];
}

/** What {@link EvaluationService} is built from. */
export interface EvaluationServiceDependencies {
  tracker: RunTracker;
  /** The judge cache shared by runs (content-addressed); none by default. */
  cache?: JudgeCache;
  /** The files stored with each run besides the per-example results (reports); none by default. */
  artifacts?: (report: EvaluationReport) => RunArtifact[];
  pricing?: PricingTable;
  embedder?: Embedder;
  clock?: Clock;
  /**
   * How often a running run writes its heartbeat to the tracker, in ms (10 s by default). Runs whose heartbeat
   * is older than three intervals are marked `abandoned` by the next store that opens (their process died).
   */
  heartbeatIntervalMs?: number;
}

/** One evaluation to run. */
export interface EvaluateRequest {
  /** The run's name; `<target> on <dataset>` by default. */
  name?: string;
  dataset: Dataset;
  target: Target;
  judge: Judge;
  metrics?: readonly MetricName[];
  /** Metrics scored in DeepEval's strict mode (1 only when the metric reaches 1, else 0); see `parseMetricChoice`. */
  strictMetrics?: readonly MetricName[];
  concurrency?: number;
  /**
   * Gate criteria checked on the run's aggregates; the verdicts are stored with the run. Every run's gate
   * also checks `error_rate.mean <= maxErrorRate` unless these criteria check `error_rate` themselves.
   */
  gates?: readonly GateCriterion[];
  /** The share of failed examples (target failures) the run's gate accepts when its criteria name none; 0.01 by default. */
  maxErrorRate?: number;
  tags?: Record<string, string>;
  refusalTags?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** A started run: its id at once, and its outcome when done. */
export interface StartedEvaluation {
  runId: string;
  done: Promise<EvaluationReport>;
}

/** Two runs compared. */
export interface ComparisonReport {
  runA: EvaluationRunRecord;
  runB: EvaluationRunRecord;
  comparison: RunComparison;
}

/**
 * The evaluation use cases: run an evaluation (tracked from start to end, gates checked, reports
 * stored), read runs back, and compare two runs.
 */
export class EvaluationService {
  private readonly clock: Clock;
  private readonly heartbeatIntervalMs: number;

  /** @throws LlmopsError `invalid_input` for a heartbeat interval that is not a positive whole number of ms. */
  constructor(private readonly dependencies: EvaluationServiceDependencies) {
    this.clock = dependencies.clock ?? systemClock;
    this.heartbeatIntervalMs = dependencies.heartbeatIntervalMs ?? defaultHeartbeatIntervalMs;
    if (!Number.isInteger(this.heartbeatIntervalMs) || this.heartbeatIntervalMs < 1)
      throw new LlmopsError(
        'invalid_input',
        `heartbeat interval is ${this.heartbeatIntervalMs} ms; expected a whole number of ms >= 1`,
      );
  }

  /** The tracker runs are stored in. */
  get tracker(): RunTracker {
    return this.dependencies.tracker;
  }

  /**
   * Starts a run: it is created in the tracker (status `running`) before this returns, then runs in
   * the background. `done` resolves with the finished (or interrupted) run, or rejects when it failed
   * (the run is then stored with status `failed` and the error).
   */
  async start(request: EvaluateRequest): Promise<StartedEvaluation> {
    const { tracker } = this.dependencies;
    const metrics = [...(request.metrics ?? defaultMetrics)];
    const draft: Omit<EvaluationRunRecord, 'id'> = {
      name: request.name ?? `${request.target.description.name} on ${request.dataset.name}`,
      status: 'running',
      startedAt: this.clock.now(),
      target: request.target.description,
      dataset: {
        name: request.dataset.name,
        source: request.dataset.source,
        hash: request.dataset.hash,
        digest: request.dataset.digest,
        examples: request.dataset.examples.length,
      },
      judge: request.judge.name,
      metrics,
      summary: summarizeResults([]),
      judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
      tags: { ...request.tags },
      artifacts: {},
      heartbeatIntervalMs: this.heartbeatIntervalMs,
    };
    const runId = await tracker.start(draft);
    const heartbeat = setInterval(() => {
      // A missed heartbeat is retried at the next tick; only three in a row make the run look abandoned.
      tracker.heartbeat(runId, this.clock.now()).catch(() => undefined);
    }, this.heartbeatIntervalMs);
    // The heartbeat never keeps the process alive on its own.
    heartbeat.unref();
    const done = this.complete({ ...draft, id: runId }, request, metrics).finally(() => clearInterval(heartbeat));
    // The caller may only hold the id (the API); a failure is stored with the run either way.
    done.catch(() => undefined);
    return { runId, done };
  }

  /** Runs an evaluation to the end and returns the stored run with its results. */
  async evaluate(request: EvaluateRequest): Promise<EvaluationReport> {
    const { done } = await this.start(request);
    return done;
  }

  private async complete(
    draft: EvaluationRunRecord,
    request: EvaluateRequest,
    metrics: MetricName[],
  ): Promise<EvaluationReport> {
    const { tracker } = this.dependencies;
    try {
      const outcome = await runEvaluation({
        dataset: request.dataset,
        target: request.target,
        judge: request.judge,
        metrics,
        ...(request.strictMetrics ? { strictMetrics: request.strictMetrics } : {}),
        ...(this.dependencies.cache ? { cache: this.dependencies.cache } : {}),
        ...(this.dependencies.embedder ? { embedder: this.dependencies.embedder } : {}),
        ...(this.dependencies.pricing ? { pricing: this.dependencies.pricing } : {}),
        ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
        ...(request.refusalTags ? { refusalTags: request.refusalTags } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        clock: this.clock,
      });
      // The examples' trace ids must resolve once the run reads as finished.
      await request.target.flush?.();
      const record: EvaluationRunRecord = {
        ...draft,
        status: outcome.status,
        finishedAt: this.clock.now(),
        summary: outcome.summary,
        judgeStatistics: outcome.judgeStatistics,
        gates: evaluateGates(withErrorRateCriterion(request.gates ?? [], request.maxErrorRate), outcome.summary),
      };
      const artifacts = this.dependencies.artifacts?.({ record, results: outcome.results }) ?? [];
      const stored = await tracker.finish(record, outcome.results, artifacts);
      return { record: stored, results: outcome.results };
    } catch (error) {
      const failure = LlmopsError.fromUnknown(error);
      const failed: EvaluationRunRecord = {
        ...draft,
        status: 'failed',
        finishedAt: this.clock.now(),
        error: failure.message,
      };
      await tracker.finish(failed, [], []).catch(() => undefined);
      throw failure;
    }
  }

  /** A run with its results. @throws LlmopsError `not_found`. */
  async report(runId: string): Promise<EvaluationReport> {
    const record = await this.dependencies.tracker.get(runId);
    const results = record.status === 'running' ? [] : await this.dependencies.tracker.results(runId);
    return { record, results };
  }

  /**
   * Compares run B (candidate) with run A (baseline): per-metric deltas with bootstrap confidence
   * intervals, and the examples that regressed.
   * @throws LlmopsError `not_found` for an unknown run; `invalid_input` when both runs have results and share no
   * example id (runs of two different datasets), because every delta would be empty.
   */
  async compare(runA: string, runB: string, options: CompareOptions = {}): Promise<ComparisonReport> {
    const [a, b] = await Promise.all([this.report(runA), this.report(runB)]);
    if (a.results.length > 0 && b.results.length > 0) {
      const idsOfA = new Set(a.results.map((result) => result.exampleId));
      if (!b.results.some((result) => idsOfA.has(result.exampleId))) {
        throw new LlmopsError(
          'invalid_input',
          `runs "${a.record.id}" (dataset ${a.record.dataset.name}) and "${b.record.id}" (dataset ${b.record.dataset.name}) share no example, so there is nothing to compare; expected two runs of the same dataset (\`llmops eval list\` shows each run's dataset)`,
        );
      }
    }
    return { runA: a.record, runB: b.record, comparison: compareResults(a.results, b.results, options) };
  }
}
