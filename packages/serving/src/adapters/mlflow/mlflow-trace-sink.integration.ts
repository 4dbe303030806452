import { join } from 'node:path';
import { createMlflowClient, mlflowTraceId } from '@llmops/mlflow-client';
import type { MlflowClient } from '@llmops/mlflow-client';
import { runMlflowPython, startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowBackend, MlflowServer } from '@llmops/mlflow-client/testing';
import { buildFailedPipelineTrace, buildPipelineTrace, traceSinkConformanceSuite } from '../../testing/index.js';
import type { StoredTraceFacts } from '../../testing/index.js';
import { defaultTraceExperimentName, MlflowTraceSink } from './mlflow-trace-sink.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');

/** Reads a trace back through the REST API: its state, its `llmops.*` tags and MLflow's token and cost totals. */
async function readBack(client: MlflowClient, traceId: string): Promise<StoredTraceFacts | undefined> {
  const info = await client.traces.getInfo(mlflowTraceId(traceId)).catch((error: { code?: string }) => {
    if (error.code === 'not_found') return undefined;
    throw error;
  });
  if (!info) return undefined;
  const usage = JSON.parse(info.metadata['mlflow.trace.tokenUsage'] ?? '{}') as Record<string, number>;
  const cost = JSON.parse(info.metadata['mlflow.trace.cost'] ?? '{}') as Record<string, number>;
  return {
    traceId: info.traceId.replace(/^tr-/, ''),
    status: info.state === 'OK' ? 'ok' : 'error',
    model: info.tags['llmops.model'] ?? '',
    pipeline: info.tags['llmops.pipeline'] ?? '',
    provider: info.tags['llmops.provider'] ?? '',
    errorCode: info.tags['llmops.error_code'],
    promptTokens: usage['input_tokens'],
    completionTokens: usage['output_tokens'],
    costUsd: cost['total_cost'],
  };
}

const pythonSearchesTraces = `
import json, os
import mlflow

data = json.loads(os.environ["LLMOPS_INTEROP_INPUT"])
experiment = mlflow.get_experiment_by_name(data["experiment"])
traces = mlflow.search_traces(
    experiment_ids=[experiment.experiment_id],
    filter_string=f"tags.\`llmops.model_name\` = '{data['model']}'",
    order_by=["timestamp_ms ASC"],
    return_type="list",
)
failed = mlflow.search_traces(
    experiment_ids=[experiment.experiment_id],
    filter_string=f"tags.\`llmops.model_name\` = '{data['model']}' AND trace.status = 'ERROR'",
    return_type="list",
)

def span_of(span, root_id):
    attributes = span.attributes
    return {
        "name": span.name,
        "type": span.span_type,
        "childOfRoot": span.parent_id == root_id,
        "tokenUsage": attributes.get("mlflow.chat.tokenUsage"),
        "cost": attributes.get("mlflow.llm.cost"),
    }

result = []
for trace in traces:
    root = next(span for span in trace.data.spans if span.parent_id is None)
    result.append({
        "traceId": trace.info.trace_id,
        "state": str(trace.info.state.value if hasattr(trace.info.state, "value") else trace.info.state),
        "tags": {k: v for k, v in trace.info.tags.items() if k.startswith("llmops.")},
        "tokenUsage": trace.info.token_usage,
        "cost": trace.info.cost,
        "root": {"name": root.name, "type": root.span_type, "status": root.status.description},
        "spans": [span_of(span, root.span_id) for span in trace.data.spans if span.parent_id is not None],
    })
print(json.dumps({"traces": result, "failed": [trace.info.trace_id for trace in failed]}))
`;

interface SearchedTrace {
  traceId: string;
  state: string;
  tags: Record<string, string>;
  tokenUsage: Record<string, number> | null;
  cost: Record<string, number> | null;
  root: { name: string; type: string; status: string };
  spans: Array<{
    name: string;
    type: string;
    childOfRoot: boolean;
    tokenUsage: Record<string, number> | null;
    cost: Record<string, number> | null;
  }>;
}

describe.each<MlflowBackend>(['sqlite', 'postgresql'])('MlflowTraceSink on MLflow 3.17 (%s backend)', (backend) => {
  let server: MlflowServer;
  const client = () => createMlflowClient({ trackingUri: server.trackingUri });

  beforeAll(async () => {
    server = await startMlflowServer({ workspaceRoot, backend });
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  describe('conformance', () => {
    for (const conformanceCase of traceSinkConformanceSuite(() => {
      const mlflow = client();
      return { sink: new MlflowTraceSink({ client: mlflow }), read: (traceId) => readBack(mlflow, traceId) };
    })) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });

  it('writes traces that Python finds with mlflow.search_traces, with their spans, tokens and cost', async () => {
    const model = `support-rag-${backend}-${Date.now().toString(36)}`;
    const ok = buildPipelineTrace({ model: `${model}/2`, startTimeMs: Date.now() - 5_000 });
    const failed = buildFailedPipelineTrace({ model: `${model}/3`, startTimeMs: Date.now() - 1_000 });
    await new MlflowTraceSink({ client: client() }).write([ok, failed]);
    const stdout = await runMlflowPython({
      workspaceRoot,
      code: pythonSearchesTraces,
      env: {
        MLFLOW_TRACKING_URI: server.trackingUri,
        LLMOPS_INTEROP_INPUT: JSON.stringify({ experiment: defaultTraceExperimentName, model }),
      },
    });
    const lines = stdout.trim().split('\n');
    const found = JSON.parse(lines[lines.length - 1] as string) as { traces: SearchedTrace[]; failed: string[] };
    expect(found.traces.map((trace) => trace.traceId)).toEqual([
      mlflowTraceId(ok.traceId),
      mlflowTraceId(failed.traceId),
    ]);
    expect(found.failed).toEqual([mlflowTraceId(failed.traceId)]);
    const [served, failure] = found.traces as [SearchedTrace, SearchedTrace];
    expect(served).toMatchObject({
      state: 'OK',
      tags: {
        'llmops.model': `${model}/2`,
        'llmops.model_name': model,
        'llmops.model_version': '2',
        'llmops.pipeline': 'rag',
        'llmops.provider': 'offline/extractive',
        'llmops.status': 'ok',
        'llmops.request_id': ok.requestId,
      },
      tokenUsage: { input_tokens: 530, output_tokens: 48, total_tokens: 578 },
      cost: expect.objectContaining({ total_cost: 0.000_412 }),
      root: { name: `chat.completions ${model}/2`, type: 'CHAIN' },
    });
    expect(served.spans.map((span) => [span.name, span.type, span.childOfRoot])).toEqual([
      ['resolve', 'UNKNOWN', true],
      ['retrieve', 'RETRIEVER', true],
      ['guard_input', 'GUARDRAIL', true],
      ['generate', 'CHAT_MODEL', true],
      ['guard_output', 'GUARDRAIL', true],
    ]);
    expect(served.spans.find((span) => span.name === 'generate')).toMatchObject({
      tokenUsage: { input_tokens: 530, output_tokens: 48, total_tokens: 578 },
      cost: { total_cost: 0.000_412 },
    });
    expect(failure).toMatchObject({
      state: 'ERROR',
      tags: { 'llmops.status': 'error', 'llmops.error_code': 'upstream_error', 'llmops.model_version': '3' },
      root: { status: 'upstream_error: provider openai answered 502' },
    });
  });
});
