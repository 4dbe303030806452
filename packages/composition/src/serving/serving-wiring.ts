import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type {
  TraceReader,
  CircuitBreakers,
  IndexStore,
  ModelResolver,
  ResponseCacheSettings,
  ServingStepFactory,
  GuardrailPolicies,
  BackendFallbackOptions,
} from '@llmops/serving';
import { defaultPricingFile, loadPricingTable, loadTokenEncoders } from '@llmops/providers';
import type { ProviderRegistry } from '@llmops/providers';
import type { Registry } from '@llmops/registry';
import { confinedOperatorFile, dataRootsOf, defaultStoreUri } from '@llmops/kernel';
import {
  BatchingTraceSink,
  builtInGuardrailPolicies,
  EmbeddingService,
  CorpusIndexer,
  defaultGuardrailsFile,
  fanOutTraces,
  FileCorpusSource,
  FileIndexStore,
  loadGuardrailPolicies,
  openResponseCache,
  openTraceStore,
  OtlpTraceSink,
  otlpCollectorSettingsFromEnv,
  PipelineFactory,
  ServingService,
  traceSampleRateFromEnv,
} from '@llmops/serving';
import { openAiRoutes } from '../http/routes/openai-routes.js';
import { RegistryModelResolver } from './registry-model-resolver.js';
import { LastKnownGoodResolver } from './last-known-good-resolver.js';
import type { StoreOutage } from './last-known-good-resolver.js';
import { createWorkspaceProviders } from '../providers/workspace-providers.js';

/** Options of {@link createServingWiring}. */
export interface ServingWiringOptions {
  registry: Registry;
  /** The workspace folder: corpora, `confs/guardrails.yaml` and `confs/pricing.yaml` are read from it, indexes kept in `.llmops/indexes/`. */
  cwd: string;
  /**
   * Where API keys of providers and moderation endpoints are read, and the OTLP collector that gets
   * every trace too (`LLMOPS_OTLP_ENDPOINT`, `LLMOPS_OTLP_HEADERS`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`).
   */
  env: Record<string, string | undefined>;
  /** The guardrails file; `confs/guardrails.yaml` when it exists, else the built-in `default` policy. */
  guardrailsFile?: string;
  /** The pricing file; `confs/pricing.yaml` when it exists, else costs are unknown. */
  pricingFile?: string;
  /**
   * `--store` / `LLMOPS_STORE`: where every served request's trace goes (the `traces` table of the
   * embedded SQLite file, or MLflow's experiment `llmops-serving`); the embedded default when absent.
   */
  storeUri?: string;
  /**
   * Reports a batch of traces the store or the OTLP collector refused (they are dropped; requests
   * never fail for it). The error's message names the destination, never the collector's headers.
   */
  onTraceError?: (error: unknown, dropped: number) => void;
  /** Longest time one export to the OTLP collector may take, retries included, in ms; 10,000 by default. */
  collectorTimeoutMs?: number;
  /** Longest wait for the OTLP collector's queue on `close`, in ms; 5,000 by default (then its traces are lost). */
  collectorCloseTimeoutMs?: number;
  /**
   * Longest wait for the store's trace queue on `close`, in ms; 10,000 by default (then its traces are abandoned:
   * reported through `onTraceError`, counted in `llmops_traces_abandoned_total`).
   */
  closeTimeoutMs?: number;
  /** Serving steps the deployment adds to the built-in ones (the `monitoring` step), placed by `defaultStepOrder`. */
  steps?: readonly ServingStepFactory[];
  /**
   * Reports a response cache failure (Redis unreachable, a locked SQLite file): the request went on without the
   * cache. The message names the backend's host, never its password.
   */
  onCacheError?: (error: unknown) => void;
  /** Called once when the registry's store becomes unreachable (serving goes on from the last known state), and once with `undefined` when it answers again. */
  onStoreOutage?: (outage: StoreOutage | undefined) => void;
  /** With Redis: called once when the response cache falls back to the in-process one, and once when Redis is back. */
  onBackendFallback?: BackendFallbackOptions['onChange'];
}

/** Serving as the API exposes it: the service, the OpenAI-compatible routes, and how to close it. */
export interface ServingWiring {
  service: ServingService;
  /** The resolver that rides out an outage of the registry's store: its outage (for `/readyz`) and what it remembers. */
  lastKnown: LastKnownGoodResolver;
  routes: (server: FastifyInstance) => void;
  /** The queue in front of the trace store (its counts: queued, written, dropped). */
  traces: BatchingTraceSink;
  /** Where traces are stored, and their reader (the embedded store's, or MLflow's trace search in the sink's experiment). */
  traceStore: { reader: TraceReader; location: string };
  /** The circuit breakers of the upstreams the served versions call (their states go to `/metrics`). */
  breakers: CircuitBreakers | undefined;
  /** The providers its chat models and embedders are built from (their upstream connections); closed by `close`. */
  providers: ProviderRegistry;
  /** The OTLP collector's own queue (its counts) and URL, when one is configured. */
  collector?: { queue: BatchingTraceSink; location: string };
  /**
   * The response cache (`LLMOPS_CACHE`, `REDIS_URL`): where it is, and how many times its backend failed since start
   * (each failure answered without the cache).
   */
  cache: { location: string; errors: () => number; fallbackCalls: () => number };
  /**
   * Writes the traces still queued (`closeTimeoutMs` at most for the store's, `collectorCloseTimeoutMs` for the collector's; the
   * rest is abandoned, reported through `onTraceError` and counted), then closes the trace store, the response cache and
   * the providers' upstream connections.
   */
  close: () => Promise<void>;
}

/**
 * Builds serving over the registry: model references resolve through the registry (remembered, so that an outage of
 * its store is ridden out from the last known versions: `LastKnownGoodResolver`), pipelines are
 * built with the guardrail policies and prices of the workspace, RAG indexes are kept under
 * `.llmops/indexes/` (built once per corpus content), and every request's trace is queued for the
 * store's trace store and, when `LLMOPS_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is
 * set, for that OTLP collector too, each behind its own queue (written in batches off the request's
 * path; flushed by `close`). Answers are cached by the `cache` step in the response cache of
 * `openResponseCache` (in process by default; Redis when `REDIS_URL` is set).
 * @throws LlmopsError `invalid_input` for an invalid guardrails or pricing file (file, line and field named),
 * or a malformed collector endpoint or headers (the variable named, never a header's value).
 */
export function createServingWiring(options: ServingWiringOptions): ServingWiring {
  // Read first: a bad value stops the start before anything is opened.
  const traceSampleRate = traceSampleRateFromEnv(options.env);
  const resolver = new LastKnownGoodResolver(new RegistryModelResolver(options.registry), {
    ...(options.onStoreOutage ? { onChange: options.onStoreOutage } : {}),
  });
  const responseCache = openResponseCache({
    env: options.env,
    storeUri: options.storeUri ?? defaultStoreUri,
    cwd: options.cwd,
    ...(options.onBackendFallback ? { onFallback: options.onBackendFallback } : {}),
  });
  let cacheErrors = 0;
  const providers = createWorkspaceProviders({ cwd: options.cwd, env: options.env });
  const factory = createWorkspacePipelineFactory({
    ...options,
    providers,
    models: resolver,
    cache: {
      store: responseCache.store,
      onError: (error) => {
        cacheErrors += 1;
        options.onCacheError?.(error);
      },
    },
  });
  const collectorSettings = otlpCollectorSettingsFromEnv(options.env);
  const store = openTraceStore(options.storeUri ?? defaultStoreUri, { cwd: options.cwd, env: options.env });
  const onError = options.onTraceError ? { onError: options.onTraceError } : {};
  const traces = new BatchingTraceSink({
    sink: store.sink,
    ...(store.batchSize === undefined ? {} : { batchSize: store.batchSize }),
    ...(options.closeTimeoutMs === undefined ? {} : { closeTimeoutMs: options.closeTimeoutMs }),
    ...onError,
  });
  const collectorSink =
    collectorSettings &&
    new OtlpTraceSink({
      ...collectorSettings,
      ...(options.collectorTimeoutMs === undefined ? {} : { timeoutMs: options.collectorTimeoutMs }),
    });
  const collector = collectorSink && {
    queue: new BatchingTraceSink({
      sink: collectorSink,
      ...onError,
      closeTimeoutMs: options.collectorCloseTimeoutMs ?? 5_000,
    }),
    location: collectorSink.location,
    sink: collectorSink,
  };
  const traceSink = collector ? fanOutTraces([traces, collector.queue]) : traces;
  const service = new ServingService({ resolver, factory, traceSink, traceSampleRate });
  const pricing = workspacePricing(options);
  const embeddings = new EmbeddingService({
    resolver,
    providers,
    env: options.env,
    ...(pricing ? { pricing } : {}),
    steps: factory,
    traceSink,
    traceSampleRate,
  });
  return {
    service,
    lastKnown: resolver,
    routes: openAiRoutes({ serving: service, embeddings }),
    breakers: factory.breakers,
    providers,
    traces,
    traceStore: { reader: store.reader, location: store.location },
    ...(collector ? { collector: { queue: collector.queue, location: collector.location } } : {}),
    cache: {
      location: responseCache.location,
      errors: () => cacheErrors,
      fallbackCalls: () => responseCache.fallback?.fallbackCalls ?? 0,
    },
    close: async () => {
      try {
        await Promise.all([
          traces.close(),
          collector &&
            closeWithin(
              collector.queue.close().then(() => collector.sink.close()),
              options.collectorCloseTimeoutMs ?? 5_000,
            ),
        ]);
      } finally {
        store.close();
        await Promise.all([responseCache.store.close(), providers.close()]);
      }
    },
  };
}

/** Waits for `closing` at most `timeoutMs` (a collector that is down must not hold a shutdown for long). */
async function closeWithin(closing: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([closing, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The prices of a workspace: `pricingFile`, else `confs/pricing.yaml` when it exists, else none.
 * @throws LlmopsError `invalid_input` for an invalid pricing file (file, line and field named).
 */
function workspacePricing(options: Pick<ServingWiringOptions, 'cwd' | 'env' | 'pricingFile'>) {
  const pricingFile = confinedOperatorFile({
    root: options.cwd,
    file: options.pricingFile ?? defaultPricingFile,
    what: 'pricing file',
    env: options.env,
  });
  return options.pricingFile || existsSync(pricingFile)
    ? loadPricingTable(pricingFile, { env: options.env })
    : undefined;
}

/**
 * The guardrail policies of a workspace: the file given, else `confs/guardrails.yaml` when it exists, else the
 * built-in `default` policy.
 * @throws LlmopsError `invalid_input` for a missing or invalid guardrails file (file, line and field named).
 */
export function workspaceGuardrailPolicies(
  options: Pick<ServingWiringOptions, 'cwd' | 'env' | 'guardrailsFile'>,
): GuardrailPolicies {
  const guardrailsFile = confinedOperatorFile({
    root: options.cwd,
    file: options.guardrailsFile ?? defaultGuardrailsFile,
    what: 'guardrails file',
    env: options.env,
  });
  return options.guardrailsFile || existsSync(guardrailsFile)
    ? loadGuardrailPolicies(guardrailsFile, {
        env: options.env,
        confineFile: (file, what) => confinedOperatorFile({ root: options.cwd, file, what, env: options.env }),
      })
    : builtInGuardrailPolicies();
}

/**
 * The pipeline factory of a workspace: the guardrail policies of `confs/guardrails.yaml` (or the
 * built-in ones), the prices of `confs/pricing.yaml` (or none), RAG indexes in `indexStore`
 * (by default `.llmops/indexes/`, built once per corpus content), and the response cache when `cache` is given
 * (serving gives it; evaluation does not, as it must measure the model, not the cache). Models are built from
 * `providers` (`createWorkspaceProviders`), which the caller closes once the pipelines are no longer called.
 * @throws LlmopsError `invalid_input` for an invalid guardrails or pricing file (file, line and field named).
 */
export function createWorkspacePipelineFactory(
  options: Omit<ServingWiringOptions, 'registry'> & {
    providers: ProviderRegistry;
    indexStore?: IndexStore;
    models?: ModelResolver;
    cache?: ResponseCacheSettings;
  },
): PipelineFactory {
  const { cwd, env } = options;
  // Pipelines count tokens on every request (usage, limits, context budgets) and the tokenizer loads on first use:
  // built with the factory, the first request (or an evaluation's first example, whose latency counts) does not wait.
  loadTokenEncoders();
  const guardrails = workspaceGuardrailPolicies(options);
  const pricing = workspacePricing(options);
  const indexDirectory = join(cwd, '.llmops', 'indexes');
  const store = options.indexStore ?? new FileIndexStore({ directory: indexDirectory });
  const indexer = new CorpusIndexer({
    source: new FileCorpusSource({ root: cwd, dataRoots: dataRootsOf(env) }),
    store,
  });
  return new PipelineFactory({
    guardrails,
    indexer,
    env,
    confineFile: (file, what) => confinedOperatorFile({ root: cwd, file, what, env }),
    passageVectorDirectory: indexDirectory,
    providers: options.providers,
    ...(pricing ? { pricing } : {}),
    ...(options.steps ? { steps: options.steps } : {}),
    ...(options.models ? { models: options.models } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
  });
}
