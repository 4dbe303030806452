import type { RequestEvent } from '../domain/request-event.js';

/** A served request's event as the monitoring step records it, with the fields given changed. */
export function requestEvent(overrides: Partial<RequestEvent> = {}): RequestEvent {
  return {
    at: Date.UTC(2026, 10, 29, 10, 0, 0),
    requestId: 'req-1',
    modelRef: 'support-rag@champion',
    modelName: 'support-rag',
    modelVersion: 3,
    status: 200,
    stream: false,
    completed: true,
    latencyMs: 120,
    upstreamLatencyMs: 80,
    inputTokens: 400,
    outputTokens: 60,
    costUsd: 0.0012,
    guardrails: [],
    citations: 2,
    topRetrievalScore: 0.71,
    refused: false,
    questionHash: 'a'.repeat(64),
    ...overrides,
  };
}
