import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LlmopsError } from '@llmops/kernel';
import {
  RunSetComparisons,
  comparisonGrid,
  exampleSortKeys,
  isExampleSortKey,
  isMetricName,
  resolveRunReference,
  runVerdicts,
  sortOrders,
} from '@llmops/evaluation';
import type { RunQueries, RunTracker, RunWithResults } from '@llmops/evaluation';
import {
  comparisonRowView,
  exampleDetailView,
  exampleRowView,
  exampleRuleView,
  metricComparisonView,
  runDetailView,
  runSummaryView,
} from './evaluation-views.js';
import { parseQuery } from './request-parsing.js';

/** The run ids the API accepts in a path or a list (SQLite's hex ids and MLflow's run ids). */
const runIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Reads a run id from the path.
 * @throws LlmopsError `invalid_input` for text that cannot be a run id.
 */
export function parseRunId(id: string): string {
  if (!runIdPattern.test(id)) throw new LlmopsError('invalid_input', `evaluation id "${id}" is not a run id`);
  return id;
}

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
const booleanText = z.enum(['true', 'false']).transform((text) => text === 'true');
const text = z.string().min(1).max(200);
const runStatuses = ['running', 'finished', 'failed', 'interrupted', 'abandoned'] as const;

/** The query of `GET /api/v1/evaluations`. */
export const evaluationListQuerySchema = z.strictObject({
  model: text.optional(),
  dataset: text.optional(),
  verdict: z.enum(runVerdicts).optional(),
  status: z.enum(runStatuses).optional(),
  q: text.optional(),
  ...page,
});

const sortKey = z
  .string()
  .default('index')
  .refine(isExampleSortKey, { error: `expected one of: ${exampleSortKeys.join(', ')}` });

/** The query of `GET /api/v1/evaluations/:id/examples`. */
export const exampleListQuerySchema = z.strictObject({
  sort: sortKey,
  order: z.enum(sortOrders).default('asc'),
  q: text.optional(),
  failed: booleanText.optional(),
  ...page,
});

/** The query of `GET /api/v1/evaluations/:id/histograms`. */
export const histogramQuerySchema = z.strictObject({ bins: z.coerce.number().int().min(1).max(100).default(10) });

const runList = z
  .string()
  .transform((value) => value.split(',').map((id) => id.trim()))
  .pipe(
    z
      .array(z.string().regex(runIdPattern, { error: 'each run id is letters, digits, _ or -' }))
      .min(2, { error: 'expected 2 to 6 run ids separated by commas, the baseline first' })
      .max(6, { error: 'expected 2 to 6 run ids separated by commas, the baseline first' }),
  );

/** The query of `GET /api/v1/evaluations/compare`. */
export const compareQuerySchema = z.strictObject({ runs: runList });

/** The query of `GET /api/v1/evaluations/compare/examples`. */
export const compareExamplesQuerySchema = z.strictObject({
  runs: runList,
  disagree: booleanText.optional(),
  sort: sortKey,
  ...page,
});

/** Where the evaluation reads of the console come from. */
export interface EvaluationBrowsingSources {
  tracker: RunTracker;
  queries: RunQueries;
}

async function loadRuns(tracker: RunTracker, ids: readonly string[]): Promise<RunWithResults[]> {
  return Promise.all(ids.map(async (id) => ({ record: await tracker.get(id), results: await tracker.results(id) })));
}

/**
 * The console's reads of evaluations: `GET /api/v1/evaluations` (runs, filtered and paged on the store),
 * `/:id` (the run with its gate table), `/:id/examples` (sorted, filtered, searched and paged on the store),
 * `/:id/examples/:index`, `/:id/histograms`, `/compare` (metric deltas with bootstrap confidence intervals, from the
 * runs' score columns, kept for finished runs) and `/compare/examples` (the per-example grid). Thin: the queries and statistics are the evaluation package's.
 */
export function evaluationBrowsingRoutes(sources: EvaluationBrowsingSources): (server: FastifyInstance) => void {
  const { tracker, queries } = sources;
  const comparisons = new RunSetComparisons({ tracker, queries });
  return (server) => {
    server.get('/api/v1/evaluations', async (request) => {
      const query = parseQuery(evaluationListQuerySchema, request);
      const found = await queries.listRuns({
        ...(query.model ? { model: query.model } : {}),
        ...(query.dataset ? { dataset: query.dataset } : {}),
        ...(query.verdict ? { verdict: query.verdict } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.q ? { text: query.q } : {}),
        limit: query.limit,
        offset: query.offset,
      });
      return { object: 'list', data: found.items.map(runSummaryView), total: found.total };
    });

    server.get<{ Params: { id: string } }>('/api/v1/evaluations/:id', async (request) =>
      runDetailView(await tracker.get(await resolveRunReference(tracker, parseRunId(request.params.id)))),
    );

    server.get<{ Params: { id: string } }>('/api/v1/evaluations/:id/examples', async (request) => {
      const query = parseQuery(exampleListQuerySchema, request);
      const found = await queries.examples(parseRunId(request.params.id), {
        sort: query.sort as Parameters<RunQueries['examples']>[1]['sort'],
        order: query.order,
        ...(query.q ? { text: query.q } : {}),
        ...(query.failed === undefined ? {} : { failed: query.failed }),
        limit: query.limit,
        offset: query.offset,
      });
      return { object: 'list', data: found.items.map(exampleRowView), total: found.total };
    });

    server.get<{ Params: { id: string; index: string } }>(
      '/api/v1/evaluations/:id/examples/:index',
      async (request) => {
        const { index } = request.params;
        if (!/^(0|[1-9][0-9]{0,8})$/.test(index))
          throw new LlmopsError('invalid_input', `example index "${index}" in the path is not a whole number from 0`);
        return exampleDetailView(await queries.example(parseRunId(request.params.id), Number(index)));
      },
    );

    server.get<{ Params: { id: string } }>('/api/v1/evaluations/:id/histograms', async (request) => {
      const { bins } = parseQuery(histogramQuerySchema, request);
      return queries.histograms(parseRunId(request.params.id), bins);
    });

    server.get('/api/v1/evaluations/compare', async (request) => {
      const { runs: ids } = parseQuery(compareQuerySchema, request);
      const { runs, metrics } = await comparisons.compare(ids);
      return {
        object: 'evaluation.comparison',
        runs: runs.map(runSummaryView),
        metrics: metrics.map(metricComparisonView),
      };
    });

    server.get('/api/v1/evaluations/compare/examples', async (request) => {
      const query = parseQuery(compareExamplesQuerySchema, request);
      const runs = await loadRuns(tracker, query.runs);
      const grid = comparisonGrid(runs, {
        ...(query.disagree === undefined ? {} : { disagree: query.disagree }),
        sort: isMetricName(query.sort) ? query.sort : 'index',
        limit: query.limit,
        offset: query.offset,
      });
      return {
        object: 'list',
        data: grid.items.map(comparisonRowView),
        total: grid.total,
        // What each run's pass/fail means: its gate's thresholds, or the default rule.
        rules: runs.map((run) => exampleRuleView(run.record)),
      };
    });
  };
}
