import { LlmopsError } from '@llmops/kernel';
import { decodeExportTraceRequest } from '../testing/otlp-collector.js';
import { readFixture } from './__fixtures__/http-test-server.js';
import { checkHexId, encodeExportTraceRequest } from './otlp-encoder.js';
import type { OtlpExport } from './otlp-encoder.js';

const twoSpans: OtlpExport = {
  resourceAttributes: { 'service.name': 'llmops' },
  scope: { name: '@llmops/mlflow-client', version: '0.1.0' },
  spans: [
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: '00f067aa0ba902b7',
      name: 'chat',
      startTimeUnixNano: 1700000000000000000n,
      endTimeUnixNano: 1700000000500000000n,
      attributes: {
        'mlflow.spanType': 'CHAIN',
        'mlflow.spanInputs': { question: 'hi', n: 3, ok: true, score: 0.5, tags: ['a', -1] },
      },
      status: { code: 'OK' },
    },
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      name: 'llm',
      startTimeUnixNano: 1700000000100000000n,
      endTimeUnixNano: 1700000000400000000n,
      attributes: {},
      status: { code: 'ERROR', message: 'rate limited' },
    },
  ],
};

describe('OTLP protobuf encoding (OpenTelemetry serializer)', () => {
  it('decodes to the same message as the official Python protobuf classes wrote for the same two spans', () => {
    // The fixture was serialised by opentelemetry-proto (Python); OpenTelemetry JS adds only
    // fields the fixture leaves at their defaults (flags, dropped counts), which the decoder skips.
    const official = decodeExportTraceRequest(Buffer.from(readFixture('otlp-export-request.hex').trim(), 'hex'));
    const ours = decodeExportTraceRequest(encodeExportTraceRequest(twoSpans));
    expect(ours).toEqual(official);
    expect(ours).toHaveLength(2);
  });

  it('keeps ids, parent, kind, times, status and object attributes as key-value lists', () => {
    const [root, child] = decodeExportTraceRequest(encodeExportTraceRequest(twoSpans));
    expect(root).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: '00f067aa0ba902b7',
      name: 'chat',
      kind: 1,
      startTimeUnixNano: 1700000000000000000n,
      endTimeUnixNano: 1700000000500000000n,
      attributes: {
        'mlflow.spanType': 'CHAIN',
        'mlflow.spanInputs': { question: 'hi', n: 3, ok: true, score: 0.5, tags: ['a', -1] },
      },
      status: { code: 1 },
      resourceAttributes: { 'service.name': 'llmops' },
      scope: { name: '@llmops/mlflow-client', version: '0.1.0' },
    });
    expect(child).toMatchObject({
      parentSpanId: '00f067aa0ba902b7',
      status: { code: 2, message: 'rate limited' },
      startTimeUnixNano: 1700000000100000000n,
    });
  });

  it('leaves out attributes whose value is undefined', () => {
    const [span] = decodeExportTraceRequest(
      encodeExportTraceRequest({
        ...twoSpans,
        spans: [{ ...(twoSpans.spans[0] as OtlpExport['spans'][number]), attributes: { kept: 1, gone: undefined } }],
      }),
    );
    expect(span?.attributes).toEqual({ kept: 1 });
  });

  it('refuses malformed ids', () => {
    expect(() => checkHexId('XYZ', { bytes: 8, field: 'spanId' })).toThrow(LlmopsError);
    expect(() => checkHexId('0000000000000000', { bytes: 8, field: 'spanId' })).toThrow(
      /spanId "0000000000000000" is not 16 lowercase hex characters \(and not all zero\)/,
    );
    expect(() =>
      encodeExportTraceRequest({
        ...twoSpans,
        spans: [{ ...(twoSpans.spans[1] as OtlpExport['spans'][number]), parentSpanId: 'nope' }],
      }),
    ).toThrow(/parentSpanId "nope"/);
  });
});
