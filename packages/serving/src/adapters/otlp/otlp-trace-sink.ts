import { createRequire } from 'node:module';
import type * as OtelCore from '@opentelemetry/core';
import type * as OtlpProtoExporter from '@opentelemetry/exporter-trace-otlp-proto';
import { LlmopsError } from '@llmops/kernel';
import { toReadableSpans } from '@llmops/mlflow-client';
import type { PipelineTrace } from '../../application/pipeline.js';
import type { TraceSink } from '../../ports.js';
import type { OtlpCollectorSettings } from './otlp-collector-settings.js';
import { toOtlpSpans } from './otlp-trace-spans.js';

// OpenTelemetry's exporter (about 150 modules) is loaded when a sink is made, not by every process that imports serving.
const requireFromHere = createRequire(import.meta.url);

/** Options of {@link OtlpTraceSink}. */
export interface OtlpTraceSinkOptions extends OtlpCollectorSettings {
  /** Longest time one export may take, retries included, in ms; 10,000 by default. */
  timeoutMs?: number;
  /** The resource's `service.name`; `llmops` by default. */
  serviceName?: string;
}

/**
 * Exports served traces to an OTLP/HTTP collector (protobuf) with OpenTelemetry's own exporter
 * (`@opentelemetry/exporter-trace-otlp-proto`): one export request per batch, the spans of
 * {@link toOtlpSpans}, the configured headers sent to the collector's URL only (Node's HTTP client
 * follows no redirect). The exporter retries what OTLP says is retryable (429, 502, 503, 504,
 * network errors) with back-off within the timeout. Note that the exporter also applies the
 * standard `OTEL_EXPORTER_OTLP_*` variables of the process (headers, compression) the way every
 * OpenTelemetry SDK does.
 */
export class OtlpTraceSink implements TraceSink {
  /** The collector's URL without credentials or query, for messages. */
  readonly location: string;
  private readonly exporter: OtlpProtoExporter.OTLPTraceExporter;
  private readonly serviceName: string;

  constructor(options: OtlpTraceSinkOptions) {
    const url = new URL(options.url);
    this.location = `${url.origin}${url.pathname}`;
    this.serviceName = options.serviceName ?? 'llmops';
    const { OTLPTraceExporter } = requireFromHere(
      '@opentelemetry/exporter-trace-otlp-proto',
    ) as typeof OtlpProtoExporter;
    this.exporter = new OTLPTraceExporter({
      url: options.url,
      headers: { ...options.headers },
      timeoutMillis: options.timeoutMs ?? 10_000,
    });
  }

  /**
   * Exports a batch of traces in one request.
   * @throws LlmopsError `upstream_error` when the collector refused the batch or could not be reached in time
   * (the message says where and why, never the headers).
   */
  async write(traces: readonly PipelineTrace[]): Promise<void> {
    if (traces.length === 0) return;
    const spans = toReadableSpans({
      resourceAttributes: { 'service.name': this.serviceName },
      scope: { name: '@llmops/serving', version: '0.1.0' },
      spans: traces.flatMap(toOtlpSpans),
    });
    const result = await new Promise<OtelCore.ExportResult>((resolve) => this.exporter.export(spans, resolve));
    const { ExportResultCode } = requireFromHere('@opentelemetry/core') as typeof OtelCore;
    if (result.code === ExportResultCode.SUCCESS) return;
    throw new LlmopsError(
      'upstream_error',
      `OTLP collector at ${this.location} did not take ${traces.length} traces: ${result.error?.message ?? 'export failed'}`,
      { cause: result.error },
    );
  }

  /** Waits for the export in flight, then stops the exporter; later writes fail. */
  async close(): Promise<void> {
    await this.exporter.shutdown();
  }
}
