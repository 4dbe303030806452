import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestEvent } from '../__fixtures__/request-events.js';
import { billingTraffic, kettleTraffic, trafficEvents } from '../__fixtures__/traffic.js';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { buildEventDriftReport } from './event-drift.js';
import type { EventDriftReport } from './event-drift.js';

const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const clock = { now: () => now, monotonic: () => 0 };
const hour = 3_600_000;

function verdicts(report: EventDriftReport): Record<string, string> {
  return Object.fromEntries(report.features.map((feature) => [feature.name, feature.verdict]));
}

describe('drift over request events in the SQLite event store', () => {
  let folder: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'llmops-drift-'));
    store = new SqliteEventStore({ path: join(folder, 'events.db') });
    // The baseline day before the last hour: kettle questions.
    await store.append(trafficEvents(kettleTraffic, { count: 600, from: now - 25 * hour, to: now - hour, seed: 1 }));
  });

  afterEach(() => {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('finds no drift when the last hour is more of the same traffic', async () => {
    await store.append(trafficEvents(kettleTraffic, { count: 300, from: now - hour, to: now, seed: 2 }));
    const report = await buildEventDriftReport(store, {
      reference: { kind: 'window', windowMs: 24 * hour },
      currentWindowMs: hour,
      clock,
    });
    expect(report.reference).toEqual({
      kind: 'window',
      from: '2026-11-28T11:00:00.000Z',
      to: '2026-11-29T11:00:00.000Z',
      events: 600,
    });
    expect(report.current).toEqual({ from: '2026-11-29T11:00:00.000Z', to: '2026-11-29T12:00:00.000Z', events: 300 });
    expect(verdicts(report)).toEqual({
      input_tokens: 'no_drift',
      output_tokens: 'no_drift',
      latency_ms: 'no_drift',
      top_retrieval_score: 'no_drift',
      question_length: 'no_drift',
      answer_length: 'no_drift',
      guardrail_category: 'no_drift',
      refused: 'no_drift',
      status: 'no_drift',
      topic: 'no_drift',
      cited_source: 'no_drift',
      question: 'no_drift',
    });
    expect(report.verdict).toBe('no_drift');
    expect(report.unansweredTopics).toMatchObject({ examinedTopics: 6, topics: [] });
    expect(report.skipped).toEqual([
      {
        name: 'online_relevancy',
        reason: 'no event holds an online contextual_relevancy score (online evaluation off, or nothing sampled)',
      },
      {
        name: 'cache_status',
        reason: 'no event holds a cache status (no version with the response cache on was served)',
      },
    ]);
  });

  it('finds drift when the last hour asks about another topic: longer, slower, retrieved worse, refused more', async () => {
    await store.append(trafficEvents(billingTraffic, { count: 300, from: now - hour, to: now, seed: 3 }));
    const report = await buildEventDriftReport(store, {
      reference: { kind: 'window', windowMs: 24 * hour },
      currentWindowMs: hour,
      clock,
    });
    expect(verdicts(report)).toMatchObject({
      input_tokens: 'drift',
      latency_ms: 'drift',
      top_retrieval_score: 'drift',
      question_length: 'drift',
      refused: 'drift',
      question: 'drift',
      status: 'no_drift',
      topic: 'drift',
      cited_source: 'drift',
    });
    expect(report.verdict).toBe('drift');
    // Billing is refused 40 % of the time: more than the kettle's 5 %, but under the 50 % an unanswered topic needs.
    expect(report.unansweredTopics).toMatchObject({ examinedTopics: 4, topics: [] });
    const question = report.features.find((feature) => feature.name === 'question');
    expect(question).toMatchObject({ method: 'domain_classifier', thresholdOn: 'statistic' });
    expect(question?.statistic).toBeGreaterThan(0.9);
  });

  it('compares a dataset of reference questions with the stored questions: drift for another topic only', async () => {
    await store.append(trafficEvents(billingTraffic, { count: 300, from: now - hour, to: now, seed: 4 }));
    const inputs = trafficEvents(kettleTraffic, { count: 200, from: 0, to: 1, seed: 5 }).map(
      (event) => event.question as string,
    );
    const report = await buildEventDriftReport(store, {
      reference: { kind: 'inputs', source: 'confs/data/eval/kettle-qa.jsonl', inputs },
      currentWindowMs: hour,
      clock,
    });
    expect(report.reference).toEqual({ kind: 'inputs', source: 'confs/data/eval/kettle-qa.jsonl', inputs: 200 });
    expect(verdicts(report)).toEqual({ question_length: 'drift', question: 'drift' });
    expect(report.skipped.map((skipped) => skipped.name)).toEqual(expect.arrayContaining(['latency_ms', 'topic']));
    expect(report.unansweredTopics).toBeNull();

    const sameTopic = await buildEventDriftReport(store, {
      reference: {
        kind: 'inputs',
        source: 'billing.jsonl',
        inputs: trafficEvents(billingTraffic, { count: 200, from: 0, to: 1, seed: 6 }).map(
          (event) => event.question as string,
        ),
      },
      currentWindowMs: hour,
      clock,
    });
    expect(verdicts(sameTopic)).toEqual({ question_length: 'no_drift', question: 'no_drift' });
  });

  it('skips the question with the reason when its text is not stored, and narrows to one model version', async () => {
    const withoutText = (events: ReturnType<typeof trafficEvents>) =>
      events.map((event) => {
        const copy = { ...event };
        delete copy.question;
        return copy;
      });
    await store.append(withoutText(trafficEvents(kettleTraffic, { count: 100, from: now - hour, to: now, seed: 7 })));
    await store.append([requestEvent({ at: now - 60_000, modelName: 'other-bot', requestId: 'other' })]);
    const report = await buildEventDriftReport(store, {
      reference: { kind: 'inputs', source: 'qa.jsonl', inputs: ['How long is the warranty?'] },
      currentWindowMs: hour,
      modelName: 'support-rag',
      modelVersion: 3,
      clock,
    });
    expect(report.current.events).toBe(100);
    expect(report.model).toEqual({ name: 'support-rag', version: 3 });
    expect(report.features).toEqual([]);
    expect(report.verdict).toBe('insufficient');
    expect(report.skipped.find((skipped) => skipped.name === 'question')?.reason).toBe(
      'the question text is not stored (only its hash; set LLMOPS_MONITORING_QUESTION_TEXT=true to keep it)',
    );
  });

  it('calls a quiet window insufficient, never drift', async () => {
    await store.append(trafficEvents(billingTraffic, { count: 10, from: now - hour, to: now, seed: 8 }));
    const report = await buildEventDriftReport(store, {
      reference: { kind: 'window', windowMs: 24 * hour },
      currentWindowMs: hour,
      clock,
    });
    expect(report.verdict).toBe('insufficient');
    expect(report.features.every((feature) => feature.verdict === 'insufficient')).toBe(true);
  });
});
