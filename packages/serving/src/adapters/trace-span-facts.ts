import type { PipelineTrace } from '../application/pipeline.js';

/** The value of one request fact. */
type FactValue = string | number | boolean;

/** `provider/model` split at the first `/` (`openai/meta-llama/x` → `openai`, `meta-llama/x`). */
export function splitProvider(provider: string): { provider: string; model: string } {
  const slash = provider.indexOf('/');
  return slash > 0
    ? { provider: provider.slice(0, slash), model: provider.slice(slash + 1) }
    : { provider, model: provider };
}

/**
 * The request's facts as root span attributes under `llmops.*` (numbers stay numbers): model,
 * pipeline, provider, status, tokens, cost, latency breakdown, citations count, finish reason,
 * request id, error code and message. Never message text.
 */
export function requestAttributes(trace: PipelineTrace): Record<string, FactValue> {
  const attributes: Record<string, FactValue> = {
    'llmops.model': trace.model,
    'llmops.pipeline': trace.pipeline,
    'llmops.provider': trace.provider,
    'llmops.status': trace.status,
    'llmops.prompt_tokens': trace.usage?.prompt_tokens ?? trace.promptTokens,
    'llmops.completed': trace.completed,
    'llmops.citations': trace.citations.length,
    'llmops.latency.retrieve_ms': trace.latencyMs.retrieve,
    'llmops.latency.guard_ms': trace.latencyMs.guard,
    'llmops.latency.generate_ms': trace.latencyMs.generate,
    'llmops.latency.total_ms': trace.latencyMs.total,
    'llmops.latency.overhead_ms': trace.latencyMs.overhead,
  };
  if (trace.usage) {
    attributes['llmops.completion_tokens'] = trace.usage.completion_tokens;
    attributes['llmops.total_tokens'] = trace.usage.total_tokens;
  }
  if (trace.costUsd !== null) attributes['llmops.cost_usd'] = trace.costUsd;
  if (trace.finishReason !== null) attributes['llmops.finish_reason'] = trace.finishReason;
  if (trace.requestId !== undefined) attributes['llmops.request_id'] = trace.requestId;
  if (trace.error) {
    attributes['llmops.error.code'] = trace.error.code;
    attributes['llmops.error.message'] = trace.error.message;
  }
  return attributes;
}
