import type { AttributeValue, OtlpSpan } from '@llmops/mlflow-client';
import type { PipelineTrace } from '../../application/pipeline.js';
import { spanIdOf } from '../../application/span-id.js';
import { requestAttributes, splitProvider } from '../trace-span-facts.js';

/** Nanoseconds since the epoch of a time in milliseconds (fractions kept to the microsecond). */
function unixNano(milliseconds: number): bigint {
  return BigInt(Math.round(milliseconds * 1000)) * 1000n;
}

/**
 * OpenTelemetry's GenAI semantic-convention attributes of the call to the model: operation,
 * provider, model, token usage and finish reason.
 */
function genAiAttributes(trace: PipelineTrace): Record<string, AttributeValue> {
  const { provider, model } = splitProvider(trace.provider);
  const attributes: Record<string, AttributeValue> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': model,
  };
  if (trace.usage) {
    attributes['gen_ai.usage.input_tokens'] = trace.usage.prompt_tokens;
    attributes['gen_ai.usage.output_tokens'] = trace.usage.completion_tokens;
  }
  if (trace.finishReason !== null) attributes['gen_ai.response.finish_reasons'] = [trace.finishReason];
  return attributes;
}

/**
 * The spans an OTLP collector gets for one served request: a root span `chat.completions <model>`
 * over the whole request with the request's facts (`llmops.*`, and the attributes a deployment's
 * step added), and each pipeline step (`resolve`, `retrieve`, `guard_input`, `generate`,
 * `guard_output`, and any a step adds) under its parent (the root, or the step it ran inside: an agent's turn inside
 * its run), with the step's own attributes. The `generate`
 * span also carries OpenTelemetry's `gen_ai.*` attributes. Span ids are the ones the MLflow sink
 * uses (derived from the trace id). No message text is sent.
 */
export function toOtlpSpans(trace: PipelineTrace): OtlpSpan[] {
  const rootSpanId = spanIdOf(trace.traceId, 0);
  const root: OtlpSpan = {
    traceId: trace.traceId,
    spanId: rootSpanId,
    name: `chat.completions ${trace.model}`,
    startTimeUnixNano: unixNano(trace.startTimeMs),
    endTimeUnixNano: unixNano(trace.endTimeMs),
    attributes: { ...trace.attributes, ...requestAttributes(trace) },
    status:
      trace.status === 'ok'
        ? { code: 'OK' }
        : { code: 'ERROR', ...(trace.error ? { message: `${trace.error.code}: ${trace.error.message}` } : {}) },
  };
  const children = trace.spans.map((span, index): OtlpSpan => ({
    traceId: trace.traceId,
    spanId: span.spanId ?? spanIdOf(trace.traceId, index + 1),
    parentSpanId: span.parentSpanId ?? rootSpanId,
    name: span.name,
    startTimeUnixNano: unixNano(span.startTimeMs),
    endTimeUnixNano: unixNano(span.endTimeMs),
    attributes: span.name === 'generate' ? { ...span.attributes, ...genAiAttributes(trace) } : { ...span.attributes },
    status: { code: span.status === 'ok' ? 'OK' : 'ERROR' },
  }));
  return [root, ...children];
}
