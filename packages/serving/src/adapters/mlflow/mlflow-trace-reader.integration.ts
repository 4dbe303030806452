import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createMlflowClient, mlflowTraceId } from '@llmops/mlflow-client';
import { startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowBackend, MlflowServer } from '@llmops/mlflow-client/testing';
import { buildNestedPipelineTrace, buildPipelineTrace, traceReaderConformanceSuite } from '../../testing/index.js';
import { MlflowTraceReader } from './mlflow-trace-reader.js';
import { traceRecordAttribute } from './mlflow-trace-record.js';
import { MlflowTraceSink } from './mlflow-trace-sink.js';
import { toMlflowSpans } from './mlflow-trace-spans.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');

describe.each<MlflowBackend>(['sqlite', 'postgresql'])('MlflowTraceReader on MLflow 3.17 (%s backend)', (backend) => {
  let server: MlflowServer;
  /** A sink and its reader on a new experiment, so that each case starts from an empty store. */
  const openStore = () => {
    const client = createMlflowClient({ trackingUri: server.trackingUri });
    const sink = new MlflowTraceSink({ client, experimentName: `llmops-reader-${randomBytes(6).toString('hex')}` });
    return { client, sink, reader: new MlflowTraceReader({ client, experiment: () => sink.experiment() }) };
  };

  beforeAll(async () => {
    server = await startMlflowServer({ workspaceRoot, backend });
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  describe('conformance', () => {
    for (const conformanceCase of traceReaderConformanceSuite(openStore)) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });

  it('sends no message text: the retrieval query and the passages’ text stay out of MLflow', async () => {
    const { client, sink, reader } = openStore();
    const trace = buildPipelineTrace();
    const retrieval = trace.retrieval as NonNullable<typeof trace.retrieval>;
    const asked = buildPipelineTrace({
      retrieval: {
        ...retrieval,
        query: 'how do I reset the password of alice@example.com',
        passages: retrieval.passages.map((passage) => ({ ...passage, context: 'Open Settings, then Security.' })),
      },
    });
    await sink.write([asked]);
    const read = await reader.get(asked.traceId);
    expect(read?.retrieval?.query).toBe('');
    expect(read?.retrieval?.passages.map((passage) => passage.context)).toEqual([undefined, undefined]);
    const [stored] = await client.traces.batchGet([mlflowTraceId(asked.traceId)]);
    const everything = JSON.stringify(stored);
    expect(everything).not.toContain('alice@example.com');
    expect(everything).not.toContain('Open Settings');
  });

  it('reads a trace an older llmops wrote (no record) from its tags, MLflow’s totals and its spans', async () => {
    const { client, sink, reader } = openStore();
    const trace = buildPipelineTrace({ startTimeMs: Date.now() - 1_000 });
    const spans = toMlflowSpans(trace).map((span) => {
      const attributes = { ...span.attributes };
      delete attributes[traceRecordAttribute];
      return { ...span, attributes };
    });
    await client.traces.log({ experimentId: await sink.experiment(), otelTraceId: trace.traceId, spans });
    const read = await reader.get(trace.traceId);
    expect(read).toMatchObject({
      traceId: trace.traceId,
      requestId: trace.requestId,
      model: trace.model,
      pipeline: trace.pipeline,
      provider: trace.provider,
      status: 'ok',
      startTimeMs: trace.startTimeMs,
      endTimeMs: trace.endTimeMs,
      usage: trace.usage,
      costUsd: trace.costUsd,
      latencyMs: trace.latencyMs,
      finishReason: trace.finishReason,
    });
    expect(read?.spans.map((span) => [span.name, span.startTimeMs, span.endTimeMs])).toEqual(
      trace.spans.map((span) => [span.name, span.startTimeMs, span.endTimeMs]),
    );
    expect(await reader.list()).toHaveLength(1);
  });

  it('keeps each span under its parent in MLflow’s own spans, not only in the record', async () => {
    const { client, sink, reader } = openStore();
    const trace = buildNestedPipelineTrace({ startTimeMs: Date.now() - 1_000 });
    const spans = toMlflowSpans(trace).map((span) => {
      const attributes = { ...span.attributes };
      delete attributes[traceRecordAttribute];
      return { ...span, attributes };
    });
    await client.traces.log({ experimentId: await sink.experiment(), otelTraceId: trace.traceId, spans });
    const read = await reader.get(trace.traceId);
    const links = (spansOf: Array<{ spanId?: string; parentSpanId?: string }>) =>
      spansOf.map((span) => [span.spanId, span.parentSpanId]).sort();
    expect(links(read?.spans ?? [])).toEqual(links(trace.spans));
  });

  it('does not read a trace of another experiment as one of its own', async () => {
    const first = openStore();
    const second = openStore();
    const trace = buildPipelineTrace();
    await first.sink.write([trace]);
    expect(await first.reader.get(trace.traceId)).toBeDefined();
    expect(await second.reader.get(trace.traceId)).toBeUndefined();
  });
});
