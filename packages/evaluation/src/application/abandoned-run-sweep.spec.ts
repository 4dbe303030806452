import { ManualClock } from '@llmops/kernel';
import { summarizeResults } from '../domain/aggregates.js';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import { InMemoryRunTracker } from '../testing/in-memory-run-tracker.js';
import { AbandonedRunSweep } from './abandoned-run-sweep.js';

function running(startedAt: number): Omit<EvaluationRunRecord, 'id'> {
  return {
    name: 'support-bot/1 on refunds',
    status: 'running',
    startedAt,
    target: { kind: 'static', name: 'support-bot/1' },
    dataset: { name: 'refunds', source: 'refunds.jsonl', hash: 'a'.repeat(64), digest: 'aaaaaaaaaaaa', examples: 3 },
    judge: 'offline-heuristic',
    metrics: ['faithfulness'],
    summary: summarizeResults([]),
    judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
    tags: {},
    artifacts: {},
    heartbeatIntervalMs: 1_000,
  };
}

describe('AbandonedRunSweep', () => {
  it('marks stale runs abandoned once, before the first read, and says which', async () => {
    const inner = new InMemoryRunTracker();
    const dead = await inner.start(running(1_000));
    const clock = new ManualClock(10_000);
    const told: string[][] = [];
    const tracker = new AbandonedRunSweep(inner, { clock, onAbandoned: (ids) => told.push([...ids]) });
    expect((await tracker.get(dead)).status).toBe('abandoned');
    // Once per opened store: a run going stale later is left for the next command.
    const later = await tracker.start(running(10_000));
    clock.advance(50_000);
    expect((await tracker.list()).map((run) => [run.id, run.status])).toEqual([
      [later, 'running'],
      [dead, 'abandoned'],
    ]);
    expect(told).toEqual([[dead]]);
    expect(tracker.kind).toBe('memory');
  });

  it('does not fail the command when the sweep fails, and tries again at the next use', async () => {
    const inner = new InMemoryRunTracker();
    const dead = await inner.start(running(1_000));
    let failures = 1;
    const abandon = inner.abandonStaleRuns.bind(inner);
    inner.abandonStaleRuns = async (now) => {
      if (failures-- > 0) throw new Error('store unreachable');
      return abandon(now);
    };
    const tracker = new AbandonedRunSweep(inner, { clock: new ManualClock(10_000) });
    expect((await tracker.get(dead)).status).toBe('running');
    expect((await tracker.get(dead)).status).toBe('abandoned');
  });
});
