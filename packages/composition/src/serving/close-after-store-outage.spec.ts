import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import { SqliteEventStore } from '@llmops/monitoring';
import type { RequestEvent } from '@llmops/monitoring';
import { createRegistry, SqliteRegistryStore } from '@llmops/registry';
import { InMemoryEvaluationEvidence } from '@llmops/registry/testing';
import { buildPipelineTrace } from '@llmops/serving/testing';
import { createMonitoringWiring } from '../monitoring/monitoring-wiring.js';
import { createServingWiring } from './serving-wiring.js';

/** A TCP port that takes connections and never answers: an MLflow behind a dead proxy, or a hung worker. */
async function startBlackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function event(index: number, traceId: string): RequestEvent {
  return {
    at: Date.now(),
    requestId: `req-${index}`,
    traceId,
    modelRef: 'kettle-help@champion',
    modelName: 'kettle-help',
    modelVersion: 1,
    status: 200,
    stream: false,
    completed: true,
    latencyMs: 12,
    inputTokens: 40,
    outputTokens: 8,
    guardrails: [],
    refused: false,
    questionHash: 'a'.repeat(64),
  };
}

describe('closing serving and monitoring while the MLflow store is black-holed', () => {
  let blackHole: Awaited<ReturnType<typeof startBlackHole>>;
  beforeAll(async () => {
    blackHole = await startBlackHole();
  });
  afterAll(async () => {
    await blackHole.close();
  });

  it('resolves: MLflow-bound traces and event tags are abandoned (counted, reported once), events stay in their file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-close-outage-'));
    const registryStore = new SqliteRegistryStore({ path: join(cwd, 'registry.db') });
    const registry = createRegistry({ store: registryStore, evidence: new InMemoryEvaluationEvidence() });
    const reported: Array<{ queue: string; code: string; dropped: number }> = [];
    const report = (queue: string) => (error: unknown, dropped: number) =>
      reported.push({ queue, code: LlmopsError.fromUnknown(error).code, dropped });
    // Each queue gives up after 200 ms here (10 s by default): without a deadline, every trace and every tag would
    // wait for the client's 30 s timeout, three attempts each, one after the other.
    const serving = createServingWiring({
      registry,
      cwd,
      env: {},
      storeUri: blackHole.url,
      closeTimeoutMs: 200,
      onTraceError: report('traces'),
    });
    const monitoring = createMonitoringWiring({
      cwd,
      env: {},
      storeUri: blackHole.url,
      closeTimeoutMs: 200,
      tracesWritten: () => serving.traces.flush(),
      onError: report('events'),
    });
    const traces = [1, 2, 3].map(() => buildPipelineTrace());
    traces.forEach((trace, index) => {
      serving.traces.record(trace);
      // As the monitoring step's fan-out does: the event file's queue, and MLflow's tags.
      monitoring.queue.record(event(index, trace.traceId));
      monitoring.mlflowQueue?.record(event(index, trace.traceId));
    });

    await Promise.all([serving.close(), monitoring.close()]);
    registryStore.close();

    expect(serving.traces.stats()).toEqual({ queued: 0, written: 0, dropped: 3, abandoned: 3 });
    expect(monitoring.mlflowQueue?.stats()).toEqual({ queued: 0, written: 0, dropped: 3, abandoned: 3 });
    expect(monitoring.queue.stats()).toEqual({ queued: 0, written: 3, dropped: 0, abandoned: 0 });
    expect(reported).toEqual(
      expect.arrayContaining([
        { queue: 'traces', code: 'timeout', dropped: 3 },
        { queue: 'events', code: 'timeout', dropped: 3 },
      ]),
    );
    expect(reported).toHaveLength(2);
    // Acknowledged events are durable in the event file whatever MLflow does.
    const events = new SqliteEventStore({ path: monitoring.location });
    try {
      const stored = await events.list({ since: 0 });
      expect(stored.map((stored) => stored.requestId).sort()).toEqual(['req-0', 'req-1', 'req-2']);
    } finally {
      events.close();
    }
  });
});
