import { buildFailedPipelineTrace, buildPipelineTrace } from '../../testing/index.js';
import { toMlflowSpans } from './mlflow-trace-spans.js';

describe('toMlflowSpans', () => {
  it('makes a CHAIN root span over the request with the steps as typed children', () => {
    const trace = buildPipelineTrace();
    const [root, ...children] = toMlflowSpans(trace);
    expect(root).toMatchObject({
      name: 'chat.completions support-rag/2',
      spanType: 'CHAIN',
      startTimeMs: trace.startTimeMs,
      endTimeMs: trace.endTimeMs,
      status: 'OK',
    });
    expect(root?.parentSpanId).toBeUndefined();
    expect(children.map((span) => [span.name, span.spanType, span.parentSpanId])).toEqual([
      ['resolve', 'UNKNOWN', root?.spanId],
      ['retrieve', 'RETRIEVER', root?.spanId],
      ['guard_input', 'GUARDRAIL', root?.spanId],
      ['generate', 'CHAT_MODEL', root?.spanId],
      ['guard_output', 'GUARDRAIL', root?.spanId],
    ]);
    expect(children[1]?.attributes).toEqual(trace.spans[1]?.attributes);
  });

  it("puts usage, cost and model on the generate span under MLflow's keys, and the facts as trace tags", () => {
    const [root, , , , generate] = toMlflowSpans(buildPipelineTrace({ requestId: 'req-7' }));
    expect(generate?.attributes).toMatchObject({
      'mlflow.chat.tokenUsage': { input_tokens: 530, output_tokens: 48, total_tokens: 578 },
      'mlflow.llm.cost': { total_cost: 0.000_412 },
      'mlflow.llm.model': 'extractive',
      'mlflow.llm.provider': 'offline',
      prompt_tokens: 530,
    });
    expect(root?.attributes).toMatchObject({
      'mlflow.traceTag.llmops.model': 'support-rag/2',
      'mlflow.traceTag.llmops.model_name': 'support-rag',
      'mlflow.traceTag.llmops.model_version': '2',
      'mlflow.traceTag.llmops.pipeline': 'rag',
      'mlflow.traceTag.llmops.provider': 'offline/extractive',
      'mlflow.traceTag.llmops.status': 'ok',
      'mlflow.traceTag.llmops.request_id': 'req-7',
      'llmops.prompt_tokens': 530,
      'llmops.completion_tokens': 48,
      'llmops.cost_usd': 0.000_412,
    });
    expect(root?.attributes).not.toHaveProperty('mlflow.chat.tokenUsage');
  });

  it('marks a failed request ERROR with its code and message, and sends no message text', () => {
    const trace = buildFailedPipelineTrace();
    const spans = toMlflowSpans(trace);
    const [root] = spans;
    expect(root).toMatchObject({ status: 'ERROR', statusMessage: 'upstream_error: provider openai answered 502' });
    expect(root?.attributes).toMatchObject({
      'mlflow.traceTag.llmops.error_code': 'upstream_error',
      'llmops.error.code': 'upstream_error',
    });
    expect(spans.find((span) => span.name === 'generate')?.status).toBe('ERROR');
    expect(JSON.stringify(spans)).not.toContain(trace.retrieval?.query);
  });

  it('derives span ids from the trace id, so writing a trace again rewrites the same spans', () => {
    const trace = buildPipelineTrace();
    const ids = toMlflowSpans(trace).map((span) => span.spanId);
    expect(toMlflowSpans(trace).map((span) => span.spanId)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-f]{16}$/.test(id ?? ''))).toBe(true);
  });

  it('puts usage on the root when the request never reached the model', () => {
    const [root, ...children] = toMlflowSpans(buildPipelineTrace({ spans: [] }));
    expect(children).toEqual([]);
    expect(root?.attributes).toMatchObject({ 'mlflow.chat.tokenUsage': { total_tokens: 578 } });
  });
  it('carries the record without message text and what the request came to (ok, error or blocked) for reading back', () => {
    const trace = buildPipelineTrace();
    const retrieval = trace.retrieval as NonNullable<typeof trace.retrieval>;
    const asked = {
      ...trace,
      retrieval: {
        ...retrieval,
        query: 'reset the password of alice@example.com',
        passages: retrieval.passages.map((passage) => ({ ...passage, context: 'Open Settings.' })),
      },
      blocked: { policy: 'default', stage: 'output' as const, check: 'pii' as const, categories: ['email'] },
    };
    const [root] = toMlflowSpans(asked);
    const record = JSON.parse(String(root?.attributes?.['llmops.record']));
    expect(record).toMatchObject({ traceId: asked.traceId, model: asked.model, blocked: asked.blocked });
    expect(record.retrieval.query).toBe('');
    expect(record.retrieval.passages.map((passage: { source: string }) => passage.source)).toEqual(
      retrieval.passages.map((passage) => passage.source),
    );
    expect(JSON.stringify(root)).not.toMatch(/alice@example\.com|Open Settings/);
    expect(root?.attributes?.['mlflow.traceTag.llmops.outcome']).toBe('blocked');
    expect(toMlflowSpans(buildFailedPipelineTrace())[0]?.attributes?.['mlflow.traceTag.llmops.outcome']).toBe('error');
  });
});
