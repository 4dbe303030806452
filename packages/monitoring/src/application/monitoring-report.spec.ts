import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { requestEvent } from '../__fixtures__/request-events.js';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { startEventRetention } from './event-retention.js';
import { buildMonitoringReport } from './monitoring-report.js';

const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const clock = { now: () => now, monotonic: () => 0 };
const hour = 3_600_000;
const day = 24 * hour;

describe('monitoring report and retention over the SQLite event store', () => {
  let folder: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'llmops-report-'));
    store = new SqliteEventStore({ path: join(folder, 'events.db') });
    await store.append([
      requestEvent({ at: now - 40 * day, requestId: 'ancient' }),
      requestEvent({ at: now - 2 * hour, requestId: 'earlier' }),
      requestEvent({ at: now - 30 * 60_000, latencyMs: 100 }),
      requestEvent({ at: now - 10 * 60_000, latencyMs: 300, status: 500, errorCode: 'internal' }),
      requestEvent({ at: now - 5 * 60_000, modelVersion: 4, latencyMs: 50 }),
      requestEvent({ at: now - 60_000, modelName: 'chat-bot', modelVersion: 1 }),
    ]);
  });

  afterEach(() => {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('summarises the window per model version', async () => {
    const report = await buildMonitoringReport(store, { windowMs: hour, clock });
    expect(report.from).toBe('2026-11-29T11:00:00.000Z');
    expect(report.to).toBe('2026-11-29T12:00:00.000Z');
    expect(report.requests).toBe(4);
    expect(report.models.map((model) => [model.modelName, model.modelVersion, model.requests, model.errors])).toEqual([
      ['chat-bot', 1, 1, 0],
      ['support-rag', 3, 2, 1],
      ['support-rag', 4, 1, 0],
    ]);
    expect(report.models[1]?.latencyMs.p50).toBe(200);
  });

  it('buckets the window by time when asked, and only then', async () => {
    const plain = await buildMonitoringReport(store, { windowMs: hour, clock });
    const report = await buildMonitoringReport(store, { windowMs: hour, clock, bucketMs: 15 * 60_000 });

    expect(plain.series).toBeUndefined();
    expect(report.series?.bucketMs).toBe(15 * 60_000);
    expect(report.series?.buckets.map((bucket) => [new Date(bucket.at).toISOString(), bucket.requests])).toEqual([
      ['2026-11-29T11:00:00.000Z', 0],
      ['2026-11-29T11:15:00.000Z', 0],
      ['2026-11-29T11:30:00.000Z', 1],
      ['2026-11-29T11:45:00.000Z', 3],
      ['2026-11-29T12:00:00.000Z', 0],
    ]);
    expect(report.series?.buckets[3]?.errors).toBe(1);
  });

  it('narrows to one model, or one of its versions', async () => {
    const byModel = await buildMonitoringReport(store, { windowMs: hour, clock, modelName: 'support-rag' });
    const byVersion = await buildMonitoringReport(store, {
      windowMs: hour,
      clock,
      modelName: 'support-rag',
      modelVersion: 4,
    });
    expect(byModel.models.map((model) => model.modelVersion)).toEqual([3, 4]);
    expect(byVersion.models.map((model) => model.modelVersion)).toEqual([4]);
  });

  it('deletes events past the retention on start', async () => {
    const retention = startEventRetention({ store, retentionDays: 30, clock });
    expect(await retention.firstSweep).toBe(1);
    retention.stop();
    const left = await store.list({ since: 0 });
    expect(left.map((event) => event.requestId)).not.toContain('ancient');
    expect(left).toHaveLength(5);
  });

  it('rejects a retention that is not a positive number of days', () => {
    let caught: unknown;
    try {
      startEventRetention({ store, retentionDays: 0, clock });
    } catch (error) {
      caught = error;
    }
    expect(LlmopsError.isInstance(caught) && caught.code).toBe('invalid_input');
  });
});
