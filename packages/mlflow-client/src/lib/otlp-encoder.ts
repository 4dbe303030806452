import { LlmopsError } from '@llmops/kernel';
import { ProtobufWriter } from './protobuf-writer.js';

/** A span attribute value: JSON-like data, encoded as an OTLP `AnyValue` (objects as key-value lists). */
export type AttributeValue =
  string | number | boolean | null | undefined | AttributeValue[] | { [key: string]: AttributeValue };

/** The status of a finished span, as OTLP has it. */
export type SpanStatusCode = 'UNSET' | 'OK' | 'ERROR';

/** One finished span, ready to export. */
export interface OtlpSpan {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** Absent on the root span. */
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttributeValue>;
  status: { code: SpanStatusCode; message?: string };
}

/** What one export request carries. */
export interface OtlpExport {
  resourceAttributes: Record<string, AttributeValue>;
  scope: { name: string; version: string };
  spans: OtlpSpan[];
}

const statusCodes: Record<SpanStatusCode, number> = { UNSET: 0, OK: 1, ERROR: 2 };
/** OTLP `SPAN_KIND_INTERNAL`. */
const internalKind = 1;

/**
 * Decodes a hex id of the given byte length.
 * @throws LlmopsError `invalid_input` naming `field` when it is not `bytes * 2` hex characters.
 */
export function hexToBytes(hex: string, options: { bytes: number; field: string }): Uint8Array {
  if (!new RegExp(`^[0-9a-f]{${options.bytes * 2}}$`).test(hex) || /^0+$/.test(hex)) {
    throw new LlmopsError(
      'invalid_input',
      `${options.field} "${hex}" is not ${options.bytes * 2} lowercase hex characters (and not all zero)`,
    );
  }
  const result = new Uint8Array(options.bytes);
  for (let index = 0; index < options.bytes; index += 1)
    result[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return result;
}

function encodeAnyValue(value: AttributeValue): Uint8Array {
  const writer = new ProtobufWriter();
  if (value === null || value === undefined) return writer.finish();
  if (typeof value === 'string') return writer.string(1, value).finish();
  if (typeof value === 'boolean') return writer.bool(2, value).finish();
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? writer.int64(3, value).finish() : writer.double(4, value).finish();
  }
  if (Array.isArray(value)) {
    const array = new ProtobufWriter();
    for (const item of value) array.bytesField(1, encodeAnyValue(item));
    return writer.bytesField(5, array.finish()).finish();
  }
  const list = new ProtobufWriter();
  for (const [key, item] of Object.entries(value)) list.bytesField(1, encodeKeyValue(key, item));
  return writer.bytesField(6, list.finish()).finish();
}

function encodeKeyValue(key: string, value: AttributeValue): Uint8Array {
  return new ProtobufWriter().string(1, key).bytesField(2, encodeAnyValue(value)).finish();
}

function encodeSpan(span: OtlpSpan): Uint8Array {
  const writer = new ProtobufWriter()
    .bytesField(1, hexToBytes(span.traceId, { bytes: 16, field: 'traceId' }))
    .bytesField(2, hexToBytes(span.spanId, { bytes: 8, field: 'spanId' }));
  if (span.parentSpanId !== undefined)
    writer.bytesField(4, hexToBytes(span.parentSpanId, { bytes: 8, field: 'parentSpanId' }));
  writer
    .string(5, span.name)
    .int64(6, internalKind)
    .fixed64(7, span.startTimeUnixNano)
    .fixed64(8, span.endTimeUnixNano);
  for (const [key, value] of Object.entries(span.attributes)) {
    if (value !== undefined) writer.bytesField(9, encodeKeyValue(key, value));
  }
  const status = new ProtobufWriter();
  if (span.status.message !== undefined) status.string(2, span.status.message);
  status.int64(3, statusCodes[span.status.code]);
  writer.bytesField(15, status.finish());
  return writer.finish();
}

/**
 * Encodes an OTLP `ExportTraceServiceRequest` (opentelemetry/proto/collector/trace/v1) with one
 * resource and one instrumentation scope, for `POST /v1/traces` with `application/x-protobuf`.
 */
export function encodeExportTraceRequest(request: OtlpExport): Uint8Array {
  const resource = new ProtobufWriter();
  for (const [key, value] of Object.entries(request.resourceAttributes))
    resource.bytesField(1, encodeKeyValue(key, value));
  const scope = new ProtobufWriter().string(1, request.scope.name).string(2, request.scope.version).finish();
  const scopeSpans = new ProtobufWriter().bytesField(1, scope);
  for (const span of request.spans) scopeSpans.bytesField(2, encodeSpan(span));
  const resourceSpans = new ProtobufWriter()
    .bytesField(1, resource.finish())
    .bytesField(2, scopeSpans.finish())
    .finish();
  return new ProtobufWriter().bytesField(1, resourceSpans).finish();
}
