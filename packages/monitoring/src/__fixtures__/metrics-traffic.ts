import type { RequestMetrics } from '../adapters/prometheus/request-metrics.js';
import type { OnlineSample } from '../ports.js';
import { requestEvent } from './request-events.js';

/** An online evaluation sample of a model version. */
function sample(modelName: string, modelVersion: number | null): OnlineSample {
  return {
    requestId: `req-${modelName}`,
    eventAt: Date.UTC(2026, 10, 29, 10, 0, 0),
    modelName,
    modelVersion,
    question: 'How long do refunds take?',
    answer: 'Five working days.',
    retrievalContext: [],
  };
}

/**
 * Traffic that touches every series {@link RequestMetrics} keeps, in two halves (`first`, then `second`) so a test can
 * scrape between them: several models and versions (one without a version), both endpoints, errors, fallbacks, cache
 * hits, misses and bypasses, refusals, guardrail blocks, redactions and flags, latencies on and past the bucket bounds,
 * costs that add up in floating point, and online evaluation (scores on a bound, a NaN left out, drops and failures).
 */
export function recordMetricsTraffic(metrics: RequestMetrics, half: 'first' | 'second'): void {
  if (half === 'first') {
    metrics.record(requestEvent({ latencyMs: 5, upstreamLatencyMs: 4 }));
    metrics.record(requestEvent({ latencyMs: 120, upstreamLatencyMs: 80, costUsd: 0.1 }));
    metrics.record(requestEvent({ latencyMs: 500, upstreamLatencyMs: 499.9, costUsd: 0.2, cache: 'miss' }));
    metrics.record(requestEvent({ latencyMs: 31_000, upstreamLatencyMs: 30_000, cache: 'hit', cacheSavedCostUsd: 0.3 }));
    metrics.record(requestEvent({ endpoint: 'embeddings', latencyMs: 30, outputTokens: 0, costUsd: 0.0001 }));
    metrics.record(requestEvent({ modelName: 'ghost', modelVersion: null, status: 404, errorCode: 'not_found' }));
    metrics.record(
      requestEvent({
        modelVersion: 2,
        status: 502,
        errorCode: 'upstream_error',
        upstreamLatencyMs: undefined,
        inputTokens: 0,
        outputTokens: undefined,
        costUsd: undefined,
      }),
    );
    metrics.record(requestEvent({ modelVersion: 4, fallbackFrom: 'support-rag/2', cache: 'bypass' }));
    metrics.record(
      requestEvent({
        refused: true,
        guardrails: [
          { side: 'input', category: 'violence', rule: 'a', action: 'block' },
          { side: 'input', category: 'violence', rule: 'b', action: 'block' },
          { side: 'input', category: 'email', action: 'redact', count: 2 },
          { side: 'output', category: 'guard_unavailable', action: 'flag' },
        ],
      }),
    );
    metrics.scored(sample('support-rag', 3), {
      scores: { faithfulness: 0.9, relevancy: 1, broken: Number.NaN },
      judge: 'offline',
      judgeKind: 'code',
    });
    metrics.dropped(sample('support-rag', 3), 'budget');
    return;
  }
  metrics.record(requestEvent({ modelName: 'chat-bot', modelVersion: 1, status: 504, errorCode: 'timeout' }));
  metrics.record(requestEvent({ latencyMs: 2_500, upstreamLatencyMs: 2_400, costUsd: 0.1 }));
  metrics.record(requestEvent({ endpoint: 'embeddings', latencyMs: 40, outputTokens: 0, costUsd: 0.0002 }));
  metrics.record(
    requestEvent({
      modelVersion: 2,
      guardrails: [{ side: 'output', category: 'phone', rule: 'pii.phone', action: 'redact' }],
    }),
  );
  metrics.scored(sample('chat-bot', null), { scores: { faithfulness: 0.05 }, judge: 'offline', judgeKind: 'code' });
  metrics.failed(sample('support-rag', 3));
  metrics.dropped(sample('support-rag', 3), 'queue_full');
}
