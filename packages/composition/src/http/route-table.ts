import { z } from 'zod';
import { chatCompletionSchema, modelListSchema, modelObjectSchema } from '@llmops/kernel';
import { newApiKeySchema, servedChatRequestSchema, servedEmbeddingRequestSchema } from '@llmops/serving';
import { dashboardQuerySchema } from './routes/dashboard-routes.js';
import { traceListQuerySchema } from './routes/trace-routes.js';
import { promotionListQuerySchema } from './routes/promotion-routes.js';
import { startEvaluationBodySchema } from './routes/evaluation-routes.js';
import {
  compareExamplesQuerySchema,
  compareQuerySchema,
  evaluationListQuerySchema,
  exampleListQuerySchema,
  histogramQuerySchema,
} from './routes/evaluation-browsing-routes.js';
import { alertsQuerySchema, driftQuerySchema, eventsQuerySchema, sloQuerySchema } from './routes/monitoring-routes.js';
import {
  deleteAliasBodySchema,
  modelVersionBodySchema,
  newPromptBodySchema,
  promoteBodySchema,
  promptVersionBodySchema,
  rollbackBodySchema,
  setAliasBodySchema,
} from './routes/registry-routes.js';
import type { RouteAccess } from './access-control.js';

/** An HTTP method a route of the table answers (`HEAD` comes with every `GET`). */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One answer a route documents: its status, what it means, and its body's schema and media type. */
export interface RouteResponse {
  status: number;
  description: string;
  /** The body's schema; absent for bodies that are not JSON (`text/html`, `text/plain`…). */
  schema?: z.ZodType;
  /** `application/json` unless given. */
  contentType?: string;
}

/** One route of the llmops API: what the OpenAPI document and the access control are generated from. */
export interface RouteDefinition {
  method: RouteMethod;
  /** Fastify's pattern: `/api/v1/models/:name`. */
  url: string;
  /** Who may call it (`routeAccess`). */
  access: RouteAccess;
  summary: string;
  /** The zod schema the route validates its JSON body with. */
  body?: z.ZodType;
  /** The zod schema the route validates its query string with. */
  query?: z.ZodType;
  /** Its successful answers (errors are common to every route: OpenAI's error shape). */
  responses: readonly RouteResponse[];
}

/** `{object: "list", data: […]}`, the shape of every list the API answers. */
const listSchema = z.looseObject({ object: z.literal('list'), data: z.array(z.unknown()) });
/** A page of a longer list: `{object: "list", data: […], total}`. */
const pagedListSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(z.unknown()),
  total: z.number().int(),
});
/** An object the admin API answers; its fields are described in wiki/Api.md, not pinned here. */
const recordSchema = z.looseObject({});
const readinessSchema = z.looseObject({
  status: z.enum(['ready', 'not_ready', 'degraded', 'shutting_down']),
  checks: z.array(
    z.looseObject({
      name: z.string(),
      ok: z.boolean(),
      degraded: z.boolean().optional(),
      message: z.string().optional(),
    }),
  ),
});
const embeddingListSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(z.looseObject({ object: z.literal('embedding'), index: z.number().int() })),
  model: z.string(),
  usage: z.looseObject({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
});

const ok = (description: string, schema: z.ZodType = recordSchema): RouteResponse => ({
  status: 200,
  description,
  schema,
});
const registered: RouteResponse[] = [
  { status: 201, description: 'a new version was registered', schema: recordSchema },
  ok('the same content was registered before: the existing version'),
];

/** The routes both prompts and models have, under `/api/v1/prompts` and `/api/v1/models`. */
function subjectRoutes(collection: 'prompts' | 'models'): RouteDefinition[] {
  const base = `/api/v1/${collection}`;
  const admin = { access: 'admin' } as const;
  const reader = { access: 'reader' } as const;
  return [
    { ...reader, method: 'GET', url: base, summary: `list the ${collection}`, responses: [ok('the list', listSchema)] },
    { ...reader, method: 'GET', url: `${base}/:name`, summary: `one of the ${collection}`, responses: [ok('it')] },
    {
      ...reader,
      method: 'GET',
      url: `${base}/:name/versions`,
      summary: 'its versions',
      responses: [ok('the list', listSchema)],
    },
    {
      ...reader,
      method: 'GET',
      url: `${base}/:name/versions/:version`,
      summary: 'one version',
      responses: [ok('the version')],
    },
    ...(['PUT', 'PATCH', 'DELETE'] as const).map((method): RouteDefinition => ({
      ...admin,
      method,
      url: `${base}/:name/versions/:version`,
      summary: 'versions are immutable: always 409 conflict',
      responses: [],
    })),
    {
      ...reader,
      method: 'GET',
      url: `${base}/:name/aliases/:alias`,
      summary: 'the version an alias points to',
      responses: [ok('the version')],
    },
    {
      ...admin,
      method: 'PUT',
      url: `${base}/:name/aliases/:alias`,
      summary: 'point an alias at a version (compare-and-set with expectedVersion)',
      body: setAliasBodySchema,
      responses: [ok('the alias')],
    },
    {
      ...admin,
      method: 'DELETE',
      url: `${base}/:name/aliases/:alias`,
      summary: 'delete an alias',
      body: deleteAliasBodySchema,
      responses: [ok('the deleted alias')],
    },
    {
      ...reader,
      method: 'GET',
      url: `${base}/:name/audit`,
      summary: 'the audit trail',
      responses: [ok('the list', listSchema)],
    },
  ];
}

/**
 * Every route of the llmops API, in one table: method, URL pattern, who may call it, the zod schemas of its body and
 * query (the ones the route parses with) and of its answers. `GET /openapi.json` is generated from it, the access
 * control reads it, and a test checks that the server registers exactly these routes, so a route cannot be added
 * without its entry (and its access).
 */
export const routeTable: readonly RouteDefinition[] = [
  {
    method: 'GET',
    url: '/healthz',
    access: 'public',
    summary: 'liveness',
    responses: [ok('alive', z.object({ status: z.literal('ok') }))],
  },
  {
    method: 'GET',
    url: '/readyz',
    access: 'public',
    summary: 'readiness: the store reachable (degraded when serving from the last known state)',
    responses: [
      ok('ready, or degraded (serving what was resolved before the store became unreachable)', readinessSchema),
      { status: 503, description: 'not ready, or shutting down', schema: readinessSchema },
    ],
  },
  {
    method: 'GET',
    url: '/openapi.json',
    access: 'public',
    summary: 'this document',
    responses: [ok('the OpenAPI 3.1 document')],
  },
  {
    method: 'GET',
    url: '/docs',
    access: 'public',
    summary: 'this reference as a page: every route, the key it needs, what it takes and answers',
    responses: [{ status: 200, description: 'the page', contentType: 'text/html' }],
  },
  {
    method: 'GET',
    url: '/',
    access: 'public',
    summary: 'redirects a browser to the console at /ui',
    responses: [{ status: 302, description: 'to /ui' }],
  },
  {
    method: 'GET',
    url: '/dashboard',
    access: 'public',
    summary: 'the dashboard page',
    responses: [{ status: 200, description: 'the page', contentType: 'text/html' }],
  },
  {
    method: 'GET',
    url: '/dashboard/assets/:file',
    access: 'public',
    summary: "the dashboard's scripts and styles",
    responses: [
      { status: 200, description: 'the file', contentType: '*/*' },
      { status: 302, description: 'index.html redirects to /dashboard' },
    ],
  },
  // The console's page holds no data (it reads the API, with the access the API enforces), so it is public: a browser
  // cannot send a key with a page load, and the page is where the user types one.
  {
    method: 'GET',
    url: '/ui',
    access: 'public',
    summary: 'the console (a single-page app)',
    responses: [{ status: 200, description: 'the page', contentType: 'text/html' }],
  },
  {
    method: 'GET',
    url: '/ui/assets/:file',
    access: 'public',
    summary: "the console's content-hashed scripts and styles (cached as immutable)",
    responses: [{ status: 200, description: 'the file', contentType: '*/*' }],
  },
  {
    method: 'GET',
    url: '/ui/*',
    access: 'public',
    summary: "the console's page for one of its client routes (/ui/runs/…)",
    responses: [{ status: 200, description: 'the page', contentType: 'text/html' }],
  },
  {
    method: 'GET',
    url: '/metrics',
    access: 'admin',
    summary: 'Prometheus metrics',
    responses: [{ status: 200, description: 'the text exposition format', contentType: 'text/plain' }],
  },
  {
    method: 'GET',
    url: '/v1/models',
    access: 'inference',
    summary: 'the registered models and their aliases',
    responses: [ok('the models', modelListSchema)],
  },
  {
    method: 'GET',
    url: '/v1/models/:model',
    access: 'inference',
    summary: "one registered model or alias by its id, as `GET /v1/models` lists it (OpenAI's retrieve model)",
    responses: [ok('the model', modelObjectSchema)],
  },
  {
    method: 'POST',
    url: '/v1/chat/completions',
    access: 'inference',
    summary: 'a chat completion from a registered model (`name@alias`, `name/7`, `name`)',
    body: servedChatRequestSchema,
    responses: [
      ok('the completion', chatCompletionSchema),
      { status: 200, description: 'with stream: true, server-sent events', contentType: 'text/event-stream' },
    ],
  },
  {
    method: 'POST',
    url: '/v1/embeddings',
    access: 'inference',
    summary: 'embeddings',
    body: servedEmbeddingRequestSchema,
    responses: [ok('the embeddings', embeddingListSchema)],
  },
  ...subjectRoutes('prompts'),
  {
    method: 'POST',
    url: '/api/v1/prompts',
    access: 'admin',
    summary: 'register a prompt version',
    body: newPromptBodySchema,
    responses: registered,
  },
  {
    method: 'POST',
    url: '/api/v1/prompts/:name/versions',
    access: 'admin',
    summary: 'register a version of a prompt',
    body: promptVersionBodySchema,
    responses: registered,
  },
  ...subjectRoutes('models'),
  {
    method: 'POST',
    url: '/api/v1/models',
    access: 'admin',
    summary: 'register a model version (its spec)',
    body: modelVersionBodySchema,
    responses: registered,
  },
  {
    method: 'POST',
    url: '/api/v1/models/:name/versions',
    access: 'admin',
    summary: 'register a version of a model',
    body: modelVersionBodySchema,
    responses: registered,
  },
  {
    method: 'POST',
    url: '/api/v1/models/:name/promote',
    access: 'admin',
    summary: 'promote a version to an alias, judged by the promotion policy',
    body: promoteBodySchema,
    responses: [ok('the promotion')],
  },
  {
    method: 'GET',
    url: '/api/v1/models/:name/promotions',
    access: 'reader',
    summary: 'promotions and rollbacks from the audit trail, newest first, with the evaluation runs behind each',
    query: promotionListQuerySchema,
    responses: [ok('a page of promotions and how many there are', pagedListSchema)],
  },
  {
    method: 'POST',
    url: '/api/v1/models/:name/rollback',
    access: 'admin',
    summary: 'move an alias back to its previous version',
    body: rollbackBodySchema,
    responses: [ok('the rollback')],
  },
  {
    method: 'POST',
    url: '/api/v1/evaluations',
    access: 'admin',
    summary: 'start an evaluation',
    body: startEvaluationBodySchema,
    responses: [{ status: 202, description: 'started', schema: recordSchema }],
  },
  {
    method: 'GET',
    url: '/api/v1/evaluations',
    access: 'reader',
    summary: 'evaluation runs, newest first, filtered and paged on the store',
    query: evaluationListQuerySchema,
    responses: [ok('a page of runs and how many match', pagedListSchema)],
  },
  {
    method: 'GET',
    url: '/api/v1/evaluations/:id',
    access: 'reader',
    summary: 'an evaluation run with its gate table (by id, or latest / previous)',
    responses: [ok('the run')],
  },
  {
    method: 'GET',
    url: '/api/v1/evaluations/:id/examples',
    access: 'reader',
    summary: "a run's examples, sorted, filtered, searched and paged on the store",
    query: exampleListQuerySchema,
    responses: [ok('a page of examples and how many match', pagedListSchema)],
  },
  {
    method: 'GET',
    url: '/api/v1/evaluations/:id/examples/:index',
    access: 'reader',
    summary: 'one example: input, outputs, retrieved passages, every metric and its reason, its trace',
    responses: [ok('the example')],
  },
  {
    method: 'GET',
    url: '/api/v1/evaluations/:id/histograms',
    access: 'reader',
    summary: "histograms of a run's scores, by metric",
    query: histogramQuerySchema,
    responses: [ok('edges and counts by metric')],
  },
  {
    method: 'GET',
    url: '/api/v1/evaluations/compare',
    access: 'reader',
    summary: 'runs compared with the first: metric deltas with bootstrap confidence intervals',
    query: compareQuerySchema,
    responses: [ok('the comparison')],
  },
  {
    method: 'GET',
    url: '/api/v1/evaluations/compare/examples',
    access: 'reader',
    summary: 'the per-example grid of runs compared (example × run), with where they disagree',
    query: compareExamplesQuerySchema,
    responses: [ok('a page of rows and how many match', pagedListSchema)],
  },
  {
    method: 'GET',
    url: '/api/v1/monitoring/events',
    // Events may hold question text (LLMOPS_MONITORING_QUESTION_TEXT): admin only, never read anonymously.
    access: 'admin',
    summary: 'request events',
    query: eventsQuerySchema,
    responses: [ok('the events')],
  },
  {
    method: 'GET',
    url: '/api/v1/monitoring/slo',
    access: 'reader',
    summary: 'service level objectives',
    query: sloQuerySchema,
    responses: [ok('the objectives')],
  },
  {
    method: 'GET',
    url: '/api/v1/monitoring/drift',
    access: 'reader',
    summary: 'drift of the current window against a reference',
    query: driftQuerySchema,
    responses: [ok('the drift report')],
  },
  {
    method: 'GET',
    url: '/api/v1/monitoring/alerts',
    access: 'reader',
    summary: 'alerts',
    query: alertsQuerySchema,
    responses: [ok('the alerts')],
  },
  {
    method: 'GET',
    url: '/api/v1/dashboard',
    access: 'reader',
    summary: "the dashboard's data",
    query: dashboardQuerySchema,
    responses: [ok('the data')],
  },
  {
    method: 'GET',
    url: '/api/v1/traces',
    access: 'reader',
    summary: 'traces of served requests, newest first, filtered and paged on the store',
    query: traceListQuerySchema,
    responses: [ok('a page of traces and how many match', pagedListSchema)],
  },
  {
    method: 'GET',
    url: '/api/v1/traces/:id',
    access: 'reader',
    summary: 'one trace with its spans and online evaluation scores',
    responses: [ok('the trace')],
  },
  {
    method: 'GET',
    url: '/api/v1/keys',
    access: 'admin',
    summary: 'API keys and their spend (never a secret)',
    responses: [ok('the keys', listSchema)],
  },
  {
    method: 'POST',
    url: '/api/v1/keys',
    access: 'admin',
    summary: 'create an API key (its secret is answered this once)',
    body: newApiKeySchema,
    responses: [{ status: 201, description: 'the key and its secret', schema: recordSchema }],
  },
  {
    method: 'POST',
    url: '/api/v1/keys/:id/revoke',
    access: 'admin',
    summary: 'revoke a key',
    responses: [ok('the revoked key')],
  },
  {
    method: 'POST',
    url: '/api/v1/keys/:id/rotate',
    access: 'admin',
    summary: 'a new secret for a key (the old one stops working at once)',
    responses: [ok('the key and its new secret')],
  },
];

/** The entry of the table for a method and URL pattern (`HEAD` finds its `GET`), if any. */
export function findRoute(method: string, url: string): RouteDefinition | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  return routeTable.find((route) => route.method === wanted && route.url === url);
}
