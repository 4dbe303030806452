import assert from 'node:assert/strict';
import { LlmopsError } from '@llmops/kernel';
import { summarizeResults } from '../domain/aggregates.js';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import type { ExampleResult } from '../domain/example-result.js';
import { evaluateGates, parseCriterion } from '../domain/gates.js';
import type { RunTracker } from '../ports.js';

/** Makes the tracker under test (it may be shared by all cases: every case uses its own model name). */
export type RunTrackerFactory = () => Promise<RunTracker> | RunTracker;

/** One case of the conformance suite: a name and a run that throws when the tracker misbehaves. */
export interface RunTrackerConformanceCase {
  name: string;
  run: () => Promise<void>;
}

function result(exampleId: string, scores: { faithfulness: number; latency: number; harmful: 0 | 1 }): ExampleResult {
  return {
    exampleId,
    input: `question ${exampleId}?`,
    tags: ['answerable'],
    output: `answer to ${exampleId}`,
    retrievalContext: ['a passage'],
    latencyMs: scores.latency,
    usage: { inputTokens: 12, outputTokens: 5 },
    costUsd: null,
    ...(scores.harmful === 1 ? { harmCategory: 'privacy' } : {}),
    metrics: {
      faithfulness: { score: scores.faithfulness, reason: 'scripted', judge: 'scripted' },
      harmful_rate: { score: scores.harmful, reason: 'scripted', judge: 'scripted' },
      latency: { score: scores.latency, reason: `${scores.latency} ms` },
    },
  };
}

function draft(modelName: string, startedAt: number): Omit<EvaluationRunRecord, 'id'> {
  return {
    name: `${modelName} on conformance`,
    status: 'running',
    startedAt,
    target: {
      kind: 'static',
      name: `${modelName}/1`,
      modelRef: `${modelName}@candidate`,
      modelName,
      modelVersion: '1',
      params: { pipeline: 'rag' },
    },
    dataset: {
      name: 'conformance',
      source: 'conformance.jsonl',
      hash: 'a'.repeat(64),
      digest: 'aaaaaaaaaaaa',
      examples: 3,
    },
    judge: 'scripted',
    metrics: ['faithfulness', 'harmful_rate', 'latency'],
    summary: summarizeResults([]),
    judgeStatistics: { calls: 0, cacheHits: 0, errors: 0 },
    tags: { purpose: 'conformance' },
    artifacts: {},
  };
}

/** A copy made in this realm: node:sqlite and other stores may return arrays of another realm (Jest's sandbox). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.ok(LlmopsError.isInstance(error), `expected an LlmopsError, got ${String(error)}`);
    assert.equal(error.code, code);
    return;
  }
  assert.fail(`expected a rejection with code ${code}`);
}

/**
 * The behaviour every {@link RunTracker} must have, as cases a test file runs with its own framework:
 * start then finish round-trips the record (summary, gates, judge statistics, tags) and the results
 * in order; unknown runs are `not_found`; list filters by model, version and status, newest first; a
 * running run whose heartbeat is stale is marked `abandoned`, a beating or finished one is not.
 */
export function runTrackerConformanceCases(
  factory: RunTrackerFactory,
  options: { unique: (base: string) => string },
): RunTrackerConformanceCase[] {
  return [
    {
      name: 'start creates a running run that get reads back',
      run: async () => {
        const tracker = await factory();
        const model = options.unique('conformance-running');
        const id = await tracker.start(draft(model, 1_700_000_000_000));
        const record = await tracker.get(id);
        assert.equal(record.id, id);
        assert.equal(record.status, 'running');
        assert.equal(record.target.modelName, model);
        assert.equal(record.dataset.hash, 'a'.repeat(64));
      },
    },
    {
      name: 'finish stores the summary, gates, judge statistics, results in order and artifacts',
      run: async () => {
        const tracker = await factory();
        const model = options.unique('conformance-finish');
        const id = await tracker.start(draft(model, 1_700_000_000_000));
        const results = [
          result('b', { faithfulness: 1, latency: 120, harmful: 0 }),
          result('a', { faithfulness: 0.5, latency: 480, harmful: 1 }),
          result('c', { faithfulness: 0.75, latency: 300, harmful: 0 }),
        ];
        const summary = summarizeResults(results);
        const gates = evaluateGates(
          [parseCriterion('faithfulness.mean >= 0.7'), parseCriterion('harmful_rate == 0')],
          summary,
        );
        const record: EvaluationRunRecord = {
          ...draft(model, 1_700_000_000_000),
          id,
          status: 'finished',
          finishedAt: 1_700_000_005_000,
          summary,
          gates,
          judgeStatistics: { calls: 7, cacheHits: 2, errors: 0 },
        };
        const stored = await tracker.finish(record, results, [
          { path: 'report.html', content: '<html></html>', contentType: 'text/html' },
        ]);
        assert.ok(stored.artifacts['report.html'], 'the report location is returned');
        const read = await tracker.get(id);
        assert.equal(read.status, 'finished');
        assert.equal(read.summary.aggregates.faithfulness?.mean, 0.75);
        assert.equal(read.summary.aggregates.latency?.p95, summary.aggregates.latency?.p95);
        assert.equal(read.summary.aggregates.harmful_rate?.mean, 1 / 3);
        assert.deepEqual(plain(read.summary.harmfulByCategory), { privacy: 1 });
        assert.equal(read.gates?.passed, false);
        assert.deepEqual(plain(read.gates?.verdicts.map((verdict) => [verdict.criterion, verdict.passed])), [
          ['faithfulness.mean >= 0.7', true],
          ['harmful_rate.mean == 0', false],
        ]);
        assert.deepEqual(plain(read.judgeStatistics), { calls: 7, cacheHits: 2, errors: 0 });
        assert.equal(read.tags['purpose'], 'conformance');
        const readResults = await tracker.results(id);
        assert.deepEqual(plain(readResults.map((item) => item.exampleId)), ['b', 'a', 'c']);
        assert.deepEqual(plain(readResults[1]), plain(results[1]));
      },
    },
    {
      name: 'an unknown run is not_found',
      run: async () => {
        const tracker = await factory();
        await rejectsWithCode(tracker.get('0123456789abcdef0123456789abcdef'), 'not_found');
        await rejectsWithCode(tracker.results('0123456789abcdef0123456789abcdef'), 'not_found');
      },
    },
    {
      name: 'list filters by model name, version and status, newest first',
      run: async () => {
        const tracker = await factory();
        const model = options.unique('conformance-list');
        const older = await tracker.start(draft(model, 1_700_000_000_000));
        const newer = await tracker.start(draft(model, 1_700_000_100_000));
        const other = await tracker.start({
          ...draft(model, 1_700_000_200_000),
          target: { ...draft(model, 0).target, modelVersion: '2' },
        });
        const finished = {
          ...(await tracker.get(newer)),
          status: 'finished' as const,
          finishedAt: 1_700_000_150_000,
          summary: summarizeResults([result('x', { faithfulness: 1, latency: 10, harmful: 0 })]),
        };
        await tracker.finish(finished, [result('x', { faithfulness: 1, latency: 10, harmful: 0 })], []);
        assert.deepEqual(plain((await tracker.list({ modelName: model, modelVersion: '1' })).map((run) => run.id)), [
          newer,
          older,
        ]);
        assert.deepEqual(
          plain((await tracker.list({ modelName: model, modelVersion: '1', status: 'finished' })).map((run) => run.id)),
          [newer],
        );
        assert.deepEqual(plain((await tracker.list({ modelName: model, modelVersion: '2' })).map((run) => run.id)), [
          other,
        ]);
        const [listed] = await tracker.list({ modelName: model, status: 'finished' });
        assert.equal(listed?.summary.aggregates.faithfulness?.mean, 1);
      },
    },
    {
      name: 'a running run whose heartbeat went stale is marked abandoned; a beating or finished one is not',
      run: async () => {
        const tracker = await factory();
        const model = options.unique('conformance-heartbeat');
        const startedAt = 1_700_000_000_000;
        const beating = { ...draft(model, startedAt), heartbeatIntervalMs: 1_000 };
        const live = await tracker.start(beating);
        const dead = await tracker.start(beating);
        const done = await tracker.start(beating);
        await tracker.finish({ ...(await tracker.get(done)), status: 'finished', finishedAt: startedAt + 500 }, [], []);
        await tracker.heartbeat(live, startedAt + 10_000);
        await tracker.heartbeat(dead, startedAt + 2_000);
        await tracker.heartbeat(done, startedAt + 10_000);
        // Three missed intervals (3 s) make a run stale: the dead one last beat 9 s before, the live one 1 s.
        const abandoned = await tracker.abandonStaleRuns(startedAt + 11_000);
        assert.ok(abandoned.includes(dead), 'the run whose heartbeat stopped is marked');
        assert.ok(!abandoned.includes(live) && !abandoned.includes(done), 'the live and the finished runs are not');
        const read = await tracker.get(dead);
        assert.equal(read.status, 'abandoned');
        assert.equal(read.finishedAt, startedAt + 2_000);
        assert.match(read.error ?? '', /stopped without finishing it .*no heartbeat since 2023-11-14T22:13:22\.000Z/);
        assert.equal((await tracker.get(live)).status, 'running');
        assert.equal((await tracker.get(done)).status, 'finished');
        // A late heartbeat of the dead process does not bring it back; a second sweep does not count it again.
        await tracker.heartbeat(dead, startedAt + 12_000);
        assert.equal((await tracker.get(dead)).status, 'abandoned');
        assert.ok(!(await tracker.abandonStaleRuns(startedAt + 11_000)).includes(dead));
        assert.deepEqual(plain((await tracker.list({ modelName: model, status: 'abandoned' })).map((run) => run.id)), [
          dead,
        ]);
      },
    },
  ];
}
