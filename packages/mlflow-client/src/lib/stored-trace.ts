import { z } from 'zod';
import { traceInfoSchema } from './trace-info.js';

/** An OpenTelemetry `AnyValue` as protobuf JSON writes it (int64 as a string, nested arrays and key-value lists). */
type WireAnyValue = {
  string_value?: string;
  bool_value?: boolean;
  int_value?: string | number;
  double_value?: number;
  array_value?: { values?: WireAnyValue[] };
  kvlist_value?: { values?: Array<{ key: string; value?: WireAnyValue }> };
};

const anyValueSchema: z.ZodType<WireAnyValue> = z.lazy(() =>
  z.object({
    string_value: z.string().optional(),
    bool_value: z.boolean().optional(),
    int_value: z.union([z.string(), z.number()]).optional(),
    double_value: z.number().optional(),
    array_value: z.object({ values: z.array(anyValueSchema).optional() }).optional(),
    kvlist_value: z
      .object({ values: z.array(z.object({ key: z.string(), value: anyValueSchema.optional() })).optional() })
      .optional(),
  }),
);

/** The plain value of an `AnyValue` (`null` for an empty one). */
function plainValue(value: WireAnyValue | undefined): unknown {
  if (value === undefined) return null;
  if (value.string_value !== undefined) return value.string_value;
  if (value.bool_value !== undefined) return value.bool_value;
  if (value.int_value !== undefined) return Number(value.int_value);
  if (value.double_value !== undefined) return value.double_value;
  if (value.array_value) return (value.array_value.values ?? []).map(plainValue);
  if (value.kvlist_value)
    return Object.fromEntries((value.kvlist_value.values ?? []).map((entry) => [entry.key, plainValue(entry.value)]));
  return null;
}

/** Protobuf JSON writes `bytes` ids in base64; OpenTelemetry and MLflow's ids are their hex. */
function hexOf(base64: string | undefined): string | undefined {
  return base64 === undefined || base64 === '' ? undefined : Buffer.from(base64, 'base64').toString('hex');
}

/**
 * Nanoseconds since the epoch (an int64 string) in milliseconds, to the microsecond: MLflow keeps span times through a
 * double, so the last digits of the nanoseconds it gives back are noise (`…000999936` for `…001000000`).
 */
function millisecondsOf(nanoseconds: string | number | undefined): number {
  return nanoseconds === undefined ? 0 : Math.round(Number(nanoseconds) / 1000) / 1000;
}

/** The wire shape of a stored span: an OpenTelemetry span in protobuf JSON, as `GET /mlflow/traces/batchGet` answers. */
const storedSpanSchema = z
  .object({
    span_id: z.string().optional(),
    parent_span_id: z.string().optional(),
    name: z.string().optional().default(''),
    start_time_unix_nano: z.union([z.string(), z.number()]).optional(),
    end_time_unix_nano: z.union([z.string(), z.number()]).optional(),
    attributes: z
      .array(z.object({ key: z.string(), value: anyValueSchema.optional() }))
      .optional()
      .default([]),
    status: z.object({ code: z.string().optional(), message: z.string().optional() }).optional().default({}),
  })
  .transform((wire) => ({
    /** 16 hex characters. */
    spanId: hexOf(wire.span_id) ?? '',
    /** The parent's id; absent on the root span. */
    parentSpanId: hexOf(wire.parent_span_id),
    name: wire.name,
    /** Milliseconds since the epoch (fractions kept to the microsecond). */
    startTimeMs: millisecondsOf(wire.start_time_unix_nano),
    endTimeMs: millisecondsOf(wire.end_time_unix_nano),
    /** Attribute values as MLflow keeps them (strings, numbers, booleans, arrays, objects). */
    attributes: Object.fromEntries(wire.attributes.map((attribute) => [attribute.key, plainValue(attribute.value)])),
    /** `OK`, `ERROR` or `UNSET`. */
    status: (wire.status.code ?? 'STATUS_CODE_UNSET').replace(/^STATUS_CODE_/, ''),
    statusMessage: wire.status.message,
  }));

/** A span of a stored trace, as MLflow gives it back. */
export type StoredSpan = z.output<typeof storedSpanSchema>;

/** The wire shape of a trace with its spans (`trace_info` and OpenTelemetry `spans`). */
export const storedTraceSchema = z
  .object({ trace_info: traceInfoSchema, spans: z.array(storedSpanSchema).optional().default([]) })
  .transform((wire) => ({ info: wire.trace_info, spans: wire.spans }));

/** A stored trace: its summary and its spans. */
export type StoredTrace = z.output<typeof storedTraceSchema>;
