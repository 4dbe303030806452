import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LlmopsError, systemClock } from '@llmops/kernel';
import {
  buildEventDriftReport,
  buildSloStatus,
  defaultMonitoringConfFile,
  parseSinceDuration,
  sinceDurationPattern,
} from '@llmops/monitoring';
import type { AlertStore, DriftReference, EventStore, MonitoringConf } from '@llmops/monitoring';
import type { Clock } from '@llmops/kernel';
import type { MonitoredModel } from '../../monitoring/monitored-model.js';
import { resolveDriftReference } from '../../monitoring/drift-reference.js';
import { parseQuery } from './request-parsing.js';

/** Options of {@link monitoringRoutes}. */
export interface MonitoringRoutesOptions {
  store: Pick<EventStore, 'list'>;
  /** The alerts fired by monitor jobs (`monitoring_alerts`). */
  alerts: Pick<AlertStore, 'list'>;
  /** The objectives (`confs/monitoring.yaml`); without them `/slo` answers 404. */
  conf: MonitoringConf | undefined;
  /** Turns a `model` parameter into the traffic it selects (checked against the registry). */
  selectModel: (reference: string) => Promise<MonitoredModel>;
  /** The workspace a drift `reference` dataset file is read from (confined to it); without it only windows are taken. */
  cwd?: string;
  /** Further folders a drift `reference` dataset may be in (`LLMOPS_DATA_ROOTS`); absolute paths. */
  dataRoots?: readonly string[];
  clock?: Clock;
}

const duration = (fallback: string) =>
  z
    .string()
    .regex(sinceDurationPattern, 'expected a whole number and a unit s, m, h, d or w, for example 15m, 1h or 7d')
    .default(fallback);

/** The query of `GET /api/v1/monitoring/events`. */
export const eventsQuerySchema = z.strictObject({
  since: duration('1h'),
  model: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The query of `GET /api/v1/monitoring/slo`. */
export const sloQuerySchema = z.strictObject({ model: z.string().min(1).optional() });

/** The query of `GET /api/v1/monitoring/drift`. */
export const driftQuerySchema = z.strictObject({
  /** The baseline: a window just before the current one (`24h`), or a dataset file of the workspace, as the CLI's. */
  reference: z.string().min(1, 'expected a duration such as 24h, or a dataset file of the workspace').default('24h'),
  since: duration('1h'),
  model: z.string().min(1).optional(),
});

/** The query of `GET /api/v1/monitoring/alerts`. */
export const alertsQuerySchema = z.strictObject({
  since: duration('24h'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * The `reference` of a drift query: a window, or (with a workspace) a dataset file inside it or a data root, read
 * as the CLI's `--reference` is.
 * @throws LlmopsError `invalid_input` for neither, an unreadable dataset or no workspace; `forbidden` for a file
 * outside the workspace and data roots (symbolic links followed).
 */
function driftReferenceOf(text: string, options: Pick<MonitoringRoutesOptions, 'cwd' | 'dataRoots'>): DriftReference {
  const { cwd, dataRoots } = options;
  if (cwd !== undefined)
    return resolveDriftReference(text, { cwd, what: 'reference', confine: true, ...(dataRoots ? { dataRoots } : {}) });
  if (!sinceDurationPattern.test(text)) {
    throw new LlmopsError(
      'invalid_input',
      `reference "${text}" is not a duration (a whole number and s, m, h, d or w, such as 24h); this server reads no dataset files`,
    );
  }
  return { kind: 'window', windowMs: parseSinceDuration(text, 'reference') };
}

/**
 * The monitoring API, over the event store:
 * - `GET /api/v1/monitoring/events?since=1h&model=REF&limit=50&offset=0` (admin key): recent events, newest first,
 *   paged; an event holds the question's text only when the deployment stores it.
 * - `GET /api/v1/monitoring/slo?model=REF`: every objective of the conf over each of its windows, with burn rates.
 * - `GET /api/v1/monitoring/drift?reference=24h&since=1h&model=REF`: the last `since` against the `reference`
 *   window before it, or against the questions of a dataset file of the workspace or a data root
 *   (`reference=confs/data/eval/support-qa.jsonl`, the CLI's `--reference`), per feature and overall.
 * - `GET /api/v1/monitoring/alerts?since=24h&limit=100`: the alerts fired, newest first, with what each notified
 *   and did. Same access as `/slo`: an alert holds no question text and no secret (a webhook is recorded by its
 *   origin only).
 * Bad parameters answer 400 and unknown models 404, in the OpenAI error shape.
 */
export function monitoringRoutes(options: MonitoringRoutesOptions): (server: FastifyInstance) => void {
  const clock = options.clock ?? systemClock;
  const selection = async (reference: string | undefined): Promise<MonitoredModel | Record<string, never>> =>
    reference === undefined ? {} : options.selectModel(reference);
  return (server) => {
    server.get('/api/v1/monitoring/events', async (request) => {
      const query = parseQuery(eventsQuerySchema, request);
      const now = clock.now();
      const model = await selection(query.model);
      const page = await options.store.list({
        since: now - parseSinceDuration(query.since, 'since'),
        until: now + 1,
        ...model,
        newestFirst: true,
        limit: query.limit + 1,
        offset: query.offset,
      });
      return {
        object: 'list',
        data: page.slice(0, query.limit),
        limit: query.limit,
        offset: query.offset,
        has_more: page.length > query.limit,
      };
    });

    server.get('/api/v1/monitoring/slo', async (request) => {
      const query = parseQuery(sloQuerySchema, request);
      if (!options.conf)
        throw new LlmopsError(
          'not_found',
          `no service level objectives: the server has no monitoring conf (${defaultMonitoringConfFile})`,
        );
      const model = await selection(query.model);
      return {
        object: 'monitoring.slo',
        ...(await buildSloStatus(options.store, { conf: options.conf, ...model, clock })),
      };
    });

    server.get('/api/v1/monitoring/drift', async (request) => {
      const query = parseQuery(driftQuerySchema, request);
      const reference = driftReferenceOf(query.reference, options);
      const model = await selection(query.model);
      const report = await buildEventDriftReport(options.store, {
        reference,
        currentWindowMs: parseSinceDuration(query.since, 'since'),
        ...model,
        clock,
      });
      return { object: 'monitoring.drift', ...report };
    });

    server.get('/api/v1/monitoring/alerts', async (request) => {
      const query = parseQuery(alertsQuerySchema, request);
      const since = clock.now() - parseSinceDuration(query.since, 'since');
      const data = await options.alerts.list({ since, limit: query.limit });
      return { object: 'list', data, since: new Date(since).toISOString(), limit: query.limit };
    });
  };
}
