import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { confinedOperatorFile, defaultStoreUri, LlmopsError } from '@llmops/kernel';
import { createJudge, looksLikeRefusal } from '@llmops/evaluation';
import { UpstreamPools, upstreamPoolsOptionsFromEnv } from '@llmops/providers';
import {
  BatchingEventQueue,
  defaultMonitoringConfFile,
  fanOutEvents,
  loadMonitoringConf,
  OnlineEvaluationScheduler,
  openAlertStore,
  openEventStore,
  RequestMetrics,
  startEventRetention,
} from '@llmops/monitoring';
import type {
  AlertStore,
  CircuitBreakerReading,
  EventQueueStats,
  EventStore,
  MonitoringConf,
  OnlineEvaluator,
  OpenedEventStore,
} from '@llmops/monitoring';
import type { ServingStepFactory } from '@llmops/serving';
import { booleanEnv, positiveNumberEnv } from '../env-values.js';
import { guardrailLogSink } from './guardrail-log.js';
import type { GuardrailLogger } from './guardrail-log.js';
import { monitoringStepFactory } from './monitoring-step.js';
import { createOnlineEvaluator, onlineMetricNames } from './online-evaluator.js';

/** The environment variables that configure monitoring in a deployment. */
export const monitoringEnv = {
  /** `true` to keep each question's text in its event (only its SHA-256 otherwise). */
  questionText: 'LLMOPS_MONITORING_QUESTION_TEXT',
  /** Days events are kept; 30 by default. */
  retentionDays: 'LLMOPS_MONITORING_RETENTION_DAYS',
  /** Longest wait of an event before it is written, in ms; 1000 by default. */
  flushIntervalMs: 'LLMOPS_MONITORING_FLUSH_MS',
} as const;

/** Options of {@link createMonitoringWiring}; unset ones come from {@link monitoringEnv}, then the defaults. */
export interface MonitoringWiringOptions {
  /** The workspace folder: relative store paths (and `.llmops/monitoring.db`) are resolved against it. */
  cwd: string;
  env: Record<string, string | undefined>;
  /** `--store` / `LLMOPS_STORE`; the embedded default when absent. */
  storeUri?: string;
  keepQuestionText?: boolean;
  retentionDays?: number;
  flushIntervalMs?: number;
  /** Events waiting at most before new ones are dropped (counted); 10,000 by default. */
  maxQueued?: number;
  /**
   * Longest wait of `close` for each event queue (the store's, MLflow's tags), in ms; 10,000 by default. What is not
   * written by then is abandoned: reported through `onError` and counted (`llmops_events_abandoned_total`).
   */
  closeTimeoutMs?: number;
  /** The monitoring conf (objectives); `confs/monitoring.yaml` of `cwd` when it exists. */
  confFile?: string;
  /** Told about a batch of events the store refused (dropped) or a failed retention sweep. */
  onError?: (error: unknown, dropped: number) => void;
  /**
   * Scores sampled answers when the conf has an `onlineEvaluation:` section; the evaluation context's metrics and
   * the section's judge by default (tests put a slow or failing one here).
   */
  onlineEvaluator?: OnlineEvaluator;
  /** Told about a sample whose scoring or storing failed. */
  onOnlineError?: (error: unknown) => void;
  /**
   * The counts of serving's trace export queues by destination (`store`, `collector`), read at each scrape of
   * `/metrics`; none when absent.
   */
  traceQueues?: () => Readonly<Record<string, EventQueueStats>>;
  /** How many times serving's response cache backend failed since start, read at each scrape; none when absent. */
  cacheErrors?: () => number;
  /** Calls answered in process while Redis was unreachable, by backend, read at each scrape; none when absent. */
  backendFallbacks?: () => Readonly<Record<string, number>>;
  /** Serving's circuit breakers by upstream, read at each scrape of `/metrics`; none when absent. */
  circuitBreakers?: () => ReadonlyArray<CircuitBreakerReading>;
  /**
   * Writes serving's queued traces now and resolves when they are written (its trace queue's `flush`): on an MLflow
   * store, each batch of event tags waits for it, so a request's trace is in MLflow before its event is tagged on it.
   */
  tracesWritten?: () => Promise<void>;
  /**
   * The logger of each guardrail block and redaction (policy, side, category, rule, action, count; never text), read
   * when an event is recorded (the server's logger exists only once the server does); none when absent.
   */
  guardrailLogger?: () => GuardrailLogger | undefined;
}

/** Monitoring as the API runs it. */
export interface MonitoringWiring {
  /** The `monitoring` serving step, for the pipeline factory. */
  step: ServingStepFactory;
  queue: BatchingEventQueue;
  /**
   * On an MLflow store: the queue appending events to MLflow as tags of each request's trace (its own batches,
   * failures dropped and counted there, never the SQLite store's or a request's business).
   */
  mlflowQueue: BatchingEventQueue | undefined;
  metrics: RequestMetrics;
  store: EventStore;
  /** Online evaluation of sampled requests, when the conf turns it on. */
  online: OnlineEvaluationScheduler | undefined;
  /** The alerts fired so far (`monitoring_alerts`, beside the events), for reading. */
  alerts: Pick<AlertStore, 'list'>;
  /** The service level objectives, when a monitoring conf was found. */
  conf: MonitoringConf | undefined;
  /** Where the events are (a file path). */
  location: string;
  /** `GET /metrics` (Prometheus text format). */
  routes: (server: FastifyInstance) => void;
  /**
   * At once: gives running online scorings a moment (5 s), writes the events still queued (`closeTimeoutMs` at most
   * per queue, the rest abandoned and counted); then stops retention and closes the stores.
   */
  close: () => Promise<void>;
}

/**
 * Where online scores go: `monitoring_scores` in the SQLite file, and on an MLflow store also each request's trace
 * (feedback assessments). A score is stored once the SQLite write succeeds; an MLflow failure is reported, not
 * counted as a failed scoring.
 */
function scoreStoreOf(
  opened: OpenedEventStore,
  report: (error: unknown, dropped: number) => void,
): Pick<EventStore, 'appendScores'> {
  const { store, mlflowScores } = opened;
  if (!mlflowScores) return store;
  return {
    appendScores: async (scores) => {
      await store.appendScores(scores);
      await mlflowScores.appendScores(scores).catch((error: unknown) => report(error, 0));
    },
  };
}

/**
 * Builds the judge of the server's alert rounds once, to refuse a bad `alerts.judge` at start.
 * @throws LlmopsError `invalid_input` naming the field.
 */
function checkAlertJudge(judge: string, env: Record<string, string | undefined>): void {
  try {
    createJudge(judge, { factory: { env } });
  } catch (error) {
    const cause = LlmopsError.fromUnknown(error);
    throw new LlmopsError('invalid_input', `monitoring conf: alerts.judge "${judge}": ${cause.message}`, { cause });
  }
}

/**
 * Builds monitoring for a server: the event store of the store URI (`monitoring_events` in the
 * embedded SQLite file; `.llmops/monitoring.db` beside an MLflow store), a bounded queue in front
 * of it (and on an MLflow store a second one appending each event to MLflow as tags of its request's trace), the Prometheus metrics (their own registry), retention by age, and the serving step that
 * feeds both the queue and the metrics; the objectives of the monitoring conf; online evaluation of sampled
 * requests when the conf has an `onlineEvaluation:` section (scores in `monitoring_scores`); the alert store, read-only.
 * @throws LlmopsError `invalid_input` for a bad setting (naming the variable) or conf (file, line and field), `unavailable` when the store cannot be opened.
 */
export function createMonitoringWiring(options: MonitoringWiringOptions): MonitoringWiring {
  const { env } = options;
  const keepQuestionText =
    options.keepQuestionText ?? booleanEnv(env[monitoringEnv.questionText], monitoringEnv.questionText) ?? false;
  const retentionDays =
    options.retentionDays ?? positiveNumberEnv(env[monitoringEnv.retentionDays], monitoringEnv.retentionDays) ?? 30;
  const flushIntervalMs =
    options.flushIntervalMs ??
    positiveNumberEnv(env[monitoringEnv.flushIntervalMs], monitoringEnv.flushIntervalMs) ??
    1_000;
  const confFile = confinedOperatorFile({
    root: options.cwd,
    file: options.confFile ?? defaultMonitoringConfFile,
    what: 'monitoring conf',
    env,
  });
  const conf =
    options.confFile || existsSync(confFile)
      ? loadMonitoringConf(confFile, { env, onlineMetrics: onlineMetricNames })
      : undefined;
  const opened = openEventStore(options.storeUri ?? defaultStoreUri, {
    cwd: options.cwd,
    env,
    ...(options.tracesWritten ? { tracesWritten: options.tracesWritten } : {}),
  });
  let alerts: AlertStore;
  try {
    alerts = openAlertStore(options.storeUri ?? defaultStoreUri, { cwd: options.cwd });
  } catch (error) {
    opened.store.close();
    throw error;
  }
  const report = (error: unknown, dropped: number) => {
    try {
      options.onError?.(error, dropped);
    } catch {
      // Reporting must not break monitoring.
    }
  };
  const closeTimeout = options.closeTimeoutMs === undefined ? {} : { closeTimeoutMs: options.closeTimeoutMs };
  const queue = new BatchingEventQueue({
    store: opened.store,
    flushIntervalMs,
    // The SQLite file is written synchronously, holding the event loop (about 4 µs an event): a write of 100 pauses
    // the requests in flight for under half a millisecond, where 500 (the queue's default) showed in the p99.
    batchSize: 100,
    ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
    ...closeTimeout,
    onError: report,
  });
  const mlflowQueue = opened.mlflowTags
    ? new BatchingEventQueue({
        store: opened.mlflowTags,
        flushIntervalMs,
        batchSize: 100,
        ...closeTimeout,
        onError: report,
      })
    : undefined;
  const metrics = new RequestMetrics({
    queueStats: () => queue.stats(),
    ...(options.traceQueues ? { traceQueues: options.traceQueues } : {}),
    ...(options.cacheErrors ? { cacheErrors: options.cacheErrors } : {}),
    ...(options.backendFallbacks ? { backendFallbacks: options.backendFallbacks } : {}),
    ...(options.circuitBreakers ? { circuitBreakers: options.circuitBreakers } : {}),
  });
  const onlineConf = conf?.onlineEvaluation;
  // The online judge's upstream connections, closed with monitoring.
  const judgePools = new UpstreamPools(upstreamPoolsOptionsFromEnv(options.env));
  let online: OnlineEvaluationScheduler | undefined;
  try {
    // The judge of the server's own alert rounds is built when an alert acts; a bad one fails the start instead.
    if (conf?.alerts && conf.alerts.intervalSeconds > 0) checkAlertJudge(conf.alerts.judge, env);
    online = onlineConf
      ? new OnlineEvaluationScheduler({
          evaluator:
            options.onlineEvaluator ??
            createOnlineEvaluator({
              judge: createJudge(onlineConf.judge, { factory: { env, pools: judgePools } }),
              metrics: onlineConf.metrics,
            }),
          store: scoreStoreOf(opened, report),
          sampleRate: onlineConf.sampleRate,
          maxConcurrent: onlineConf.maxConcurrent,
          maxPerMinute: onlineConf.maxPerMinute,
          maxQueued: onlineConf.maxQueued,
          observer: metrics,
          ...(options.onOnlineError ? { onError: options.onOnlineError } : {}),
        })
      : undefined;
  } catch (error) {
    opened.store.close();
    alerts.close();
    throw error;
  }
  const retention = startEventRetention({
    store: opened.store,
    retentionDays,
    onError: (error) => report(error, 0),
  });
  return {
    step: monitoringStepFactory({
      sink: fanOutEvents([
        metrics,
        queue,
        ...(mlflowQueue ? [mlflowQueue] : []),
        ...(options.guardrailLogger ? [guardrailLogSink(options.guardrailLogger)] : []),
      ]),
      keepQuestionText,
      looksLikeRefusal,
      ...(online ? { online } : {}),
    }),
    queue,
    mlflowQueue,
    online,
    metrics,
    store: opened.store,
    alerts,
    conf,
    location: opened.location,
    routes: (server) => {
      server.get('/metrics', async (_request, reply) => {
        const text = await metrics.scrape();
        return reply.header('content-type', metrics.contentType).send(text);
      });
    },
    close: async () => {
      retention.stop();
      try {
        // At once: the events' own store is written whatever MLflow or a judge does; each waits 10 s at most.
        await Promise.all([queue.close(), mlflowQueue?.close(), online?.close()]);
        await retention.firstSweep;
      } finally {
        opened.store.close();
        alerts.close();
        await judgePools.close();
      }
    },
  };
}
