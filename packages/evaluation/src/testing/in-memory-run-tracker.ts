import { LlmopsError } from '@llmops/kernel';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import type { ExampleResult } from '../domain/example-result.js';
import { abandonedReason, isRunStale } from '../domain/run-heartbeat.js';
import type { RunArtifact, RunListFilter, RunTracker } from '../ports.js';

/** A run tracker in memory, for tests and for apps that keep nothing (artifacts are kept as text). */
export class InMemoryRunTracker implements RunTracker {
  readonly kind = 'memory';
  private readonly runs = new Map<string, { record: EvaluationRunRecord; results: ExampleResult[]; order: number }>();
  /** Artifacts by run id and path. */
  readonly artifacts = new Map<string, Map<string, RunArtifact>>();
  private counter = 0;

  async start(run: Omit<EvaluationRunRecord, 'id'>): Promise<string> {
    this.counter += 1;
    const id = `run-${String(this.counter).padStart(4, '0')}`;
    this.runs.set(id, { record: { ...run, id }, results: [], order: this.counter });
    return id;
  }

  async finish(
    run: EvaluationRunRecord,
    results: readonly ExampleResult[],
    artifacts: readonly RunArtifact[],
  ): Promise<EvaluationRunRecord> {
    const entry = this.runs.get(run.id);
    if (!entry) throw new LlmopsError('not_found', `evaluation run ${run.id} not found`);
    const files = new Map(artifacts.map((artifact) => [artifact.path, artifact]));
    this.artifacts.set(run.id, files);
    const record = {
      ...run,
      artifacts: {
        ...run.artifacts,
        ...Object.fromEntries([...files.keys()].map((path) => [path, `memory://${run.id}/${path}`])),
      },
    };
    this.runs.set(run.id, { record, results: [...results], order: entry.order });
    return record;
  }

  async get(runId: string): Promise<EvaluationRunRecord> {
    const entry = this.runs.get(runId);
    if (!entry) throw new LlmopsError('not_found', `evaluation run ${runId} not found`);
    return entry.record;
  }

  async results(runId: string): Promise<ExampleResult[]> {
    const entry = this.runs.get(runId);
    if (!entry) throw new LlmopsError('not_found', `evaluation run ${runId} not found`);
    return entry.results;
  }

  async heartbeat(runId: string, at: number): Promise<void> {
    const entry = this.runs.get(runId);
    if (entry && entry.record.status === 'running') entry.record = { ...entry.record, heartbeatAt: at };
  }

  async abandonStaleRuns(now: number): Promise<string[]> {
    const abandoned: string[] = [];
    for (const entry of this.runs.values()) {
      const run = entry.record;
      if (!isRunStale(run, now)) continue;
      entry.record = {
        ...run,
        status: 'abandoned',
        finishedAt: run.heartbeatAt ?? run.startedAt,
        error: abandonedReason(run),
      };
      abandoned.push(run.id);
    }
    return abandoned;
  }

  async list(filter: RunListFilter = {}): Promise<EvaluationRunRecord[]> {
    return [...this.runs.values()]
      .filter(({ record }) => filter.modelName === undefined || record.target.modelName === filter.modelName)
      .filter(({ record }) => filter.modelVersion === undefined || record.target.modelVersion === filter.modelVersion)
      .filter(({ record }) => filter.status === undefined || record.status === filter.status)
      .sort((left, right) => right.record.startedAt - left.record.startedAt || right.order - left.order)
      .slice(0, filter.limit ?? 50)
      .map(({ record }) => record);
  }
}
