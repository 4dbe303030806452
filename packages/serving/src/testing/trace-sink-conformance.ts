import assert from 'node:assert/strict';
import type { TraceSink } from '../ports.js';
import { buildFailedPipelineTrace, buildPipelineTrace } from './pipeline-trace-fixture.js';

/** A trace as a store gives it back: the facts every trace store keeps and lets its users filter on. */
export interface StoredTraceFacts {
  traceId: string;
  status: 'ok' | 'error';
  /** `name/version`. */
  model: string;
  pipeline: string;
  provider: string;
  /** The error code of a failed request. */
  errorCode?: string;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
  /** The names of the pipeline's spans in start order, when the store can read them back (SQLite can). */
  spanNames?: string[];
}

/** A trace sink under test and the way to read back what it wrote. */
export interface TraceSinkHarness {
  sink: TraceSink;
  /** The stored trace with this id (32 hex characters), or `undefined` when the store has none. */
  read(traceId: string): Promise<StoredTraceFacts | undefined>;
}

/** Makes a harness for one conformance case (a new sink each time; it may share a file or a server). */
export type TraceSinkHarnessFactory = () => Promise<TraceSinkHarness> | TraceSinkHarness;

/** One case of the trace sink conformance suite: a name and a run that throws (an AssertionError) on misbehaviour. */
export interface TraceSinkConformanceCase {
  name: string;
  run: () => Promise<void>;
}

async function readOrFail(harness: TraceSinkHarness, traceId: string): Promise<StoredTraceFacts> {
  const stored = await harness.read(traceId);
  assert.ok(stored, `trace ${traceId} was written but cannot be read back`);
  return stored;
}

const cases: Array<[string, (harness: TraceSinkHarness) => Promise<void>]> = [
  [
    'writes a batch and reads every trace back with its model, pipeline, provider, tokens and cost',
    async (harness) => {
      const first = buildPipelineTrace();
      const second = buildPipelineTrace({ model: 'support-chat/1', pipeline: 'chat', costUsd: 0.25 });
      await harness.sink.write([first, second]);
      const stored = await readOrFail(harness, first.traceId);
      assert.deepEqual(
        {
          traceId: stored.traceId,
          status: stored.status,
          model: stored.model,
          pipeline: stored.pipeline,
          provider: stored.provider,
          promptTokens: stored.promptTokens,
          completionTokens: stored.completionTokens,
          costUsd: stored.costUsd,
        },
        {
          traceId: first.traceId,
          status: 'ok',
          model: 'support-rag/2',
          pipeline: 'rag',
          provider: 'offline/extractive',
          promptTokens: 530,
          completionTokens: 48,
          costUsd: 0.000_412,
        },
      );
      if (stored.spanNames) {
        assert.deepEqual(stored.spanNames, ['resolve', 'retrieve', 'guard_input', 'generate', 'guard_output']);
      }
      const other = await readOrFail(harness, second.traceId);
      assert.deepEqual([other.model, other.pipeline, other.costUsd], ['support-chat/1', 'chat', 0.25]);
    },
  ],
  [
    'keeps a failed request as an error with its code',
    async (harness) => {
      const failed = buildFailedPipelineTrace();
      await harness.sink.write([failed]);
      const stored = await readOrFail(harness, failed.traceId);
      assert.deepEqual([stored.status, stored.errorCode], ['error', 'upstream_error']);
      assert.equal(stored.costUsd, undefined, 'a request without a price has no cost');
    },
  ],
  [
    'accepts an empty batch and a request that never reached a step',
    async (harness) => {
      await harness.sink.write([]);
      const bare = buildFailedPipelineTrace({ spans: [], error: { code: 'not_found', message: 'model x not found' } });
      await harness.sink.write([bare]);
      const stored = await readOrFail(harness, bare.traceId);
      assert.deepEqual([stored.status, stored.errorCode], ['error', 'not_found']);
      if (stored.spanNames) assert.deepEqual(stored.spanNames, []);
    },
  ],
  [
    'writes the same trace twice (a retried batch) as one trace',
    async (harness) => {
      const trace = buildPipelineTrace();
      await harness.sink.write([trace]);
      await harness.sink.write([trace]);
      const stored = await readOrFail(harness, trace.traceId);
      assert.equal(stored.traceId, trace.traceId);
      if (stored.spanNames) assert.equal(stored.spanNames.length, trace.spans.length);
    },
  ],
];

/**
 * The conformance suite of {@link TraceSink} adapters: every trace written in a batch can be read
 * back with the facts users filter on, failed requests keep their error code, empty batches and
 * retried batches are harmless. Run it from a test file:
 * `for (const c of traceSinkConformanceSuite(factory)) it(c.name, c.run);`.
 */
export function traceSinkConformanceSuite(factory: TraceSinkHarnessFactory): TraceSinkConformanceCase[] {
  return cases.map(([name, run]) => ({ name, run: async () => run(await factory()) }));
}
