import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestEvent } from '../__fixtures__/request-events.js';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { monitoringConfSchema } from '../domain/slo/slo-definition.js';
import { buildSloStatus } from './slo-status.js';

const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const clock = { now: () => now, monotonic: () => 0 };
const conf = monitoringConfSchema.parse({
  windows: ['1h', '24h'],
  slos: [{ name: 'error_rate', kind: 'error_rate', maxRate: 0.1 }],
});

describe('SLO status over the SQLite event store', () => {
  let folder: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'llmops-slo-'));
    store = new SqliteEventStore({ path: join(folder, 'events.db') });
    const failed = { status: 502, errorCode: 'upstream_error', completed: false };
    await store.append([
      // Version 3: 1 failure in 4 requests in the last hour, and 1 of 2 more the day before.
      ...[0, 1, 2, 3].map((index) =>
        requestEvent({ requestId: `v3-${index}`, at: now - (index + 1) * 60_000, ...(index === 0 ? failed : {}) }),
      ),
      requestEvent({ requestId: 'v3-old-ok', at: now - 5 * 3_600_000 }),
      requestEvent({ requestId: 'v3-old-failed', at: now - 6 * 3_600_000, ...failed }),
      // Version 4: healthy.
      requestEvent({ requestId: 'v4', modelVersion: 4, at: now - 60_000 }),
      // Beyond the longest window: never read.
      requestEvent({ requestId: 'ancient', at: now - 30 * 3_600_000, ...failed }),
    ]);
  });

  afterEach(() => {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('evaluates each window from the stored events of the selected version', async () => {
    const report = await buildSloStatus(store, { conf, modelName: 'support-rag', modelVersion: 3, clock });
    expect(report.model).toEqual({ name: 'support-rag', version: 3 });
    const [status] = report.slos;
    expect(status?.windows.map((window) => [window.window, window.events, window.badEvents, window.burnRate])).toEqual([
      ['1h', 4, 1, 2.5],
      ['24h', 6, 2, 2 / 6 / 0.1],
    ]);
    expect(report.breached).toEqual(['error_rate']);
  });

  it('reads every model when none is selected', async () => {
    const report = await buildSloStatus(store, { conf, clock });
    expect(report.model).toBeUndefined();
    expect(report.slos[0]?.windows[0]).toMatchObject({ events: 5, badEvents: 1, badRatio: 0.2 });
  });
});
