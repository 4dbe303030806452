import { systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import type { ExampleResult } from '../domain/example-result.js';
import type { RunArtifact, RunListFilter, RunTracker } from '../ports.js';

/** Settings of {@link AbandonedRunSweep}. */
export interface AbandonedRunSweepOptions {
  clock?: Clock;
  /** Told the ids of the runs the sweep marked abandoned (when there are any), for example to print them. */
  onAbandoned?: (runIds: readonly string[]) => void;
}

/**
 * A run tracker that, before its first use, marks `abandoned` the runs whose process died (their heartbeat
 * is stale): so the next command that opens a store finds them, whichever command it is. A sweep that fails
 * (the store is unreachable) does not fail the command; the next use tries again. Everything else is the
 * wrapped tracker's.
 */
export class AbandonedRunSweep implements RunTracker {
  private swept: Promise<void> | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly tracker: RunTracker,
    private readonly options: AbandonedRunSweepOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  get kind(): string {
    return this.tracker.kind;
  }

  /** Runs the sweep once (again after a failed one); resolves when it is done. */
  sweep(): Promise<void> {
    this.swept ??= this.tracker.abandonStaleRuns(this.clock.now()).then(
      (runIds) => {
        if (runIds.length > 0) this.options.onAbandoned?.(runIds);
      },
      () => {
        this.swept = undefined;
      },
    );
    return this.swept;
  }

  async start(run: Omit<EvaluationRunRecord, 'id'>): Promise<string> {
    await this.sweep();
    return this.tracker.start(run);
  }

  finish(
    run: EvaluationRunRecord,
    results: readonly ExampleResult[],
    artifacts: readonly RunArtifact[],
  ): Promise<EvaluationRunRecord> {
    return this.tracker.finish(run, results, artifacts);
  }

  async get(runId: string): Promise<EvaluationRunRecord> {
    await this.sweep();
    return this.tracker.get(runId);
  }

  async results(runId: string): Promise<ExampleResult[]> {
    await this.sweep();
    return this.tracker.results(runId);
  }

  async list(filter?: RunListFilter): Promise<EvaluationRunRecord[]> {
    await this.sweep();
    return this.tracker.list(filter);
  }

  heartbeat(runId: string, at: number): Promise<void> {
    return this.tracker.heartbeat(runId, at);
  }

  abandonStaleRuns(now: number): Promise<string[]> {
    return this.tracker.abandonStaleRuns(now);
  }
}
