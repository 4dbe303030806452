import { LlmopsError } from '@llmops/kernel';
import type { LogFeedbackOptions } from '@llmops/mlflow-client';
import type { OnlineScore } from '../../ports.js';
import { MlflowScoreWriter } from './mlflow-score-writer.js';

const traceA = '0123456789abcdef0123456789abcdef';

function score(change: Partial<OnlineScore> = {}): OnlineScore {
  return {
    requestId: 'req-1',
    eventAt: 1_000,
    metric: 'contextual_relevancy',
    score: 0.8,
    judge: 'offline-heuristic',
    scoredAt: Date.UTC(2026, 10, 30, 1, 0, 0),
    judgeKind: 'code',
    traceId: traceA,
    ...change,
  };
}

/** MLflow's feedback endpoint in memory: traces that exist take feedback; others answer not_found until they arrive. */
function fakeTraces(existing: string[]) {
  const traces = new Set(existing);
  const logged: LogFeedbackOptions[] = [];
  return {
    logged,
    arrive: (id: string) => traces.add(id),
    logFeedback: async (options: LogFeedbackOptions) => {
      if (!traces.has(options.traceId))
        throw new LlmopsError('not_found', `Trace with ID '${options.traceId}' not found.`);
      logged.push(options);
      return { assessmentId: `a-${logged.length}` };
    },
  };
}

describe('the MLflow copy of online scores', () => {
  it("logs each score as a feedback on its request's trace: metric, score, judge and kind, request id", async () => {
    const traces = fakeTraces([`tr-${traceA}`]);
    const writer = new MlflowScoreWriter({ traces });
    await writer.appendScores([
      score(),
      score({ metric: 'faithfulness', score: 1, judge: 'openai/gpt-4o-mini', judgeKind: 'llm' }),
    ]);
    expect(traces.logged).toEqual([
      {
        traceId: `tr-${traceA}`,
        name: 'contextual_relevancy',
        value: 0.8,
        source: { type: 'CODE', id: 'offline-heuristic' },
        rationale: 'llmops online evaluation',
        metadata: { 'llmops.request_id': 'req-1', 'llmops.scored_at': '2026-11-30T01:00:00.000Z' },
      },
      expect.objectContaining({
        name: 'faithfulness',
        value: 1,
        source: { type: 'LLM_JUDGE', id: 'openai/gpt-4o-mini' },
      }),
    ]);
    expect(writer.stats()).toEqual({ logged: 2, skipped: 0, failed: 0 });
  });

  it('skips scores of requests without a trace, and does not wait for traces then', async () => {
    const writer = new MlflowScoreWriter({
      traces: fakeTraces([]),
      tracesWritten: () => new Promise<void>(() => undefined),
    });
    const untraced = score();
    delete untraced.traceId;
    await writer.appendScores([untraced]);
    expect(writer.stats()).toEqual({ logged: 0, skipped: 1, failed: 0 });
  });

  it('waits for the traces recorded so far, and tries again while the trace is not in MLflow yet', async () => {
    const traces = fakeTraces([]);
    const order: string[] = [];
    const writer = new MlflowScoreWriter({
      traces,
      tracesWritten: async () => {
        order.push('traces written');
      },
      wait: async () => {
        order.push('wait');
        traces.arrive(`tr-${traceA}`);
      },
    });
    await writer.appendScores([score()]);
    expect(order).toEqual(['traces written', 'wait']);
    expect(traces.logged).toHaveLength(1);
  });

  it('gives up on a trace that never arrives and says how many scores were not logged', async () => {
    const writer = new MlflowScoreWriter({
      traces: fakeTraces([]),
      missingTraceRetries: 1,
      wait: async () => undefined,
    });
    const failure = await writer.appendScores([score(), score({ metric: 'faithfulness' })]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(LlmopsError.isInstance(failure) && failure.code).toBe('upstream_error');
    expect((failure as Error).message).toMatch(
      /^MLflow online scores: 2 of 2 not written on their traces; first: Trace with ID/,
    );
    expect(writer.stats()).toEqual({ logged: 0, skipped: 0, failed: 2 });
  });
});
