import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import type * as OtlpTransformer from '@opentelemetry/otlp-transformer';
import type * as OtelResources from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { LlmopsError } from '@llmops/kernel';

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

// OpenTelemetry (about 150 modules, 0.1 s of CPU) is loaded when spans are first encoded, not by every process that
// imports the client; `require`, because encoding is synchronous.
const requireFromHere = createRequire(import.meta.url);

const nanosPerSecond = 1_000_000_000n;

/**
 * Checks a hex id of the given byte length (OpenTelemetry's serializer does not).
 * @throws LlmopsError `invalid_input` naming `field` when it is not `bytes * 2` lowercase hex characters, or all zero.
 */
export function checkHexId(hex: string, options: { bytes: number; field: string }): string {
  if (!new RegExp(`^[0-9a-f]{${options.bytes * 2}}$`).test(hex) || /^0+$/.test(hex)) {
    throw new LlmopsError(
      'invalid_input',
      `${options.field} "${hex}" is not ${options.bytes * 2} lowercase hex characters (and not all zero)`,
    );
  }
  return hex;
}

function toHrTime(unixNano: bigint): HrTime {
  return [Number(unixNano / nanosPerSecond), Number(unixNano % nanosPerSecond)];
}

function definedAttributes(attributes: Record<string, AttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(attributes).filter((entry) => entry[1] !== undefined));
}

/**
 * The spans of an export as OpenTelemetry SDK spans (`ReadableSpan`, kind `INTERNAL`, sampled),
 * sharing one resource and one instrumentation scope, for OpenTelemetry's exporters and serializers.
 * Attributes that are objects stay objects: OpenTelemetry encodes them as OTLP key-value lists.
 * @throws LlmopsError `invalid_input` for a malformed trace, span or parent id.
 */
export function toReadableSpans(request: OtlpExport): ReadableSpan[] {
  const {
    SpanKind,
    SpanStatusCode: OtelStatusCode,
    TraceFlags,
  } = requireFromHere('@opentelemetry/api') as typeof OtelApi;
  const { resourceFromAttributes } = requireFromHere('@opentelemetry/resources') as typeof OtelResources;
  const statusCodes: Record<SpanStatusCode, OtelApi.SpanStatusCode> = {
    UNSET: OtelStatusCode.UNSET,
    OK: OtelStatusCode.OK,
    ERROR: OtelStatusCode.ERROR,
  };
  const resource = resourceFromAttributes(definedAttributes(request.resourceAttributes));
  const instrumentationScope = { name: request.scope.name, version: request.scope.version };
  return request.spans.map((span): ReadableSpan => {
    const context = {
      traceId: checkHexId(span.traceId, { bytes: 16, field: 'traceId' }),
      spanId: checkHexId(span.spanId, { bytes: 8, field: 'spanId' }),
      traceFlags: TraceFlags.SAMPLED,
    };
    const parentSpanContext =
      span.parentSpanId === undefined
        ? undefined
        : {
            traceId: context.traceId,
            spanId: checkHexId(span.parentSpanId, { bytes: 8, field: 'parentSpanId' }),
            traceFlags: TraceFlags.SAMPLED,
          };
    return {
      name: span.name,
      kind: SpanKind.INTERNAL,
      spanContext: () => context,
      ...(parentSpanContext ? { parentSpanContext } : {}),
      startTime: toHrTime(span.startTimeUnixNano),
      endTime: toHrTime(span.endTimeUnixNano),
      duration: toHrTime(span.endTimeUnixNano - span.startTimeUnixNano),
      status: {
        code: statusCodes[span.status.code],
        ...(span.status.message === undefined ? {} : { message: span.status.message }),
      },
      attributes: definedAttributes(span.attributes),
      links: [],
      events: [],
      ended: true,
      resource,
      instrumentationScope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  });
}

/**
 * Encodes an OTLP `ExportTraceServiceRequest` (opentelemetry/proto/collector/trace/v1) with one
 * resource and one instrumentation scope, for `POST /v1/traces` with `application/x-protobuf`,
 * by OpenTelemetry's own protobuf serializer (`@opentelemetry/otlp-transformer`).
 * @throws LlmopsError `invalid_input` for a malformed trace, span or parent id.
 */
export function encodeExportTraceRequest(request: OtlpExport): Uint8Array {
  const { ProtobufTraceSerializer } = requireFromHere('@opentelemetry/otlp-transformer') as typeof OtlpTransformer;
  const encoded = ProtobufTraceSerializer.serializeRequest(toReadableSpans(request));
  if (!encoded) throw new LlmopsError('internal', 'OpenTelemetry serialized no OTLP export request');
  return encoded;
}
