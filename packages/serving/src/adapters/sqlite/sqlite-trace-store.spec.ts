import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LlmopsError } from '@llmops/kernel';
import type { PipelineTrace } from '../../application/pipeline.js';
import {
  buildFailedPipelineTrace,
  buildPipelineTrace,
  traceReaderConformanceSuite,
  traceSinkConformanceSuite,
} from '../../testing/index.js';
import { SqliteTraceStore } from './sqlite-trace-store.js';

describe('SqliteTraceStore', () => {
  let folder: string;
  const opened: SqliteTraceStore[] = [];
  const open = (path = join(folder, '.llmops', 'llmops.db')) => {
    const store = new SqliteTraceStore({ path });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'llmops-traces-'));
  });

  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('conformance', () => {
    for (const conformanceCase of traceSinkConformanceSuite(() => {
      const store = open();
      return {
        sink: store,
        read: async (traceId) => {
          const trace = await store.get(traceId);
          return (
            trace && {
              traceId: trace.traceId,
              status: trace.status,
              model: trace.model,
              pipeline: trace.pipeline,
              provider: trace.provider,
              errorCode: trace.error?.code,
              promptTokens: trace.usage?.prompt_tokens ?? trace.promptTokens,
              completionTokens: trace.usage?.completion_tokens,
              costUsd: trace.costUsd ?? undefined,
              spanNames: trace.spans.map((span) => span.name),
            }
          );
        },
      };
    })) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });

  describe('reader conformance', () => {
    for (const conformanceCase of traceReaderConformanceSuite(() => {
      const store = open();
      return { sink: store, reader: store };
    })) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });

  it('reads a trace back exactly as it was written, and nothing for an unknown id', async () => {
    const store = open();
    const trace = buildPipelineTrace();
    await store.write([trace]);
    expect(await store.get(trace.traceId)).toEqual(trace);
    expect(await store.get('0'.repeat(31) + '1')).toBeUndefined();
  });

  it('lists newest first, filtered by model name or version, status and start time', async () => {
    const store = open();
    const at = (minutes: number, overrides: Partial<PipelineTrace> = {}) =>
      buildPipelineTrace({ startTimeMs: 1_767_225_600_000 + minutes * 60_000, ...overrides });
    const oldest = at(0);
    const failed = buildFailedPipelineTrace({ startTimeMs: 1_767_225_600_000 + 60_000 });
    const otherVersion = at(2, { model: 'support-rag/3' });
    const otherModel = at(3, { model: 'support-rag-v2/1' });
    await store.write([oldest, failed, otherVersion, otherModel]);
    const ids = (traces: PipelineTrace[]) => traces.map((trace) => trace.traceId);
    expect(ids(await store.list())).toEqual([otherModel, otherVersion, failed, oldest].map((t) => t.traceId));
    expect(ids(await store.list({ model: 'support-rag' }))).toEqual(ids([otherVersion, failed, oldest]));
    expect(ids(await store.list({ model: 'support-rag/2' }))).toEqual(ids([failed, oldest]));
    expect(ids(await store.list({ status: 'error' }))).toEqual(ids([failed]));
    expect(ids(await store.list({ since: otherVersion.startTimeMs, limit: 1 }))).toEqual(ids([otherModel]));
  });

  it('pages with an offset, counts what matches, and tells blocked requests apart', async () => {
    const store = open();
    const at = (minutes: number, overrides: Partial<PipelineTrace> = {}) =>
      buildPipelineTrace({ startTimeMs: 1_767_225_600_000 + minutes * 60_000, ...overrides });
    const first = at(0);
    const blocked = at(1, {
      blocked: { policy: 'default', stage: 'input', check: 'harmful', categories: ['violence'] },
    });
    const last = at(2);
    await store.write([first, blocked, last]);
    const ids = (traces: PipelineTrace[]) => traces.map((trace) => trace.traceId);
    expect(ids(await store.list({ limit: 1, offset: 1 }))).toEqual(ids([blocked]));
    expect(ids(await store.list({ blocked: true }))).toEqual(ids([blocked]));
    expect(ids(await store.list({ status: 'ok', blocked: false }))).toEqual(ids([last, first]));
    expect(await store.count()).toBe(3);
    expect(await store.count({ blocked: false })).toBe(2);
    expect(await store.count({ model: 'other-model' })).toBe(0);
  });

  it('refuses list options out of range, naming the field', async () => {
    const store = open();
    const error = await store.list({ limit: 0 }).catch((caught: unknown) => caught);
    expect(LlmopsError.isInstance(error) && [error.code, error.message]).toEqual([
      'invalid_input',
      expect.stringContaining('limit'),
    ]);
  });

  it('stores a batch all or nothing', async () => {
    const store = open();
    const good = buildPipelineTrace();
    const bad = buildPipelineTrace({ traceId: 'not-a-trace-id' });
    await expect(store.write([good, bad])).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await store.get(good.traceId)).toBeUndefined();
    // A row SQLite itself refuses (status outside the CHECK) rolls the whole batch back too.
    const invalid = { ...buildPipelineTrace(), status: 'maybe' } as unknown as PipelineTrace;
    await expect(store.write([good, invalid])).rejects.toBeInstanceOf(Error);
    expect(await store.list()).toEqual([]);
  });

  it('shares the embedded store file with other tables and processes (WAL), with columns to query', async () => {
    const path = join(folder, 'shared.db');
    const writer = open(path);
    const reader = open(path);
    const trace = buildPipelineTrace();
    await writer.write([trace]);
    expect((await reader.get(trace.traceId))?.traceId).toBe(trace.traceId);
    const database = new DatabaseSync(path);
    try {
      expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(
        database
          .prepare(
            'SELECT model, pipeline, provider, status, prompt_tokens, completion_tokens, cost_usd, request_id FROM traces',
          )
          .get(),
      ).toEqual({
        model: 'support-rag/2',
        pipeline: 'rag',
        provider: 'offline/extractive',
        status: 'ok',
        prompt_tokens: 530,
        completion_tokens: 48,
        cost_usd: 0.000_412,
        request_id: trace.requestId,
      });
    } finally {
      database.close();
    }
  });

  it('deletes the traces that started before a time', async () => {
    const store = open();
    const old = buildPipelineTrace({ startTimeMs: 1_000_000 });
    const recent = buildPipelineTrace({ startTimeMs: 2_000_000 });
    await store.write([old, recent]);
    expect(await store.deleteBefore(2_000_000)).toBe(1);
    expect((await store.list()).map((trace) => trace.traceId)).toEqual([recent.traceId]);
  });

  it('names the path when the file cannot be opened', () => {
    const blocker = join(folder, 'file');
    new DatabaseSync(blocker).close();
    expect(() => new SqliteTraceStore({ path: join(blocker, 'llmops.db') })).toThrow(
      expect.objectContaining({ code: 'unavailable', message: expect.stringContaining(blocker) }),
    );
  });
});
