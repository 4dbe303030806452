import { collectDefaultMetrics, Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { CountedSeries } from './counted-series.js';
import { ObservedHistogram } from './observed-histogram.js';
import { PrometheusTextRegistry } from './prometheus-text-registry.js';
import type { EventQueueStats } from '../../application/batching-event-queue.js';
import type {
  OnlineDropReason,
  OnlineEvaluationObserver,
} from '../../application/online/online-evaluation-scheduler.js';
import type { RequestEvent } from '../../domain/request-event.js';
import type { EventSink, OnlineEvaluation, OnlineSample } from '../../ports.js';

/** Settings of {@link RequestMetrics}. */
export interface RequestMetricsOptions {
  /**
   * Where the metrics are registered; a new {@link PrometheusTextRegistry} by default (never prom-client's global
   * one).
   */
  registry?: Registry;
  /** The event queue's counters, read at each scrape (queue depth, events written and dropped). */
  queueStats?: () => EventQueueStats;
  /**
   * The counts of the queues that export traces, by destination (`store`: the store's trace store, `collector`: the
   * OTLP collector), read at each scrape (depth, traces written and dropped).
   */
  traceQueues?: () => Readonly<Record<string, EventQueueStats>>;
  /** How many times the response cache's backend failed since start (each request then went on without it). */
  cacheErrors?: () => number;
  /** Calls answered by an in-process fallback while a shared backend (Redis) was unreachable, by backend. */
  backendFallbacks?: () => Readonly<Record<string, number>>;
  /**
   * The circuit breakers of the upstreams serving calls, read at each scrape: `llmops_circuit_breaker_state`
   * (0 closed, 1 half-open, 2 open) and `llmops_circuit_breaker_openings_total`, by upstream.
   */
  circuitBreakers?: () => ReadonlyArray<CircuitBreakerReading>;
  /** Also export Node's process metrics (CPU, memory, event loop lag); true by default. */
  processMetrics?: boolean;
}

/** One circuit breaker's state as serving reports it (monitoring does not import serving: the app passes these). */
export interface CircuitBreakerReading {
  /** The upstream it guards: `provider/model`, and ` at <baseUrl>` when the spec names one. */
  upstream: string;
  state: 'closed' | 'half_open' | 'open';
  /** Times it opened since the process started. */
  openings: number;
}

const breakerStateValues = { closed: 0, half_open: 1, open: 2 } as const;

/** The circuit breakers' states and openings by upstream, read from `circuitBreakers` at each scrape. */
function registerCircuitBreakerMetrics(
  registry: Registry,
  circuitBreakers: () => ReadonlyArray<CircuitBreakerReading>,
) {
  const registers = [registry];
  new Gauge({
    name: 'llmops_circuit_breaker_state',
    help: 'State of the circuit breaker of each upstream model endpoint: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'],
    registers,
    collect() {
      for (const breaker of circuitBreakers())
        this.set({ upstream: breaker.upstream }, breakerStateValues[breaker.state]);
    },
  });
  new Counter({
    name: 'llmops_circuit_breaker_openings_total',
    help: 'Times the circuit breaker of each upstream model endpoint opened',
    labelNames: ['upstream'],
    registers,
    collect() {
      this.reset();
      for (const breaker of circuitBreakers()) this.inc({ upstream: breaker.upstream }, breaker.openings);
    },
  });
}

/** Latency buckets in seconds; 0.5 is there so the P95 < 500 ms objective reads straight off the histogram. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Error codes that mean the model provider failed (not llmops, not the client). */
const upstreamErrorCodes = new Set(['upstream_error', 'timeout']);

const versionLabels = ['model', 'version'] as const;
/** The labels of the per-request series: the version, and the endpoint that served the request (`chat`, `embeddings`). */
const endpointLabels = ['model', 'version', 'endpoint'] as const;

/** Score buckets of online evaluation (scores are in [0, 1]); 0.9 is there for the relevancy objective. */
const scoreBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

function versionOf(sample: OnlineSample): { model: string; version: string } {
  return { model: sample.modelName, version: sample.modelVersion === null ? '' : String(sample.modelVersion) };
}

/** The trace export queues' depth, writes and drops by destination, read from `traceQueues` at each scrape. */
function registerTraceQueueMetrics(
  registry: Registry,
  traceQueues: () => Readonly<Record<string, EventQueueStats>>,
): void {
  const registers = [registry];
  const labelNames = ['destination'] as const;
  new Gauge({
    name: 'llmops_trace_queue_depth',
    help: 'Traces waiting to be exported, by destination (store: the trace store, collector: the OTLP collector)',
    labelNames,
    registers,
    collect() {
      for (const [destination, stats] of Object.entries(traceQueues())) this.set({ destination }, stats.queued);
    },
  });
  new Counter({
    name: 'llmops_traces_written_total',
    help: 'Traces exported, by destination (store: the trace store, collector: the OTLP collector)',
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [destination, stats] of Object.entries(traceQueues())) this.inc({ destination }, stats.written);
    },
  });
  new Counter({
    name: 'llmops_traces_dropped_total',
    help: 'Traces lost, by destination: the queue was full, or the destination refused a batch',
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [destination, stats] of Object.entries(traceQueues())) this.inc({ destination }, stats.dropped);
    },
  });
  new Counter({
    name: 'llmops_traces_abandoned_total',
    help: 'Of the traces dropped, those still unexported when closing gave up waiting (the destination was slow or unreachable)',
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [destination, stats] of Object.entries(traceQueues())) this.inc({ destination }, stats.abandoned);
    },
  });
}

/**
 * The Prometheus metrics of served requests, fed one {@link RequestEvent} at a time (an
 * {@link EventSink}) and read by a scrape of `GET /metrics`: requests by model, version, status and endpoint (`chat`, `embeddings`);
 * total and upstream latency histograms, tokens and cost, by endpoint too; cache lookups, hit ratio, saved cost and backend errors; guardrail blocks
 * by side and category; redactions by side and category (one per value replaced); refusals; upstream errors; the event queue's depth, writes and drops; the trace export
 * queues' depth, writes and drops by destination; and online
 * evaluation (an {@link OnlineEvaluationObserver}): samples scored, failed and dropped, and the scores by metric.
 * Each instance has its own registry, so servers and tests never collide. The series a request touches are kept in
 * plain objects ({@link CountedSeries}, {@link ObservedHistogram}) and read at scrape time, so counting a request
 * hashes no label object; the text they write is what prom-client's own counters and histograms wrote.
 */
export class RequestMetrics implements EventSink, OnlineEvaluationObserver {
  readonly registry: Registry;
  private readonly requests: CountedSeries<'model' | 'version' | 'status' | 'endpoint'>;
  private readonly latency: ObservedHistogram<'model' | 'version' | 'endpoint'>;
  private readonly upstreamLatency: ObservedHistogram<'model' | 'version' | 'endpoint'>;
  private readonly tokens: CountedSeries<'model' | 'version' | 'direction' | 'endpoint'>;
  private readonly cost: CountedSeries<'model' | 'version' | 'endpoint'>;
  private readonly cacheLookups: CountedSeries<'model' | 'version' | 'result'>;
  private readonly cacheSavedCost: CountedSeries<'model' | 'version'>;
  private readonly guardrailBlocks: CountedSeries<'model' | 'version' | 'side' | 'category'>;
  private readonly guardrailRedactions: CountedSeries<'model' | 'version' | 'side' | 'category'>;
  private readonly guardrailFlags: CountedSeries<'model' | 'version' | 'side' | 'category'>;
  private readonly refusals: CountedSeries<'model' | 'version'>;
  private readonly upstreamErrors: CountedSeries<'model' | 'version' | 'code'>;
  private readonly fallbacks: CountedSeries<'model' | 'version' | 'from'>;
  private readonly onlineEvaluations: CountedSeries<'model' | 'version' | 'outcome'>;
  private readonly onlineScores: ObservedHistogram<'model' | 'version' | 'metric'>;
  /** Cache hits and lookups per `model\u0000version`, behind the hit-ratio gauge. */
  private readonly cacheCounts = new Map<string, { hits: number; lookups: number }>();

  constructor(options: RequestMetricsOptions = {}) {
    const registry = options.registry ?? new PrometheusTextRegistry();
    this.registry = registry;
    const registers = [registry];
    this.requests = new CountedSeries({
      name: 'llmops_requests_total',
      help: 'Served requests by model, version, HTTP status and endpoint (chat, embeddings)',
      labelNames: ['model', 'version', 'status', 'endpoint'],
      registers,
    });
    this.latency = new ObservedHistogram({
      name: 'llmops_request_duration_seconds',
      help: 'Total latency of served requests, from arrival to the end of the answer, by endpoint (chat, embeddings)',
      labelNames: endpointLabels,
      buckets: latencyBuckets,
      registers,
    });
    this.upstreamLatency = new ObservedHistogram({
      name: 'llmops_upstream_duration_seconds',
      help: 'Time served requests spent waiting for the model provider, by endpoint (chat, embeddings)',
      labelNames: endpointLabels,
      buckets: latencyBuckets,
      registers,
    });
    this.tokens = new CountedSeries({
      name: 'llmops_tokens_total',
      help: 'Tokens of served requests, by direction (input: prompt, output: completion) and endpoint (chat, embeddings)',
      labelNames: ['model', 'version', 'direction', 'endpoint'],
      registers,
    });
    this.cost = new CountedSeries({
      name: 'llmops_cost_usd_total',
      help: 'Cost of served requests in USD, by endpoint (chat, embeddings; requests of unpriced models add nothing)',
      labelNames: endpointLabels,
      registers,
    });
    this.cacheLookups = new CountedSeries({
      name: 'llmops_cache_lookups_total',
      help: 'Response cache lookups of served requests, by result (hit, miss, bypass)',
      labelNames: ['model', 'version', 'result'],
      registers,
    });
    this.cacheSavedCost = new CountedSeries({
      name: 'llmops_cache_saved_cost_usd_total',
      help: 'USD the response cache saved: what the answers it replayed cost when they were generated',
      labelNames: versionLabels,
      registers,
    });
    const cacheErrors = options.cacheErrors;
    if (cacheErrors) {
      new Counter({
        name: 'llmops_cache_errors_total',
        help: 'Response cache backend failures (Redis unreachable, a locked file); each request went on without the cache',
        registers,
        collect() {
          this.reset();
          this.inc(cacheErrors());
        },
      });
    }
    const backendFallbacks = options.backendFallbacks;
    if (backendFallbacks) {
      new Counter({
        name: 'llmops_backend_fallback_calls_total',
        help: 'Calls answered in process while the shared backend (Redis) was unreachable, by backend (response_cache, limit_counters)',
        labelNames: ['backend'],
        registers,
        collect() {
          this.reset();
          for (const [backend, calls] of Object.entries(backendFallbacks())) this.inc({ backend }, calls);
        },
      });
    }
    const cacheCounts = this.cacheCounts;
    new Gauge({
      name: 'llmops_cache_hit_ratio',
      help: 'Share of response cache lookups (hits and misses) answered from the cache, since start',
      labelNames: versionLabels,
      registers,
      collect() {
        for (const [key, counts] of cacheCounts) {
          const [model = '', version = ''] = key.split('\u0000');
          this.set({ model, version }, counts.lookups === 0 ? 0 : counts.hits / counts.lookups);
        }
      },
    });
    this.guardrailBlocks = new CountedSeries({
      name: 'llmops_guardrail_blocks_total',
      help: 'Requests a guardrail blocked, by side (input, output) and harm category',
      labelNames: ['model', 'version', 'side', 'category'],
      registers,
    });
    this.guardrailRedactions = new CountedSeries({
      name: 'llmops_guardrail_redactions_total',
      help: 'Personal data a guardrail redacted, by side (input, output) and category (email, phone, payment_card…): one per value replaced',
      labelNames: ['model', 'version', 'side', 'category'],
      registers,
    });
    this.guardrailFlags = new CountedSeries({
      name: 'llmops_guardrail_flags_total',
      help: 'Findings a guardrail flagged and let pass, by side (input, output) and category (a guard model that failed open counts as guard_unavailable)',
      labelNames: ['model', 'version', 'side', 'category'],
      registers,
    });
    this.refusals = new CountedSeries({
      name: 'llmops_refusals_total',
      help: 'Answers that refused (guardrail refusals, model refusals, answers saying they do not know)',
      labelNames: versionLabels,
      registers,
    });
    this.upstreamErrors = new CountedSeries({
      name: 'llmops_upstream_errors_total',
      help: 'Served requests the model provider failed, by error code (upstream_error, timeout)',
      labelNames: ['model', 'version', 'code'],
      registers,
    });
    this.fallbacks = new CountedSeries({
      name: 'llmops_fallbacks_total',
      help: 'Requests a fallback answered, by the version that answered and the version that failed (from)',
      labelNames: ['model', 'version', 'from'],
      registers,
    });
    this.onlineEvaluations = new CountedSeries({
      name: 'llmops_online_evaluations_total',
      help: 'Sampled requests of online evaluation by outcome: scored, failed, dropped_budget, dropped_queue_full, dropped_closed',
      labelNames: ['model', 'version', 'outcome'],
      registers,
    });
    this.onlineScores = new ObservedHistogram({
      name: 'llmops_online_score',
      help: 'Online evaluation scores of sampled answers, by metric (0 to 1, higher is better)',
      labelNames: ['model', 'version', 'metric'],
      buckets: scoreBuckets,
      registers,
    });
    const queueStats = options.queueStats;
    if (queueStats) {
      new Gauge({
        name: 'llmops_event_queue_depth',
        help: 'Request events waiting to be written to the event store',
        registers,
        collect() {
          this.set(queueStats().queued);
        },
      });
      new Counter({
        name: 'llmops_events_written_total',
        help: 'Request events written to the event store',
        registers,
        collect() {
          this.reset();
          this.inc(queueStats().written);
        },
      });
      new Counter({
        name: 'llmops_events_dropped_total',
        help: 'Request events lost: the queue was full (back-pressure) or a batch failed to write',
        registers,
        collect() {
          this.reset();
          this.inc(queueStats().dropped);
        },
      });
      new Counter({
        name: 'llmops_events_abandoned_total',
        help: 'Of the request events dropped, those still unwritten when closing gave up waiting',
        registers,
        collect() {
          this.reset();
          this.inc(queueStats().abandoned);
        },
      });
    }
    if (options.traceQueues) registerTraceQueueMetrics(registry, options.traceQueues);
    if (options.circuitBreakers) registerCircuitBreakerMetrics(registry, options.circuitBreakers);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  }

  /** The content type of {@link scrape}'s text (Prometheus text exposition format). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Counts one served request. Never throws for a well-formed event. */
  record(event: RequestEvent): void {
    const model = event.modelName;
    const version = event.modelVersion === null ? '' : String(event.modelVersion);
    // Events written before endpoints were recorded were all chat answers.
    const endpoint = event.endpoint ?? 'chat';
    const perRequest = [model, version, endpoint];
    this.requests.add([model, version, String(event.status), endpoint]);
    if (event.fallbackFrom !== undefined) this.fallbacks.add([model, version, event.fallbackFrom]);
    this.latency.observe(perRequest, event.latencyMs / 1000);
    if (event.upstreamLatencyMs !== undefined) this.upstreamLatency.observe(perRequest, event.upstreamLatencyMs / 1000);
    if (event.inputTokens) this.tokens.add([model, version, 'input', endpoint], event.inputTokens);
    if (event.outputTokens) this.tokens.add([model, version, 'output', endpoint], event.outputTokens);
    if (event.costUsd) this.cost.add(perRequest, event.costUsd);
    if (event.cache !== undefined) this.recordCache(model, version, event.cache);
    if (event.cacheSavedCostUsd) this.cacheSavedCost.add([model, version], event.cacheSavedCostUsd);
    if (event.refused) this.refusals.add([model, version]);
    if (event.errorCode !== undefined && upstreamErrorCodes.has(event.errorCode))
      this.upstreamErrors.add([model, version, event.errorCode]);
    if (event.guardrails.some((verdict) => verdict.action === 'block')) this.recordBlocks(model, version, event);
    for (const verdict of event.guardrails) {
      if (verdict.action === 'block') continue;
      const counter = verdict.action === 'redact' ? this.guardrailRedactions : this.guardrailFlags;
      counter.add([model, version, verdict.side, verdict.category], verdict.count ?? 1);
    }
  }

  /** Counts a scored sample and observes its scores. */
  scored(sample: OnlineSample, evaluation: OnlineEvaluation): void {
    const { model, version } = versionOf(sample);
    this.onlineEvaluations.add([model, version, 'scored']);
    for (const [metric, score] of Object.entries(evaluation.scores))
      if (Number.isFinite(score)) this.onlineScores.observe([model, version, metric], score);
  }

  /** Counts a sample dropped for want of budget or room. */
  dropped(sample: OnlineSample, reason: OnlineDropReason): void {
    const { model, version } = versionOf(sample);
    this.onlineEvaluations.add([model, version, `dropped_${reason}`]);
  }

  /** Counts a sample whose scoring failed. */
  failed(sample: OnlineSample): void {
    const { model, version } = versionOf(sample);
    this.onlineEvaluations.add([model, version, 'failed']);
  }

  /** The metrics in Prometheus text format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** Counts each blocked (side, category) of a request once. */
  private recordBlocks(model: string, version: string, event: RequestEvent): void {
    const seen = new Set<string>();
    for (const verdict of event.guardrails) {
      const key = `${verdict.side}\u0000${verdict.category}`;
      if (verdict.action !== 'block' || seen.has(key)) continue;
      seen.add(key);
      this.guardrailBlocks.add([model, version, verdict.side, verdict.category]);
    }
  }

  private recordCache(model: string, version: string, result: RequestEvent['cache'] & string): void {
    this.cacheLookups.add([model, version, result]);
    if (result === 'bypass') return;
    const key = `${model}\u0000${version}`;
    const counts = this.cacheCounts.get(key) ?? { hits: 0, lookups: 0 };
    counts.lookups += 1;
    if (result === 'hit') counts.hits += 1;
    this.cacheCounts.set(key, counts);
  }
}
