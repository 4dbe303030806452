import type { RequestEvent } from '../../domain/request-event.js';

/**
 * The prefix of the tags a request event puts on its MLflow trace. Its own namespace: the trace sink already sets
 * `llmops.status` (`ok`/`error`), which means something else than the event's HTTP status.
 */
export const eventTagPrefix = 'llmops.event.';

/**
 * The MLflow trace tags of one request event (all values strings, as MLflow keeps tags): status, outcome,
 * endpoint, latency, tokens, cost, cache, guardrail findings, citations, top retrieval score, topic, cited sources and the question's hash.
 * Never the question's text, even when the deployment keeps it in the SQLite store.
 */
export function eventTraceTags(event: RequestEvent): Record<string, string> {
  const tags: Record<string, string> = {
    [`${eventTagPrefix}status`]: String(event.status),
    [`${eventTagPrefix}completed`]: String(event.completed),
    [`${eventTagPrefix}refused`]: String(event.refused),
    [`${eventTagPrefix}latency_ms`]: String(Math.round(event.latencyMs)),
    [`${eventTagPrefix}question_hash`]: event.questionHash,
  };
  const optional: Record<string, string | number | undefined> = {
    error_code: event.errorCode,
    key_limit: event.keyLimit,
    key_id: event.keyId,
    upstream_latency_ms: event.upstreamLatencyMs === undefined ? undefined : Math.round(event.upstreamLatencyMs),
    input_tokens: event.inputTokens,
    output_tokens: event.outputTokens,
    cost_usd: event.costUsd,
    cache: event.cache,
    citations: event.citations,
    top_retrieval_score: event.topRetrievalScore,
    topic: event.topic,
    fallback_from: event.fallbackFrom,
    endpoint: event.endpoint,
  };
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) tags[`${eventTagPrefix}${name}`] = String(value);
  }
  if (event.guardrails.length > 0) {
    // `side:category:action`, one per finding, so `LIKE '%:violence:%'` finds a category.
    tags[`${eventTagPrefix}guardrails`] = event.guardrails
      .map((verdict) => `${verdict.side}:${verdict.category}:${verdict.action}`)
      .join(',');
  }
  // A JSON array, so a source name holding a comma stays one source; `LIKE '%"refunds.md"%'` finds one.
  if (event.citedSources !== undefined) tags[`${eventTagPrefix}cited_sources`] = JSON.stringify(event.citedSources);
  return tags;
}
