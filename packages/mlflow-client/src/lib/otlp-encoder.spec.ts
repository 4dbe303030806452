import { LlmopsError } from '@llmops/kernel';
import { readFixture } from './__fixtures__/http-test-server.js';
import { encodeExportTraceRequest, hexToBytes } from './otlp-encoder.js';
import { ProtobufWriter } from './protobuf-writer.js';

describe('OTLP protobuf encoding', () => {
  it('encodes an export request byte for byte as the official protobuf classes do', () => {
    // The fixture was serialised by opentelemetry-proto (Python) from the same two spans.
    const expected = readFixture('otlp-export-request.hex').trim();
    const encoded = encodeExportTraceRequest({
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
    });
    expect(Buffer.from(encoded).toString('hex')).toBe(expected);
  });

  it('writes varints, negative int64s and fixed64s as protobuf does', () => {
    expect(Buffer.from(new ProtobufWriter().int64(1, 300).finish()).toString('hex')).toBe('08ac02');
    expect(Buffer.from(new ProtobufWriter().int64(3, -1).finish()).toString('hex')).toBe('18ffffffffffffffffff01');
    expect(Buffer.from(new ProtobufWriter().fixed64(7, 1n).finish()).toString('hex')).toBe('390100000000000000');
    expect(Buffer.from(new ProtobufWriter().string(5, 'é').finish()).toString('hex')).toBe('2a02c3a9');
  });

  it('refuses malformed ids', () => {
    expect(() => hexToBytes('XYZ', { bytes: 8, field: 'spanId' })).toThrow(LlmopsError);
    expect(() => hexToBytes('0000000000000000', { bytes: 8, field: 'spanId' })).toThrow(
      /spanId "0000000000000000" is not 16 lowercase hex characters \(and not all zero\)/,
    );
    expect(Array.from(hexToBytes('00f067aa0ba902b7', { bytes: 8, field: 'spanId' }))).toEqual([
      0, 240, 103, 170, 11, 169, 2, 183,
    ]);
  });
});
