import { LlmopsError } from '@llmops/kernel';
import type { PipelineTrace } from './pipeline.js';

/** The environment variable a deployment sets the share of requests whose trace is stored with. */
export const traceSampleRateVariable = 'LLMOPS_TRACE_SAMPLE_RATE';

/** 2^52: the last 13 hex characters of a trace id (52 random bits) read as a whole number are below it. */
const idSpace = 2 ** 52;

/**
 * The share of requests whose trace a deployment stores: `LLMOPS_TRACE_SAMPLE_RATE`, a number from 0 to 1; 1 (every
 * request) when it is unset or empty.
 * @throws LlmopsError `invalid_input` naming the variable, its value and the range expected.
 */
export function traceSampleRateFromEnv(env: Record<string, string | undefined>): number {
  const text = env[traceSampleRateVariable]?.trim();
  if (text === undefined || text === '') return 1;
  const value = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0 && value <= 1))
    throw new LlmopsError(
      'invalid_input',
      `environment variable ${traceSampleRateVariable} is ${JSON.stringify(text.slice(0, 40))}; expected a number from 0 to 1 (the share of requests whose trace is stored)`,
    );
  return value;
}

/**
 * Whether the trace with this id is sampled at `rate`: its last 52 bits (random in a UUIDv7-shaped id), read as a
 * fraction, fall under the rate. It depends on the id only, so every replica decides alike (as OpenTelemetry's
 * TraceIdRatioBased), and a request knows it when it starts (its `TraceRecorder` records no span ids for an unsampled one).
 */
export function isTraceIdSampled(traceId: string, rate: number): boolean {
  return rate >= 1 || Number.parseInt(traceId.slice(-13), 16) / idSpace < rate;
}

/**
 * Whether a trace is stored at `rate`: always when the request failed or a guardrail blocked it (what operators look
 * for), else when its id is sampled ({@link isTraceIdSampled}).
 */
export function isTraceKept(trace: Pick<PipelineTrace, 'traceId' | 'status' | 'blocked'>, rate: number): boolean {
  return trace.status === 'error' || trace.blocked !== undefined || isTraceIdSampled(trace.traceId, rate);
}
