import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { LlmopsError, toOpenAiErrorBody } from '@llmops/kernel';
import type { AccessCheck } from './access-control.js';
import { allowedMethods } from './allowed-methods.js';
import { registerJsonBodyParser } from './json-body-parser.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered (method and URL pattern, HEAD included): what the access test walks through. */
    llmopsRoutes: ReadonlyArray<{ method: string; url: string }>;
  }
}

/**
 * A check that must pass for the server to be ready (a store reachable, a corpus indexed…). It throws when the server
 * cannot serve, and answers `{ degraded: reason }` when it serves from what it knew before (a store outage ridden out).
 */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void | { degraded: string }>;
}

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  /** A pino logger, `true` for the default one (JSON to stdout), or `false` for none (tests). */
  logger?: FastifyBaseLogger | boolean;
  /** Largest accepted request body in bytes; larger bodies get 413. Defaults to 1 MiB. */
  bodyLimitBytes?: number;
  /** Checks behind `GET /readyz`. */
  readinessChecks?: readonly ReadinessCheck[];
  /** Registers the routes of the contexts (serving, registry, evaluation…) on the server. */
  routes?: ReadonlyArray<(server: FastifyInstance) => void | Promise<void>>;
  /**
   * Runs before every route's handler (`createAccessControl`: API keys and roles); none in route tests, which
   * exercise the routes alone. The llmops server always sets it.
   */
  access?: AccessCheck;
}

const defaultBodyLimitBytes = 1024 * 1024;

/** Longest part of a URL an error message repeats. */
const quotedUrlLength = 200;

/** A URL for an error message: its path only, cut to {@link quotedUrlLength} characters. */
function quotedPath(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] as string;
  return path.length > quotedUrlLength ? `${path.slice(0, quotedUrlLength)}…` : path;
}

/**
 * Errors Fastify's router raises before any route or hook runs (`frameworkErrors`): a malformed URL and a path
 * parameter too long for the router, as LlmopsErrors with their status.
 */
function toRouterError(error: Partial<FastifyError>, url: string | undefined, maxParamLength: number) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return {
      status: 414,
      error: new LlmopsError(
        'invalid_input',
        `a path parameter is longer than ${maxParamLength} characters in ${quotedPath(url)}; names are at most 64`,
      ),
    };
  if (error.code === 'FST_ERR_BAD_URL')
    return {
      status: 400,
      error: new LlmopsError(
        'invalid_input',
        `URL ${quotedPath(url)} is malformed: a percent escape is not valid; escape "%" as %25`,
      ),
    };
  return { status: 500, error: new LlmopsError('internal', 'internal server error', { cause: error }) };
}

/** The parameter an error names (`details.param`), if any. */
function paramOf(error: LlmopsError): string | null {
  const param = (error.details as { param?: unknown } | undefined)?.param;
  return typeof param === 'string' ? param : null;
}

/** Maps anything thrown in a route to an HTTP status and an LlmopsError for the body. */
function toHttpError(error: unknown, bodyLimitBytes: number): { status: number; error: LlmopsError } {
  if (LlmopsError.isInstance(error)) return { status: error.httpStatus, error };
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        error: new LlmopsError('invalid_input', `request body is larger than the limit of ${bodyLimitBytes} bytes`),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        error: new LlmopsError('invalid_input', 'unsupported content type; send application/json'),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, error: new LlmopsError('invalid_input', 'request body is empty; expected a JSON object') };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        error: new LlmopsError('invalid_input', 'request body is not valid JSON; expected a JSON object'),
      };
  }
  if (fastifyError.statusCode === 400 && error instanceof SyntaxError) {
    return { status: 400, error: new LlmopsError('invalid_input', `request body is not valid JSON: ${error.message}`) };
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return {
      status: fastifyError.statusCode,
      error: new LlmopsError('invalid_input', fastifyError.message ?? 'bad request'),
    };
  }
  return { status: 500, error: new LlmopsError('internal', 'internal server error', { cause: error }) };
}

/**
 * Creates the llmops HTTP server: request ids (`x-request-id`, taken from the request or made),
 * a body size limit, health and readiness probes, OpenAI-shaped errors for everything (404 for an unknown path, 405
 * with `Allow` for a known path asked with a method it does not answer), and the routes the app wires in. The caller
 * listens and closes it.
 */
export async function createApiServer(options: ApiServerOptions = {}): Promise<FastifyInstance> {
  const bodyLimitBytes = options.bodyLimitBytes ?? defaultBodyLimitBytes;
  const logger = options.logger ?? false;
  const maxParamLength = 100;
  // Imported here, not at the top: a process that imports composition without serving HTTP (most CLI commands) skips
  // Fastify's ~80 modules.
  const { default: Fastify } = await import('fastify');
  const server = Fastify({
    ...(typeof logger === 'boolean' ? { logger } : { loggerInstance: logger }),
    bodyLimit: bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength },
    frameworkErrors: (thrown, request, reply) => {
      const { status, error } = toRouterError(thrown, request.raw.url, maxParamLength);
      if (status >= 500) request.log.error({ err: thrown }, error.message);
      // The router's reply is typed for the route generic it could not find: answered as a plain reply.
      const plain = reply as unknown as FastifyReply;
      return plain.header('x-request-id', request.id).status(status).send(toOpenAiErrorBody(error));
    },
  });
  registerJsonBodyParser(server);
  let shuttingDown = false;
  const routes: Array<{ method: string; url: string }> = [];
  server.decorate('llmopsRoutes', routes);
  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  // A callback hook, not an async one: no promise for Fastify to wait on in every request.
  server.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // A request no route matched (`url` undefined) on a path the server answers with other methods: 405 with the
    // methods it takes (RFC 9110, section 15.5.6), from the registered routes, so every route (the admin API's and
    // the console's too) gets it. Answered here, before a body is read or a key checked: the method is wrong whatever
    // the body or the caller (a QUERY without a content type would otherwise be refused as a bad body).
    if (request.routeOptions.url === undefined) {
      const path = request.url.split('?')[0] ?? '';
      const allowed = allowedMethods(routes, path);
      if (allowed.length > 0) {
        const error = new LlmopsError(
          'method_not_allowed',
          `method ${request.method} is not allowed on ${quotedPath(path)}; it answers ${allowed.join(', ')}`,
        );
        reply.status(405).header('allow', allowed.join(', ')).send(toOpenAiErrorBody(error));
        return;
      }
    }
    done();
  });
  const access = options.access;
  if (access) server.addHook('onRequest', access);
  server.addHook('preClose', async () => {
    shuttingDown = true;
  });

  server.setErrorHandler((thrown, request, reply) => {
    const { status, error } = toHttpError(thrown, bodyLimitBytes);
    if (status === 429 && error.retryAfterMs !== undefined) {
      reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      // OpenAI's clients retry a 429 by themselves: not worth it when a budget waits for the next day or month.
      if (error.code === 'budget_exceeded') reply.header('x-should-retry', 'false');
    }
    if (status >= 500) request.log.error({ err: thrown }, error.message);
    else request.log.info({ code: error.code }, error.message);
    return reply.status(status).send(toOpenAiErrorBody(error, paramOf(error)));
  });
  server.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // An OpenAI client pointed here may call an API llmops does not answer (client.responses.create): say which it does.
    const hint = path.startsWith('/v1/')
      ? "; under /v1 llmops answers OpenAI's Chat Completions API (POST /v1/chat/completions), embeddings and models, not the Responses or legacy Completions APIs; GET /docs lists every route"
      : '';
    const error = new LlmopsError('not_found', `no route ${request.method} ${path}${hint}`);
    return reply.status(404).send(toOpenAiErrorBody(error));
  });

  server.get('/healthz', async () => ({ status: 'ok' }));
  server.get('/readyz', async (_request, reply) => {
    if (shuttingDown) return reply.status(503).send({ status: 'shutting_down', checks: [] });
    const checks = await Promise.all(
      (options.readinessChecks ?? []).map(async ({ name, check }) => {
        try {
          const result = await check();
          return result ? { name, ok: true, degraded: true, message: result.degraded } : { name, ok: true };
        } catch (error) {
          return { name, ok: false, message: LlmopsError.fromUnknown(error).message };
        }
      }),
    );
    if (!checks.every((check) => check.ok)) return reply.status(503).send({ status: 'not_ready', checks });
    // Degraded still answers 200: the server serves (from its last known state) and should keep its traffic.
    const degraded = checks.some((check) => 'degraded' in check);
    return reply.status(200).send({ status: degraded ? 'degraded' : 'ready', checks });
  });

  for (const register of options.routes ?? []) await register(server);
  return server;
}
