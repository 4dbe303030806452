import { EvaluationService, openEvaluationStore, standardReportArtifacts } from '@llmops/evaluation';
import { AlertEngine, createNotifierFactory, openAlertStore } from '@llmops/monitoring';
import type { AlertLogger, AlertsConfig } from '@llmops/monitoring';
import type { PromotionPolicy, Registry } from '@llmops/registry';
import { createServedModelTargets } from '../evaluation/served-model-target.js';
import type { EvaluationTraceQueue } from '../evaluation/pipeline-target.js';
import { openExampleTraceQueue } from '../evaluation/example-trace-queue.js';
import { createAlertActions } from './alert-actions.js';

/** Options of {@link openMonitoringAlerts}. */
export interface MonitoringAlertsOptions {
  /** The `alerts:` section of the monitoring conf. */
  config: AlertsConfig;
  /** The store URI: alerts go to `monitoring_alerts` beside the events, re-evaluation runs to its tracker. */
  storeUri: string;
  /** The workspace: datasets, gates, corpora and alert files are read and written inside it or a data root. */
  cwd: string;
  env: Record<string, string | undefined>;
  /** The registry re-evaluated versions are served from and the champion is rolled back in. */
  registry: Registry;
  /** The judge of re-evaluations (`offline` or a model spec such as `openai/gpt-4o-mini`). */
  judge: string;
  /** The policy a rebuilt challenger is promoted under (rules with `rebuild`); without it a rebuild fails. */
  promotionPolicy?: PromotionPolicy;
  /** Where `log` notifications go. */
  logger: AlertLogger;
  /**
   * Where a re-evaluation records each example's trace (the server passes its own trace queue); without it the store
   * URI's trace store is opened, as `llmops eval run` does, so a re-evaluated example links its trace in the console.
   */
  traces?: EvaluationTraceQueue;
  /** Rehearse every rule, whatever the conf says (`llmops run … --dry-run`). */
  dryRun?: boolean;
  fetch?: typeof fetch;
}

/** An alert engine wired to the other contexts, and what closes the stores it opened. */
export interface MonitoringAlerts {
  engine: AlertEngine;
  /** Waits for every alert still running, then closes the alert and evaluation stores. */
  close: () => Promise<void>;
}

/**
 * Builds the alert engine an app runs: the rules of the conf, the alert store of the store URI, the notifiers
 * (log, files confined to the workspace and data roots, webhooks with the conf's retries), and the actions through the other
 * contexts (re-evaluation with {@link createAlertActions} on served model versions, rollback in the registry).
 * Dataset, gate and alert files must lie inside the workspace or a data root (`LLMOPS_DATA_ROOTS`).
 * @throws LlmopsError `unavailable` when a store cannot be opened.
 */
export function openMonitoringAlerts(options: MonitoringAlertsOptions): MonitoringAlerts {
  const config = options.dryRun ? { ...options.config, dryRun: true } : options.config;
  const { cwd, env, registry } = options;
  const alertStore = openAlertStore(options.storeUri, { cwd });
  let evaluationStore: ReturnType<typeof openEvaluationStore>;
  try {
    evaluationStore = openEvaluationStore({ storeUri: options.storeUri, cwd, env });
  } catch (error) {
    alertStore.close();
    throw error;
  }
  const ownTraces = options.traces
    ? undefined
    : openExampleTraceQueue(options.storeUri, {
        cwd,
        env,
        onDropped: (dropped, message) => options.logger.warn({ dropped }, `re-evaluation: ${message}`),
      });
  const traces = options.traces ?? ownTraces?.queue;
  const actions = createAlertActions({
    registry,
    judge: options.judge,
    ...(options.promotionPolicy ? { promotionPolicy: options.promotionPolicy } : {}),
    evaluation: {
      service: new EvaluationService({
        tracker: evaluationStore.tracker,
        cache: evaluationStore.cache,
        artifacts: standardReportArtifacts,
      }),
      cwd,
      env,
      endpointKeys: false,
      confineFiles: true,
      modelTarget: createServedModelTargets({ registry, cwd, env, ...(traces ? { traces } : {}) }),
    },
  });
  const engine = new AlertEngine({
    config,
    store: alertStore,
    notifierFor: createNotifierFactory({
      logger: options.logger,
      root: cwd,
      env,
      webhook: config.webhook,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
    ...actions,
  });
  return {
    engine,
    close: async () => {
      try {
        await engine.idle();
      } finally {
        try {
          await ownTraces?.close();
        } finally {
          alertStore.close();
          evaluationStore.close();
        }
      }
    },
  };
}
