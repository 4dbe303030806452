import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { requestEvent } from '../../__fixtures__/request-events.js';
import type { RequestEvent } from '../../domain/request-event.js';
import { openEventStore } from '../open-event-store.js';
import { SqliteEventStore } from './sqlite-event-store.js';

describe('SqliteEventStore', () => {
  let folder: string;
  let path: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'llmops-events-'));
    path = join(folder, '.llmops', 'llmops.db');
    store = new SqliteEventStore({ path });
  });

  afterEach(() => {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('gives back every field of the events it stored, oldest first', async () => {
    const full = requestEvent({
      at: 2_000,
      keyId: 'key-7',
      errorCode: 'upstream_error',
      status: 502,
      stream: true,
      completed: false,
      cache: 'miss',
      answerLength: 412,
      citedSources: ['refunds.md', 'shipping.md'],
      topic: 'refunds.md',
      guardrails: [{ side: 'output', category: 'email', rule: 'pii.email', action: 'redact' }],
      question: 'How do I reset my password?',
    });
    const sparse: RequestEvent = {
      at: 1_000,
      requestId: 'req-0',
      modelRef: 'nope',
      modelName: 'nope',
      modelVersion: null,
      status: 404,
      errorCode: 'not_found',
      stream: false,
      completed: false,
      latencyMs: 0.4,
      guardrails: [],
      refused: false,
      questionHash: 'b'.repeat(64),
    };
    // A RAG answer that cites nothing keeps its empty list (not the same as a model without retrieval).
    const uncited = requestEvent({ at: 3_000, requestId: 'req-2', citedSources: [], topic: 'warranty.md' });
    // A refusal by the key's own requests-per-minute limit keeps which limit refused it.
    const limited = requestEvent({
      at: 4_000,
      requestId: 'req-3',
      keyId: 'key-7',
      status: 429,
      errorCode: 'rate_limited',
      keyLimit: 'rpm',
      completed: false,
    });
    await store.append([full, sparse, uncited, limited]);
    expect(await store.list({ since: 0 })).toEqual([sparse, full, uncited, limited]);
  });

  it('selects by window, model and version', async () => {
    await store.append([
      requestEvent({ at: 100, requestId: 'a' }),
      requestEvent({ at: 200, requestId: 'b', modelVersion: 2 }),
      requestEvent({ at: 300, requestId: 'c', modelName: 'other' }),
      requestEvent({ at: 400, requestId: 'd' }),
    ]);
    const ids = async (query: Parameters<SqliteEventStore['list']>[0]) =>
      (await store.list(query)).map((event) => event.requestId);
    expect(await ids({ since: 200 })).toEqual(['b', 'c', 'd']);
    expect(await ids({ since: 0, until: 300 })).toEqual(['a', 'b']);
    expect(await ids({ since: 0, modelName: 'support-rag' })).toEqual(['a', 'b', 'd']);
    expect(await ids({ since: 0, modelName: 'support-rag', modelVersion: 3 })).toEqual(['a', 'd']);
  });

  it('pages events newest first with limit and offset, ties in insertion order reversed', async () => {
    await store.append([1, 2, 3, 4, 5].map((at) => requestEvent({ at: at * 1000, requestId: `r${at}` })));
    await store.append([requestEvent({ at: 5000, requestId: 'r5-later' })]);
    const page = (limit: number, offset: number) =>
      store
        .list({ since: 0, newestFirst: true, limit, offset })
        .then((events) => events.map((event) => event.requestId));
    expect(await page(2, 0)).toEqual(['r5-later', 'r5']);
    expect(await page(2, 2)).toEqual(['r4', 'r3']);
    expect(await page(2, 6)).toEqual([]);
    expect((await store.list({ since: 0, offset: 4 })).map((event) => event.requestId)).toEqual(['r5', 'r5-later']);
  });

  it('stores a batch in one transaction: a bad event keeps the whole batch out', async () => {
    const broken = { ...requestEvent({ requestId: 'bad' }), latencyMs: null } as unknown as RequestEvent;
    await expect(store.append([requestEvent({ requestId: 'good' }), broken])).rejects.toThrow(/batch of 2 events/);
    expect(await store.list({ since: 0 })).toEqual([]);
  });

  it('deletes events older than a cutoff', async () => {
    await store.append([requestEvent({ at: 100 }), requestEvent({ at: 200 }), requestEvent({ at: 300 })]);
    expect(await store.deleteBefore(250)).toBe(2);
    expect((await store.list({ since: 0 })).map((event) => event.at)).toEqual([300]);
  });

  it('lives in the shared embedded file in WAL mode, beside the other contexts’ tables', async () => {
    const other = new DatabaseSync(path);
    other.exec('CREATE TABLE IF NOT EXISTS registry_models (name TEXT)');
    await store.append([requestEvent()]);
    const journal = other.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
    const tables = (
      other.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
        name: string;
      }>
    ).map((row) => row.name);
    const count = other.prepare('SELECT COUNT(*) AS n FROM monitoring_events').get() as { n: number };
    other.close();
    expect(journal.journal_mode).toBe('wal');
    expect(tables).toEqual(
      expect.arrayContaining(['monitoring_events', 'monitoring_schema_version', 'registry_models']),
    );
    expect(count.n).toBe(1);
  });

  it('joins online scores onto their event by request id and time, written before or after the event', async () => {
    const score = { judge: 'offline-heuristic', scoredAt: 5_000 };
    // Scored before its event reached the store (the event queue flushes later): still joined.
    await store.appendScores([
      { requestId: 'req-1', eventAt: 1_000, metric: 'contextual_relevancy', score: 0.8, ...score },
    ]);
    await store.append([
      requestEvent({ requestId: 'req-1', at: 1_000 }),
      requestEvent({ requestId: 'req-1', at: 3_000 }),
      requestEvent({ requestId: 'req-2', at: 2_000 }),
    ]);
    await store.appendScores([{ requestId: 'req-1', eventAt: 1_000, metric: 'faithfulness', score: 1, ...score }]);
    const listed = await store.list({ since: 0 });
    expect(listed.map((event) => [event.requestId, event.at, event.scores])).toEqual([
      ['req-1', 1_000, { contextual_relevancy: 0.8, faithfulness: 1 }],
      ['req-2', 2_000, undefined],
      // The same request id reused by a client later is another event, without those scores.
      ['req-1', 3_000, undefined],
    ]);
    expect(listed[1]).not.toHaveProperty('scores');
  });

  it("reads a request's scores by its id, oldest scoring first, for showing beside its trace", async () => {
    const score = { requestId: 'req-1', eventAt: 1_000, judge: 'offline-heuristic' };
    await store.appendScores([
      { ...score, metric: 'faithfulness', score: 1, scoredAt: 6_000 },
      { ...score, metric: 'contextual_relevancy', score: 0.5, scoredAt: 5_000 },
      { ...score, requestId: 'req-2', metric: 'faithfulness', score: 0, scoredAt: 5_000 },
    ]);
    expect(await store.scoresOf('req-1')).toEqual([
      { ...score, metric: 'contextual_relevancy', score: 0.5, scoredAt: 5_000 },
      { ...score, metric: 'faithfulness', score: 1, scoredAt: 6_000 },
    ]);
    expect(await store.scoresOf('unknown')).toEqual([]);
  });

  it('deletes the scores of deleted events with them', async () => {
    await store.append([requestEvent({ requestId: 'old', at: 1_000 }), requestEvent({ requestId: 'new', at: 9_000 })]);
    await store.appendScores(
      ['old', 'new'].map((requestId) => ({
        requestId,
        eventAt: requestId === 'old' ? 1_000 : 9_000,
        metric: 'contextual_relevancy',
        score: 0.5,
        judge: 'offline-heuristic',
        scoredAt: 10_000,
      })),
    );
    expect(await store.deleteBefore(5_000)).toBe(1);
    const other = new DatabaseSync(path);
    const rows = other.prepare('SELECT request_id FROM monitoring_scores').all() as Array<{ request_id: string }>;
    other.close();
    expect(rows.map((row) => row.request_id)).toEqual(['new']);
  });

  it('upgrades a file at schema version 1 (events only) to the newest (scores, answer length, topic and cited sources), keeping its events', async () => {
    store.close();
    rmSync(path, { force: true });
    const old = new DatabaseSync(path);
    old.exec(
      `CREATE TABLE monitoring_schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT;
       INSERT INTO monitoring_schema_version VALUES (1, 0);`,
    );
    old.close();
    // Version 1's table, made by the version 1 statements, then one event in it.
    const v1 = new DatabaseSync(path);
    v1.exec(`CREATE TABLE monitoring_events (id INTEGER PRIMARY KEY, at REAL NOT NULL, request_id TEXT NOT NULL,
      model_ref TEXT NOT NULL, model_name TEXT NOT NULL, model_version INTEGER, key_id TEXT, status INTEGER NOT NULL,
      error_code TEXT, stream INTEGER NOT NULL, completed INTEGER NOT NULL, latency_ms REAL NOT NULL,
      upstream_latency_ms REAL, input_tokens INTEGER, output_tokens INTEGER, cost_usd REAL, cache TEXT,
      guardrails TEXT NOT NULL, citations INTEGER, top_retrieval_score REAL, refused INTEGER NOT NULL,
      question_hash TEXT NOT NULL, question TEXT) STRICT;
      INSERT INTO monitoring_events (at, request_id, model_ref, model_name, status, stream, completed, latency_ms,
        guardrails, refused, question_hash) VALUES (1000, 'kept', 'm/1', 'm', 200, 0, 1, 5, '[]', 0, 'h');`);
    v1.close();
    store = new SqliteEventStore({ path });
    await store.appendScores([
      { requestId: 'kept', eventAt: 1_000, metric: 'contextual_relevancy', score: 0.7, judge: 'j', scoredAt: 2_000 },
    ]);
    const [event] = await store.list({ since: 0 });
    expect(event).toMatchObject({ requestId: 'kept', scores: { contextual_relevancy: 0.7 } });
    expect(event).not.toHaveProperty('answerLength');
    expect(event).not.toHaveProperty('topic');
    expect(event).not.toHaveProperty('citedSources');
    await store.append([
      requestEvent({ at: 3_000, requestId: 'new', answerLength: 88, topic: 'a.md', citedSources: ['a.md'] }),
    ]);
    expect((await store.list({ since: 2_000 }))[0]).toMatchObject({
      answerLength: 88,
      topic: 'a.md',
      citedSources: ['a.md'],
    });
    const check = new DatabaseSync(path);
    const versions = check.prepare('SELECT version FROM monitoring_schema_version ORDER BY version').all();
    check.close();
    expect(versions).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
      { version: 7 },
    ]);
  });

  it('opens again on an existing file without migrating twice', async () => {
    await store.append([requestEvent()]);
    store.close();
    store = new SqliteEventStore({ path });
    expect(await store.list({ since: 0 })).toHaveLength(1);
  });
});

describe('openEventStore', () => {
  it('uses the embedded file of a sqlite: store, and .llmops/monitoring.db for an MLflow store', () => {
    const folder = mkdtempSync(join(tmpdir(), 'llmops-events-'));
    try {
      const embedded = openEventStore('sqlite:.llmops/llmops.db', { cwd: folder });
      const mlflow = openEventStore('http://127.0.0.1:5000', { cwd: folder });
      embedded.store.close();
      mlflow.store.close();
      expect(embedded.location).toBe(join(folder, '.llmops', 'llmops.db'));
      expect(mlflow.location).toBe(join(folder, '.llmops', 'monitoring.db'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('rejects a malformed store URI', () => {
    expect(() => openEventStore('postgres://x', { cwd: tmpdir() })).toThrow(/neither sqlite/);
  });
});
