import { LlmopsError } from '@llmops/kernel';
import { findFreePort, startOtlpCollector } from '@llmops/mlflow-client/testing';
import type { OtlpCollector } from '@llmops/mlflow-client/testing';
import { buildFailedPipelineTrace, buildPipelineTrace } from '../../testing/index.js';
import { OtlpTraceSink } from './otlp-trace-sink.js';

describe('OtlpTraceSink against a local OTLP/HTTP collector', () => {
  let collector: OtlpCollector;

  beforeEach(async () => {
    collector = await startOtlpCollector();
  });

  afterEach(async () => {
    await collector.close();
  });

  it('exports a batch as one protobuf request the collector decodes: spans, names, parents, attributes', async () => {
    const sink = new OtlpTraceSink({ url: collector.url, headers: {} });
    const served = buildPipelineTrace({ requestId: 'req-1' });
    const failed = buildFailedPipelineTrace();
    await sink.write([served, failed]);
    await sink.close();

    expect(collector.received).toHaveLength(1);
    expect(collector.received[0]).toMatchObject({
      path: '/v1/traces',
      headers: { 'content-type': 'application/x-protobuf' },
    });
    const spans = collector.spans();
    const ofServed = spans.filter((span) => span.traceId === served.traceId);
    const root = ofServed.find((span) => span.parentSpanId === undefined);
    expect(root).toMatchObject({
      name: 'chat.completions support-rag/2',
      kind: 1,
      status: { code: 1 },
      resourceAttributes: { 'service.name': 'llmops' },
      scope: { name: '@llmops/serving', version: '0.1.0' },
      attributes: { 'llmops.request_id': 'req-1', 'llmops.prompt_tokens': 530, 'llmops.cost_usd': 0.000_412 },
    });
    expect(root?.startTimeUnixNano).toBe(BigInt(served.startTimeMs) * 1_000_000n);
    expect(
      ofServed.filter((span) => span !== root).map((span) => [span.name, span.parentSpanId === root?.spanId]),
    ).toEqual([
      ['resolve', true],
      ['retrieve', true],
      ['guard_input', true],
      ['generate', true],
      ['guard_output', true],
    ]);
    expect(ofServed.find((span) => span.name === 'generate')?.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 530,
      'gen_ai.usage.output_tokens': 48,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(ofServed.find((span) => span.name === 'retrieve')?.attributes).toEqual({
      corpus: 'confs/data/kb/',
      k: 4,
      passages: 4,
      used_passages: 3,
      context_tokens: 412,
    });
    const failedRoot = spans.find((span) => span.traceId === failed.traceId && span.parentSpanId === undefined);
    expect(failedRoot?.status).toEqual({ code: 2, message: 'upstream_error: provider openai answered 502' });
    // No question text anywhere in what was sent.
    expect(served.retrieval?.query).toBe('reset password');
    expect(
      JSON.stringify(spans, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain('reset password');
  });

  it('sends the configured headers with each export', async () => {
    const sink = new OtlpTraceSink({
      url: collector.url,
      headers: { authorization: 'Bearer collector-token', 'x-tenant': 'blue' },
    });
    await sink.write([buildPipelineTrace()]);
    await sink.close();
    expect(collector.received[0]?.headers).toMatchObject({
      authorization: 'Bearer collector-token',
      'x-tenant': 'blue',
    });
  });

  it('rejects with upstream_error naming the collector, not its headers, when the collector refuses', async () => {
    collector.answerWith(400);
    const sink = new OtlpTraceSink({ url: collector.url, headers: { authorization: 'Bearer collector-token' } });
    const failure = await sink.write([buildPipelineTrace()]).catch((error: unknown) => error);
    expect(LlmopsError.isInstance(failure) && failure.code).toBe('upstream_error');
    expect((failure as Error).message).toContain(`OTLP collector at ${collector.url} did not take 1 traces`);
    expect((failure as Error).message).not.toContain('collector-token');
    expect(collector.received).toHaveLength(1);
    await sink.close();
  });

  it('rejects within its timeout when no collector listens', async () => {
    const port = await findFreePort();
    const sink = new OtlpTraceSink({ url: `http://127.0.0.1:${port}/v1/traces`, headers: {}, timeoutMs: 300 });
    await expect(sink.write([buildPipelineTrace()])).rejects.toMatchObject({
      code: 'upstream_error',
      message: expect.stringMatching(/ECONNREFUSED|timed out/),
    });
    await sink.close();
  });
});
