import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

/**
 * The messages of `opentelemetry/proto/collector/trace/v1` an OTLP/HTTP trace export carries
 * (field numbers as the OpenTelemetry protocol defines them; events and links are left out, so a
 * decoder skips them).
 */
const otlpTraceProto = `
syntax = "proto3";
package otlp;
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
message Resource { repeated KeyValue attributes = 1; }
message Status { string message = 2; int32 code = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  Status status = 15;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;

const exportRequestType = protobuf.parse(otlpTraceProto).root.lookupType('otlp.ExportTraceServiceRequest');

/** A decoded attribute value: objects for key-value lists, arrays for array values, bigint-free numbers. */
export type DecodedValue = string | number | boolean | null | DecodedValue[] | { [key: string]: DecodedValue };

/** One span of a decoded export request. */
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  /** Absent on a root span. */
  parentSpanId?: string;
  name: string;
  /** OTLP `SpanKind` (1 is `INTERNAL`). */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, DecodedValue>;
  /** OTLP `StatusCode`: 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  resourceAttributes: Record<string, DecodedValue>;
  scope: { name: string; version: string };
}

interface WireKeyValue {
  key: string;
  value?: Record<string, unknown>;
}

function hexOf(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? []).toString('hex');
}

function valueOf(wire: Record<string, unknown> | undefined): DecodedValue {
  if (!wire) return null;
  if ('stringValue' in wire) return wire['stringValue'] as string;
  if ('boolValue' in wire) return wire['boolValue'] as boolean;
  if ('intValue' in wire) return Number(String(wire['intValue']));
  if ('doubleValue' in wire) return wire['doubleValue'] as number;
  if ('arrayValue' in wire) {
    const values = ((wire['arrayValue'] as { values?: Array<Record<string, unknown>> }).values ?? []).map(valueOf);
    return values;
  }
  if ('kvlistValue' in wire) return attributesOf((wire['kvlistValue'] as { values?: WireKeyValue[] }).values);
  if ('bytesValue' in wire) return hexOf(wire['bytesValue'] as Uint8Array);
  return null;
}

function attributesOf(list: WireKeyValue[] | undefined): Record<string, DecodedValue> {
  return Object.fromEntries((list ?? []).map((pair) => [pair.key, valueOf(pair.value)]));
}

interface WireSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string;
  kind?: number;
  startTimeUnixNano?: { toString(): string };
  endTimeUnixNano?: { toString(): string };
  attributes?: WireKeyValue[];
  status?: { code?: number; message?: string };
}

interface WireRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: WireKeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string; version?: string }; spans?: WireSpan[] }>;
  }>;
}

/**
 * Decodes an OTLP `ExportTraceServiceRequest` (protobuf) into its spans, each with its resource's
 * attributes and its scope, ids as lowercase hex and times as bigint nanoseconds.
 * @throws Error when the bytes are not such a message.
 */
export function decodeExportTraceRequest(body: Uint8Array): DecodedSpan[] {
  const request = exportRequestType.toObject(exportRequestType.decode(body), { oneofs: false }) as WireRequest;
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const resourceAttributes = attributesOf(resourceSpans.resource?.attributes);
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span): DecodedSpan => {
        const parentSpanId = hexOf(span.parentSpanId);
        return {
          traceId: hexOf(span.traceId),
          spanId: hexOf(span.spanId),
          ...(parentSpanId ? { parentSpanId } : {}),
          name: span.name ?? '',
          kind: span.kind ?? 0,
          startTimeUnixNano: BigInt(String(span.startTimeUnixNano ?? 0)),
          endTimeUnixNano: BigInt(String(span.endTimeUnixNano ?? 0)),
          attributes: attributesOf(span.attributes),
          status: {
            code: span.status?.code ?? 0,
            ...(span.status?.message ? { message: span.status.message } : {}),
          },
          resourceAttributes,
          scope: { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version ?? '' },
        };
      }),
    );
  });
}

/** One export request an {@link OtlpCollector} received. */
export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
  /** The decoded spans; empty when the body did not decode (see `decodeError`). */
  spans: DecodedSpan[];
  decodeError?: string;
}

/** A local OTLP/HTTP trace collector for tests. */
export interface OtlpCollector {
  /** `http://127.0.0.1:<port>/v1/traces`. */
  url: string;
  /** Every export received, in order (also the ones answered with a failure status). */
  received: ReceivedExport[];
  /** The spans of every export received. */
  spans(): DecodedSpan[];
  /** The HTTP status of the next answers (200 by default; 400 for example to refuse without retries). */
  answerWith(status: number): void;
  close(): Promise<void>;
}

/**
 * Starts an OTLP/HTTP collector on a free loopback port: it decodes each `POST` body as an
 * `ExportTraceServiceRequest`, keeps it with the request's headers, and answers with an empty
 * `ExportTraceServiceResponse` (or the status set by `answerWith`).
 */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const received: ReceivedExport[] = [];
  let status = 200;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: ReceivedExport = { path: request.url ?? '', headers: request.headers, spans: [] };
      try {
        entry.spans = decodeExportTraceRequest(Buffer.concat(chunks));
      } catch (error) {
        entry.decodeError = error instanceof Error ? error.message : String(error);
      }
      received.push(entry);
      response.writeHead(status, { 'content-type': 'application/x-protobuf' });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    received,
    spans: () => received.flatMap((entry) => entry.spans),
    answerWith: (next) => {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
