import type { FastifyBaseLogger } from 'fastify';
import type { EventQueueStats } from '@llmops/monitoring';
import { dataRootsOf, defaultStoreUri, LlmopsError } from '@llmops/kernel';
import { createEvaluationWiring } from '../evaluation/evaluation-wiring.js';
import { createServedModelTargets } from '../evaluation/served-model-target.js';
import { createRegistryWiring } from '../registry/registry-wiring.js';
import { limitsStepFactory, openApiKeys } from '@llmops/serving';
import type { OpenedApiKeys } from '@llmops/serving';
import { createAccessControl } from './access-control.js';
import type { AnonymousReads } from './access-control.js';
import { keyRoutes } from './routes/key-routes.js';
import { apiDocsRoutes } from './routes/api-docs-routes.js';
import { openApiRoute } from './routes/openapi-route.js';
import { createServingWiring } from '../serving/serving-wiring.js';
import { isStoreOutage } from '../serving/last-known-good-resolver.js';
import type { StoreOutage } from '../serving/last-known-good-resolver.js';
import type { ServingWiring } from '../serving/serving-wiring.js';
import { createMonitoringWiring } from '../monitoring/monitoring-wiring.js';
import type { MonitoringWiring, MonitoringWiringOptions } from '../monitoring/monitoring-wiring.js';
import { selectMonitoredModel } from '../monitoring/monitored-model.js';
import { openMonitoringAlerts } from '../monitoring/monitoring-alerts.js';
import type { MonitoringAlerts } from '../monitoring/monitoring-alerts.js';
import type { EvaluationTraceQueue } from '../evaluation/pipeline-target.js';
import { startAlertSchedule } from '../monitoring/alert-schedule.js';
import type { AlertSchedule } from '../monitoring/alert-schedule.js';
import type { GuardrailLogger } from '../monitoring/guardrail-log.js';
import { monitoringRoutes } from './routes/monitoring-routes.js';
import { consoleRoutes } from './routes/console-routes.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { traceRoutes } from './routes/trace-routes.js';
import { promotionRoutes } from './routes/promotion-routes.js';
import { shutdownTimeoutEnv, startApiServer } from './start-api-server.js';
import { booleanEnv, positiveNumberEnv } from '../env-values.js';
import type { RunningApiServer } from './start-api-server.js';

/** The variable that turns anonymous inference on (loopback only). */
export const anonymousInferenceEnv = 'LLMOPS_ANONYMOUS_INFERENCE';

/** Whether a host to bind is a loopback address (`127.0.0.0/8`, `::1`, `localhost`). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Options of {@link startLlmopsServer}. */
export interface LlmopsServerOptions {
  port: number;
  /** Interface to bind; loopback by default. */
  host?: string;
  /** The workspace folder: confs, corpora and relative store paths are read from it. */
  cwd: string;
  /**
   * Lets requests without an API key call the inference routes (`/v1/*`), only when `host` is loopback; by default
   * `LLMOPS_ANONYMOUS_INFERENCE=true` (or `1`). Admin routes always need an admin key.
   */
  anonymousInference?: boolean;
  /**
   * `loopback`: the console's reads (routes of access `reader`) answer requests without a key when they come from a
   * loopback address; `off` by default (`llmops serve --anonymous-reads loopback`, `llmops ui`).
   */
  anonymousReads?: AnonymousReads;
  /** Environment: `LLMOPS_ANONYMOUS_INFERENCE`, `REDIS_URL`, provider API keys, `${env:…}` in confs. */
  env: Record<string, string | undefined>;
  /** `--store` / `LLMOPS_STORE`; the embedded default when absent. */
  storeUri?: string;
  /** `--policy`: the promotion policy file. */
  policyFile?: string;
  /** The guardrails file; `confs/guardrails.yaml` when it exists. */
  guardrailsFile?: string;
  /** A pino logger, `true` for the default one, `false` for none. */
  logger?: FastifyBaseLogger | boolean;
  /** Largest accepted request body in bytes (1 MiB by default). */
  bodyLimitBytes?: number;
  /**
   * Longest wait of `close` for in-flight requests, in ms; by default `LLMOPS_SHUTDOWN_TIMEOUT_MS`, else 20 000. Past
   * it the connections still open are closed (one warning logged), then the stores close.
   */
  shutdownTimeoutMs?: number;
  /** Monitoring settings; unset ones come from the `LLMOPS_MONITORING_*` variables, then the defaults. */
  monitoring?: Pick<
    MonitoringWiringOptions,
    'keepQuestionText' | 'retentionDays' | 'flushIntervalMs' | 'maxQueued' | 'confFile' | 'onlineEvaluator'
  >;
}

/** The running llmops API and how to stop it. */
export interface RunningLlmopsServer extends RunningApiServer {
  /** Things an operator should know (no admin key, no promotion policy), one sentence each. */
  warnings: string[];
  /**
   * Where the shared state of serving is, for the start line: the response cache (`redis (127.0.0.1:6379 db 0)`,
   * `sqlite (.llmops/llmops.db)` or `in-process`) and the keys' limit counters (`redis (…)` or `in-process`); host, port
   * and database only, never a user or password.
   */
  backends: { cache: string; limits: string };
  /** The request events: their queue (counts, flush), the file they are written to, online evaluation (when on). */
  monitoring: Pick<MonitoringWiring, 'queue' | 'location' | 'online'>;
}

/**
 * The server's own alert rounds, when the monitoring conf's `alerts.intervalSeconds` is above 0: the engine opened
 * once (the conf's `alerts.judge`, `offline` by default; the registry's promotion policy; `log` notifications on the server's logger), rounds
 * started by {@link startAlertSchedule}; undefined otherwise. `stop` ends the rounds, then closes the engine's stores.
 */
function startScheduledAlerts(options: {
  monitoring: MonitoringWiring;
  registry: ReturnType<typeof createRegistryWiring>;
  cwd: string;
  env: Record<string, string | undefined>;
  storeUri: string;
  log: FastifyBaseLogger;
  traces: EvaluationTraceQueue;
}): { stop: () => Promise<void> } | undefined {
  const conf = options.monitoring.conf;
  const intervalSeconds = conf?.alerts?.intervalSeconds ?? 0;
  if (!conf?.alerts || intervalSeconds <= 0) return undefined;
  const { log } = options;
  const alerts: MonitoringAlerts = openMonitoringAlerts({
    config: conf.alerts,
    storeUri: options.storeUri,
    cwd: options.cwd,
    env: options.env,
    registry: options.registry.registry,
    judge: conf.alerts.judge,
    ...(options.registry.policy ? { promotionPolicy: options.registry.policy } : {}),
    logger: { warn: (object, message) => log.warn(object, message) },
    traces: options.traces,
  });
  const schedule: AlertSchedule = startAlertSchedule({
    intervalMs: intervalSeconds * 1000,
    conf,
    events: options.monitoring.store,
    registry: options.registry.registry,
    alerts,
    cwd: options.cwd,
    onError: (error, model) => {
      const failure = LlmopsError.fromUnknown(error);
      log.warn({ code: failure.code, model }, `alert round failed: ${failure.message}`);
    },
  });
  return {
    stop: async () => {
      try {
        await schedule.stop();
      } finally {
        await alerts.close();
      }
    },
  };
}

/** The counts of serving's trace export queues by destination: the store's, and the OTLP collector's when set. */
function traceQueueStats(serving: ServingWiring): Record<string, EventQueueStats> {
  return {
    store: serving.traces.stats(),
    ...(serving.collector ? { collector: serving.collector.queue.stats() } : {}),
  };
}

/**
 * Starts the whole llmops API on the configured store: the registry (`/api/v1/prompts`,
 * `/api/v1/models`), evaluation (`/api/v1/evaluations`) and serving (`/v1/chat/completions`,
 * `/v1/models`, `/v1/embeddings`) and monitoring (`GET /metrics`, `/api/v1/monitoring/events`, `/slo`, `/drift`, `/alerts`, the
 * dashboard at `GET /dashboard` and its data at `GET /api/v1/dashboard`). Every served request's trace goes to the store's
 * trace store, and its monitoring event to the event store (`monitoring_events`). `close` drains
 * in-flight requests (streams included), writes the traces and events still queued, then closes the stores.
 * Every route needs an API key of the role the access table names (`routeTable`: admin by default,
 * inference for `/v1/*`, probes and dashboard assets public); keyed inference goes through the `limits` step
 * (requests and tokens per minute, USD per day and month; counters in Redis when `REDIS_URL` is set).
 * Used by `node apps/api/dist/main.js` and by `llmops serve`.
 * @throws LlmopsError `invalid_input` for a bad store URI or conf file, a bad `LLMOPS_SHUTDOWN_TIMEOUT_MS` or
 * `LLMOPS_ANONYMOUS_INFERENCE` (true, 1, yes / false, 0, no), or anonymous
 * inference on a host that is not loopback; `unavailable` for a store that cannot be opened.
 */
export async function startLlmopsServer(options: LlmopsServerOptions): Promise<RunningLlmopsServer> {
  const { cwd, env } = options;
  const anonymousInference =
    options.anonymousInference ?? booleanEnv(env[anonymousInferenceEnv], anonymousInferenceEnv) ?? false;
  const host = options.host ?? '127.0.0.1';
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? positiveNumberEnv(env[shutdownTimeoutEnv], shutdownTimeoutEnv);
  if (anonymousInference && !isLoopback(host))
    throw new LlmopsError(
      'invalid_input',
      `anonymous inference (${anonymousInferenceEnv}) is only allowed on a loopback address, and the server would listen on ${host}; bind 127.0.0.1 or give clients API keys (llmops keys create --role inference)`,
    );
  // Evaluation serves registered versions as targets, and the registry promotes on evaluation
  // evidence: evaluation opens first, and reaches the registry once it exists.
  let registry: ReturnType<typeof createRegistryWiring> | undefined;
  let serving: ServingWiring | undefined;
  let monitoring: MonitoringWiring | undefined;
  let apiKeys: OpenedApiKeys | undefined;
  let limitsLogger: (error: unknown) => void = () => undefined;
  // Trace-store failures are reported through the server's logger once it exists (code and message only).
  let traceLogger: (error: unknown, dropped: number) => void = () => undefined;
  let cacheLogger: (error: unknown) => void = () => undefined;
  let eventLogger: (error: unknown, dropped: number) => void = () => undefined;
  let onlineLogger: (error: unknown) => void = () => undefined;
  let outageLogger: (outage: StoreOutage | undefined) => void = () => undefined;
  // A Redis outage is logged once when the in-process fallback takes over, and once when Redis is back.
  let fallbackLogger: (backend: string, error: LlmopsError | undefined) => void = () => undefined;
  let guardrailLogger: GuardrailLogger | undefined;
  const evaluation = createEvaluationWiring({
    cwd,
    env,
    ...(options.storeUri ? { storeUri: options.storeUri } : {}),
    modelTarget: async (reference, targetOptions) => {
      if (!registry) throw new LlmopsError('unavailable', 'the registry is not open yet');
      // Each example's trace goes to the server's trace store, so the console links an example to its trace.
      return createServedModelTargets({
        registry: registry.registry,
        cwd,
        env,
        ...(serving ? { traces: serving.traces } : {}),
      })(reference, targetOptions);
    },
  });
  try {
    registry = createRegistryWiring({
      cwd,
      env,
      evidence: evaluation.evidence,
      ...(options.storeUri ? { storeUri: options.storeUri } : {}),
      ...(options.policyFile ? { policyFile: options.policyFile } : {}),
    });
    apiKeys = openApiKeys(options.storeUri ?? defaultStoreUri, {
      cwd,
      env,
      onFallback: (backend, error) => fallbackLogger(backend, error),
    });
    const openedKeys = apiKeys;
    monitoring = createMonitoringWiring({
      cwd,
      env,
      ...(options.storeUri ? { storeUri: options.storeUri } : {}),
      ...options.monitoring,
      onError: (error, dropped) => eventLogger(error, dropped),
      onOnlineError: (error) => onlineLogger(error),
      // Serving opens next (its steps need monitoring's); a scrape reads its trace queues once it exists.
      traceQueues: () => (serving ? traceQueueStats(serving) : {}),
      cacheErrors: () => serving?.cache.errors() ?? 0,
      backendFallbacks: () => ({
        response_cache: serving?.cache.fallbackCalls() ?? 0,
        limit_counters: apiKeys?.fallback?.fallbackCalls ?? 0,
      }),
      circuitBreakers: () => serving?.breakers?.snapshot() ?? [],
      // Event tags go on traces in MLflow: each batch first has serving write the traces queued so far.
      tracesWritten: () => serving?.traces.flush() ?? Promise.resolve(),
      guardrailLogger: () => guardrailLogger,
    });
    const openedRegistry = registry.registry;
    serving = createServingWiring({
      registry: registry.registry,
      steps: [
        monitoring.step,
        limitsStepFactory({ counters: openedKeys.counters, onError: (error) => limitsLogger(error) }),
      ],
      cwd,
      env,
      ...(options.storeUri ? { storeUri: options.storeUri } : {}),
      ...(options.guardrailsFile ? { guardrailsFile: options.guardrailsFile } : {}),
      onTraceError: (error, dropped) => traceLogger(error, dropped),
      onCacheError: (error) => cacheLogger(error),
      onStoreOutage: (outage) => outageLogger(outage),
      onBackendFallback: (backend, error) => fallbackLogger(backend, error),
    });
    const openedServing = serving;
    const openedMonitoring = monitoring;
    const openedRegistryWiring = registry;
    const running = await startApiServer({
      port: options.port,
      host,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
      ...(shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs }),
      routes: [
        registry.routes,
        evaluation.routes,
        serving.routes,
        monitoring.routes,
        monitoringRoutes({
          store: monitoring.store,
          alerts: monitoring.alerts,
          conf: monitoring.conf,
          selectModel: (reference) => selectMonitoredModel(openedRegistry, reference),
          cwd,
          dataRoots: dataRootsOf(env),
        }),
        dashboardRoutes({
          registry: registry.registry,
          tracker: evaluation.service.tracker,
          events: monitoring.store,
          alerts: monitoring.alerts,
        }),
        consoleRoutes(),
        promotionRoutes({ registry: registry.registry, tracker: evaluation.service.tracker }),
        traceRoutes({
          reader: serving.traceStore.reader,
          scoresOf: (requestId) => openedMonitoring.store.scoresOf(requestId),
        }),
        keyRoutes({ keys: openedKeys.keys }),
        openApiRoute(),
        apiDocsRoutes(),
      ],
      access: createAccessControl({
        keys: openedKeys.keys,
        anonymousInference,
        anonymousReads: options.anonymousReads ?? 'off',
      }),
      readinessChecks: [
        {
          name: registry.readinessCheck.name,
          // With the store unreachable, a server that resolved models before serves them: degraded, not down.
          check: async () => {
            try {
              await openedRegistryWiring.readinessCheck.check();
            } catch (error) {
              const known = openedServing.lastKnown.knownReferences;
              if (!isStoreOutage(error) || known === 0) throw error;
              return {
                degraded: `the registry store is unreachable (${LlmopsError.fromUnknown(error).message}); serving the ${known} model reference(s) resolved before from their last known versions, registry changes refused until it is back`,
              };
            }
            return undefined;
          },
        },
      ],
    });
    cacheLogger = (error) => {
      const failure = LlmopsError.fromUnknown(error);
      running.server.log.warn({ code: failure.code }, `response cache skipped: ${failure.message}`);
    };
    traceLogger = (error, dropped) => {
      const failure = LlmopsError.fromUnknown(error);
      running.server.log.warn({ code: failure.code, dropped }, `traces not stored: ${failure.message}`);
    };
    eventLogger = (error, dropped) => {
      const failure = LlmopsError.fromUnknown(error);
      running.server.log.warn({ code: failure.code, dropped }, `monitoring events not stored: ${failure.message}`);
    };
    limitsLogger = (error) => {
      const failure = LlmopsError.fromUnknown(error);
      running.server.log.warn({ code: failure.code }, `limits not applied: ${failure.message}`);
    };
    guardrailLogger = running.server.log;
    fallbackLogger = (backend, error) => {
      if (error)
        running.server.log.warn(
          { code: error.code },
          `${backend}: Redis unreachable (${error.message}); answering from this process until it is back`,
        );
      else running.server.log.info(`${backend}: Redis reachable again`);
    };
    outageLogger = (outage) => {
      if (outage)
        running.server.log.warn(
          `registry store unreachable (${outage.reason}): serving models resolved before from their last known versions`,
        );
      else running.server.log.info('registry store reachable again: references are resolved against it');
    };
    onlineLogger = (error) => {
      const failure = LlmopsError.fromUnknown(error);
      running.server.log.warn({ code: failure.code }, `online evaluation failed: ${failure.message}`);
    };
    const scheduled = startScheduledAlerts({
      monitoring,
      registry,
      cwd,
      env,
      storeUri: options.storeUri ?? defaultStoreUri,
      log: running.server.log,
      // Re-evaluated examples' traces go to the server's own trace queue, like the API's evaluations.
      traces: serving.traces,
    });
    const warnings: string[] = [];
    // Spend is not needed here: the key file alone answers, even with Redis down.
    const keys = await openedKeys.keys.list({ spend: false });
    if (!keys.some((key) => key.role === 'admin' && key.revokedAt === undefined))
      warnings.push(
        'no admin API key: admin routes refuse every request (create one with llmops keys create --role admin)',
      );
    if (env['LLMOPS_ADMIN_TOKEN'])
      warnings.push(
        'LLMOPS_ADMIN_TOKEN is no longer read: admin routes need an admin API key (llmops keys create --role admin)',
      );
    if (anonymousInference)
      warnings.push(`anonymous inference is on (${anonymousInferenceEnv}): /v1/* answers requests without a key`);
    if (options.anonymousReads === 'loopback')
      warnings.push(
        'anonymous reads are on for loopback clients: the console reads (registry, evaluations, traces, monitoring) answer requests from this machine without a key',
      );
    if (!registry.policy)
      warnings.push('no promotion policy (confs/promotion-policy.yaml or --policy): only forced promotions pass');
    const opened = { registry, serving, monitoring, apiKeys: openedKeys };
    return {
      ...running,
      warnings,
      backends: { cache: serving.cache.location, limits: openedKeys.limitsLocation },
      monitoring: { queue: monitoring.queue, location: monitoring.location, online: monitoring.online },
      close: async () => {
        // The alert rounds stop first: they read the stores closed below.
        await scheduled?.stop();
        await running.close();
        // Requests are drained: their traces and events are queued, and written before the stores close. Both close
        // at once, so the events' own file is written at once, whatever a remote trace destination does; every queue
        // gives up after its deadline (10 s), logged once and counted, so an unreachable store cannot hold the close.
        try {
          await Promise.all([opened.serving.close(), opened.monitoring.close()]);
        } finally {
          await opened.apiKeys.close();
          await opened.registry.close();
          evaluation.close();
        }
      },
    };
  } catch (error) {
    await serving?.close();
    await monitoring?.close();
    await apiKeys?.close();
    await registry?.close();
    evaluation.close();
    throw error;
  }
}
