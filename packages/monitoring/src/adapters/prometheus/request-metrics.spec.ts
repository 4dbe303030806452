import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordMetricsTraffic } from '../../__fixtures__/metrics-traffic.js';
import { requestEvent } from '../../__fixtures__/request-events.js';
import { RequestMetrics } from './request-metrics.js';

/** The value of one sample line of a scrape (`name{labels} value`), or undefined when absent. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('RequestMetrics', () => {
  it('writes, for traffic touching every series, byte for byte the scrape prom-client’s own counters and histograms wrote', async () => {
    // The fixture is the scrape of this traffic when every series was a prom-client Counter or Histogram (issue 13
    // moved them to plain objects read at scrape time); a scrape between the halves must change nothing after it.
    const metrics = new RequestMetrics({ processMetrics: false });
    recordMetricsTraffic(metrics, 'first');
    await metrics.scrape();
    recordMetricsTraffic(metrics, 'second');

    const expected = readFileSync(join(import.meta.dirname, '../../__fixtures__/metrics-traffic.prom'), 'utf8');
    expect(await metrics.scrape()).toBe(expected);
  });

  it('counts requests, latency, tokens, cost, refusals, blocks and upstream errors per model version', async () => {
    const metrics = new RequestMetrics({ processMetrics: false });
    metrics.record(requestEvent({ latencyMs: 120, upstreamLatencyMs: 80 }));
    metrics.record(requestEvent({ latencyMs: 700, upstreamLatencyMs: 650, cache: 'hit' }));
    metrics.record(
      requestEvent({
        refused: true,
        cache: 'miss',
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        guardrails: [
          { side: 'input', category: 'violence', rule: 'a', action: 'block' },
          { side: 'input', category: 'violence', rule: 'b', action: 'block' },
          { side: 'input', category: 'email', action: 'redact' },
        ],
      }),
    );
    metrics.record(requestEvent({ status: 502, errorCode: 'upstream_error', modelVersion: 2 }));
    metrics.record(requestEvent({ status: 404, errorCode: 'not_found', modelName: 'ghost', modelVersion: null }));
    const text = await metrics.scrape();
    const v3 = 'model="support-rag",version="3"';
    expect(sample(text, `llmops_requests_total{${v3},status="200",endpoint="chat"}`)).toBe(3);
    expect(sample(text, 'llmops_requests_total{model="support-rag",version="2",status="502",endpoint="chat"}')).toBe(1);
    expect(sample(text, 'llmops_requests_total{model="ghost",version="",status="404",endpoint="chat"}')).toBe(1);
    expect(sample(text, `llmops_request_duration_seconds_bucket{le="0.5",${v3},endpoint="chat"}`)).toBe(2);
    expect(sample(text, `llmops_request_duration_seconds_count{${v3},endpoint="chat"}`)).toBe(3);
    expect(sample(text, `llmops_upstream_duration_seconds_bucket{le="0.5",${v3},endpoint="chat"}`)).toBe(2);
    expect(sample(text, `llmops_tokens_total{${v3},direction="input",endpoint="chat"}`)).toBe(800);
    expect(sample(text, `llmops_tokens_total{${v3},direction="output",endpoint="chat"}`)).toBe(120);
    expect(sample(text, `llmops_cost_usd_total{${v3},endpoint="chat"}`)).toBeCloseTo(0.0024, 10);
    expect(sample(text, `llmops_cache_lookups_total{${v3},result="hit"}`)).toBe(1);
    expect(sample(text, `llmops_cache_hit_ratio{${v3}}`)).toBe(0.5);
    expect(sample(text, `llmops_refusals_total{${v3}}`)).toBe(1);
    expect(sample(text, `llmops_guardrail_blocks_total{${v3},side="input",category="violence"}`)).toBe(1);
    expect(sample(text, `llmops_guardrail_blocks_total{${v3},side="input",category="email"}`)).toBeUndefined();
    expect(sample(text, 'llmops_upstream_errors_total{model="support-rag",version="2",code="upstream_error"}')).toBe(1);
    expect(text).not.toContain('code="not_found"');
  });

  it('labels the per-request series with the endpoint, so embeddings calls are told from chat answers', async () => {
    const metrics = new RequestMetrics({ processMetrics: false });
    metrics.record(requestEvent({ endpoint: 'chat', latencyMs: 120 }));
    metrics.record(requestEvent({ endpoint: 'embeddings', latencyMs: 30, outputTokens: 0, costUsd: 0.0001 }));
    metrics.record(requestEvent({ endpoint: 'embeddings', latencyMs: 40, outputTokens: 0, costUsd: 0.0001 }));
    const text = await metrics.scrape();
    const v3 = 'model="support-rag",version="3"';
    expect(sample(text, `llmops_requests_total{${v3},status="200",endpoint="chat"}`)).toBe(1);
    expect(sample(text, `llmops_requests_total{${v3},status="200",endpoint="embeddings"}`)).toBe(2);
    expect(sample(text, `llmops_request_duration_seconds_count{${v3},endpoint="embeddings"}`)).toBe(2);
    expect(sample(text, `llmops_request_duration_seconds_bucket{le="0.05",${v3},endpoint="embeddings"}`)).toBe(2);
    expect(sample(text, `llmops_tokens_total{${v3},direction="input",endpoint="embeddings"}`)).toBe(800);
    expect(sample(text, `llmops_tokens_total{${v3},direction="output",endpoint="embeddings"}`)).toBeUndefined();
    expect(sample(text, `llmops_cost_usd_total{${v3},endpoint="embeddings"}`)).toBeCloseTo(0.0002, 10);
  });

  it('counts redactions by side and category, one per value replaced', async () => {
    const metrics = new RequestMetrics({ processMetrics: false });
    metrics.record(
      requestEvent({
        guardrails: [
          { side: 'input', category: 'email', rule: 'pii.email', action: 'redact', count: 2 },
          { side: 'input', category: 'email', rule: 'pii.email.obfuscated', action: 'redact', count: 1 },
          { side: 'output', category: 'phone', rule: 'pii.phone.national', action: 'redact' },
          { side: 'input', category: 'phone', rule: 'pii.phone.national', action: 'flag', count: 4 },
        ],
      }),
    );
    metrics.record(
      requestEvent({ guardrails: [{ side: 'input', category: 'email', rule: 'pii.email', action: 'redact' }] }),
    );
    const text = await metrics.scrape();
    const v3 = 'model="support-rag",version="3"';
    expect(sample(text, `llmops_guardrail_redactions_total{${v3},side="input",category="email"}`)).toBe(4);
    expect(sample(text, `llmops_guardrail_redactions_total{${v3},side="output",category="phone"}`)).toBe(1);
    // A flag is not a redaction: it is counted as a flag.
    expect(sample(text, `llmops_guardrail_redactions_total{${v3},side="input",category="phone"}`)).toBeUndefined();
    expect(sample(text, `llmops_guardrail_flags_total{${v3},side="input",category="phone"}`)).toBe(4);
  });

  it('counts flags by side and category, a guard model that failed open among them', async () => {
    const metrics = new RequestMetrics({ processMetrics: false });
    metrics.record(
      requestEvent({
        guardrails: [
          { side: 'input', category: 'guard_unavailable', rule: 'moderation.timeout', action: 'flag' },
          { side: 'output', category: 'guard_unavailable', rule: 'moderation.upstream_error', action: 'flag' },
        ],
      }),
    );
    const text = await metrics.scrape();
    const v3 = 'model="support-rag",version="3"';
    expect(sample(text, `llmops_guardrail_flags_total{${v3},side="input",category="guard_unavailable"}`)).toBe(1);
    expect(sample(text, `llmops_guardrail_flags_total{${v3},side="output",category="guard_unavailable"}`)).toBe(1);
    expect(
      sample(text, `llmops_guardrail_blocks_total{${v3},side="input",category="guard_unavailable"}`),
    ).toBeUndefined();
  });

  it('reports the event queue’s depth, writes, drops and abandons at each scrape', async () => {
    let stats = { queued: 4, written: 10, dropped: 0, abandoned: 0 };
    const metrics = new RequestMetrics({ processMetrics: false, queueStats: () => stats });
    expect(sample(await metrics.scrape(), 'llmops_event_queue_depth')).toBe(4);
    stats = { queued: 0, written: 14, dropped: 3, abandoned: 2 };
    const text = await metrics.scrape();
    expect(sample(text, 'llmops_event_queue_depth')).toBe(0);
    expect(sample(text, 'llmops_events_written_total')).toBe(14);
    expect(sample(text, 'llmops_events_dropped_total')).toBe(3);
    expect(sample(text, 'llmops_events_abandoned_total')).toBe(2);
  });

  it('reports the trace export queues by destination at each scrape, and none when not given', async () => {
    let queues: Record<string, { queued: number; written: number; dropped: number; abandoned: number }> = {
      store: { queued: 2, written: 5, dropped: 0, abandoned: 0 },
    };
    const metrics = new RequestMetrics({ processMetrics: false, traceQueues: () => queues });
    expect(sample(await metrics.scrape(), 'llmops_trace_queue_depth{destination="store"}')).toBe(2);
    queues = {
      store: { queued: 0, written: 7, dropped: 1, abandoned: 0 },
      collector: { queued: 3, written: 4, dropped: 9, abandoned: 6 },
    };
    const text = await metrics.scrape();
    expect(sample(text, 'llmops_trace_queue_depth{destination="store"}')).toBe(0);
    expect(sample(text, 'llmops_traces_written_total{destination="store"}')).toBe(7);
    expect(sample(text, 'llmops_traces_dropped_total{destination="store"}')).toBe(1);
    expect(sample(text, 'llmops_trace_queue_depth{destination="collector"}')).toBe(3);
    expect(sample(text, 'llmops_traces_written_total{destination="collector"}')).toBe(4);
    expect(sample(text, 'llmops_traces_dropped_total{destination="collector"}')).toBe(9);
    expect(sample(text, 'llmops_traces_abandoned_total{destination="collector"}')).toBe(6);
    const without = await new RequestMetrics({ processMetrics: false }).scrape();
    expect(without).not.toContain('llmops_traces_written_total');
  });

  it('keeps each instance in its own registry, process metrics included', async () => {
    const first = new RequestMetrics();
    const second = new RequestMetrics();
    first.record(requestEvent());
    expect(
      sample(
        await first.scrape(),
        'llmops_requests_total{model="support-rag",version="3",status="200",endpoint="chat"}',
      ),
    ).toBe(1);
    const secondText = await second.scrape();
    expect(secondText).not.toContain('llmops_requests_total{');
    expect(secondText).toContain('process_cpu_seconds_total');
    expect(first.contentType).toContain('text/plain');
  });
});
