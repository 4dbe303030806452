import { buildFailedPipelineTrace, buildPipelineTrace } from '../../testing/index.js';
import { toMlflowSpans } from '../mlflow/mlflow-trace-spans.js';
import { toOtlpSpans } from './otlp-trace-spans.js';

describe('toOtlpSpans', () => {
  it('makes a root span over the request with each pipeline step as its child', () => {
    const trace = buildPipelineTrace();
    const [root, ...children] = toOtlpSpans(trace);
    expect(root).toMatchObject({
      traceId: trace.traceId,
      name: 'chat.completions support-rag/2',
      startTimeUnixNano: BigInt(trace.startTimeMs) * 1_000_000n,
      endTimeUnixNano: BigInt(trace.endTimeMs) * 1_000_000n,
      status: { code: 'OK' },
    });
    expect(root?.parentSpanId).toBeUndefined();
    expect(children.map((span) => [span.name, span.parentSpanId, span.status.code])).toEqual([
      ['resolve', root?.spanId, 'OK'],
      ['retrieve', root?.spanId, 'OK'],
      ['guard_input', root?.spanId, 'OK'],
      ['generate', root?.spanId, 'OK'],
      ['guard_output', root?.spanId, 'OK'],
    ]);
    expect(children[1]?.attributes).toEqual(trace.spans[1]?.attributes);
  });

  it("carries the request's facts on the root and OpenTelemetry's gen_ai attributes on generate", () => {
    const trace = buildPipelineTrace({ requestId: 'req-9', attributes: { tenant: 'blue' } });
    const spans = toOtlpSpans(trace);
    expect(spans[0]?.attributes).toMatchObject({
      tenant: 'blue',
      'llmops.model': 'support-rag/2',
      'llmops.request_id': 'req-9',
      'llmops.prompt_tokens': 530,
      'llmops.cost_usd': 0.000_412,
    });
    expect(spans.find((span) => span.name === 'generate')?.attributes).toMatchObject({
      prompt_tokens: 530,
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'offline',
      'gen_ai.request.model': 'extractive',
      'gen_ai.usage.input_tokens': 530,
      'gen_ai.usage.output_tokens': 48,
      'gen_ai.response.finish_reasons': ['stop'],
    });
  });

  it('marks a failed request ERROR with its code and message, and sends no message text', () => {
    const trace = buildFailedPipelineTrace();
    const spans = toOtlpSpans(trace);
    expect(trace.retrieval?.query).toBe('reset password');
    expect(spans[0]?.status).toEqual({ code: 'ERROR', message: 'upstream_error: provider openai answered 502' });
    expect(spans.find((span) => span.name === 'generate')?.status.code).toBe('ERROR');
    expect(
      JSON.stringify(spans, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain(trace.retrieval?.query);
  });

  it('uses the span ids the MLflow sink uses, so one trace has the same ids in both places', () => {
    const trace = buildPipelineTrace();
    expect(toOtlpSpans(trace).map((span) => span.spanId)).toEqual(toMlflowSpans(trace).map((span) => span.spanId));
  });

  it('exports a span a later step adds (a cache lookup, say) like the built-in ones', () => {
    const trace = buildPipelineTrace();
    const cache = {
      name: 'cache',
      startTimeMs: trace.startTimeMs,
      endTimeMs: trace.startTimeMs + 1,
      status: 'ok' as const,
      attributes: {},
    };
    const spans = toOtlpSpans({ ...trace, spans: [cache, ...trace.spans] });
    expect(spans[1]).toMatchObject({ name: 'cache', parentSpanId: spans[0]?.spanId, attributes: {} });
    expect(spans).toHaveLength(7);
  });
});
