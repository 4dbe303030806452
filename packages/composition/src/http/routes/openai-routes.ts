import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { LlmopsError, safeParseWithSchema, toOpenAiErrorBody, topLevelPath } from '@llmops/kernel';
import type { SchemaIssue } from '@llmops/kernel';
import { parseServedChatRequest, servedEmbeddingRequestSchema, splitServedRequest, toModelList } from '@llmops/serving';
import type {
  CacheDirective,
  CacheStatus,
  EmbeddingService,
  PipelineCompletion,
  PipelineStream,
  PipelineTrace,
  ServableModel,
  ServedFallback,
  ServingService,
} from '@llmops/serving';
import { callerOf } from '../access-control.js';
import { SseWriter } from './sse-writer.js';

/** Options of {@link openAiRoutes}. */
export interface OpenAiRoutesOptions {
  serving: ServingService;
  /** Answers `POST /v1/embeddings`; the route is absent without it. */
  embeddings?: EmbeddingService;
}

/** The parameter an `invalid_input` or `not_found` error names (`details.param`), if any. */
function paramOf(error: LlmopsError): string | undefined {
  const param = (error.details as { param?: unknown } | undefined)?.param;
  return typeof param === 'string' ? param : undefined;
}

/** A cost for a header: plain decimal digits, never exponent notation (`0.0000435`, not `4.35e-5`). */
function formatCost(cost: number): string {
  return cost === 0 ? '0' : cost.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Says which fallback answered: `x-llmops-model-version` becomes the version that answered and
 * `x-llmops-fallback` reads `from=<name/version>; to=<name/version>; reason=<error code>`.
 */
function markFallback(reply: FastifyReply, fallback: ServedFallback | undefined): void {
  if (!fallback) return;
  reply.header('x-llmops-model-version', fallback.to);
  reply.header('x-llmops-fallback', `from=${fallback.from}; to=${fallback.to}; reason=${fallback.reason}`);
}

function sendError(reply: FastifyReply, error: LlmopsError, param: string | null): FastifyReply {
  return reply.status(error.httpStatus).send(toOpenAiErrorBody(error, param));
}

/** What a request's trace says, for the log line: never message text (it may hold personal data). */
function traceSummary(trace: PipelineTrace) {
  return {
    model: trace.model,
    pipeline: trace.pipeline,
    latencyMs: trace.latencyMs,
    costUsd: trace.costUsd,
    usage: trace.usage,
    blocked: trace.blocked,
    citations: trace.citations.length,
    passages: trace.retrieval?.passages.length,
    completed: trace.completed,
  };
}

/**
 * Ends a stream's response with what its writer still holds and keeps its connection for the client's next request, unless the server is closing:
 * then the connection is closed too, so draining never waits for an idle keep-alive socket (Node closes the idle
 * ones only once, when `close` is called, and this one was busy then).
 */
function endKeepingAlive(sse: SseWriter, raw: ServerResponse, server: FastifyInstance): void {
  if (server.server.listening) {
    sse.end();
    return;
  }
  const socket = raw.socket;
  sse.end(() => socket?.end());
}

/**
 * What a request asks of the response cache: `x-llmops-cache: bypass` or `cache-control: no-cache` skip the lookup and
 * store the fresh answer (`refresh`); `cache-control: no-store` skips both; anything else uses the cache.
 */
export function cacheDirectiveOf(headers: Readonly<Record<string, string | string[] | undefined>>): CacheDirective {
  // Most requests send neither header.
  if (headers['cache-control'] === undefined && headers['x-llmops-cache'] === undefined) return 'use';
  const header = (name: string) => {
    const value = headers[name];
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).toLowerCase();
  };
  const cacheControl = header('cache-control')
    .split(',')
    .map((part) => part.trim());
  if (cacheControl.includes('no-store')) return 'no-store';
  if (cacheControl.includes('no-cache') || header('x-llmops-cache').trim() === 'bypass') return 'refresh';
  return 'use';
}

/** An error as a client may see it: unexpected ones are hidden behind "internal server error". */
function publicError(error: unknown, log: FastifyBaseLogger): LlmopsError {
  const normalized = LlmopsError.fromUnknown(error);
  if (normalized.code !== 'internal') return normalized;
  log.error({ err: error }, 'stream failed');
  return new LlmopsError('internal', 'internal server error');
}

/** What a request may ask to be included in `llmops` of a non-streaming answer (`x-llmops-include`). */
export const includableFields = ['retrieval_context'] as const;

/** One passage of `llmops.retrieval_context`: the text the pipeline put in the prompt, and where it came from. */
export interface RetrievalContextPassage {
  /** The passage's document (a corpus-relative file). */
  source: string;
  title?: string;
  section?: string;
  /** The retrieval score it was ranked by. */
  score: number;
  /** The text given to the model (after compression). */
  text: string;
}

/**
 * Reads `x-llmops-include: retrieval_context` (a comma-separated list of {@link includableFields}).
 * @throws LlmopsError `invalid_input` naming the header and the known values for anything else.
 */
export function includedFieldsOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Set<(typeof includableFields)[number]> {
  const value = headers['x-llmops-include'];
  if (value === undefined) return new Set();
  const names = (Array.isArray(value) ? value.join(',') : (value ?? ''))
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
  const included = new Set<(typeof includableFields)[number]>();
  for (const name of names) {
    if (!(includableFields as readonly string[]).includes(name)) {
      throw new LlmopsError(
        'invalid_input',
        `header x-llmops-include: "${name}" is not something an answer can include (expected: ${includableFields.join(', ')})`,
        { details: { param: 'x-llmops-include' } },
      );
    }
    included.add(name as (typeof includableFields)[number]);
  }
  return included;
}

/** The passages a request's pipeline put in the prompt, in rank order (empty for a pipeline without retrieval). */
export function retrievalContextOf(trace: PipelineTrace): RetrievalContextPassage[] {
  return (trace.retrieval?.passages ?? [])
    .filter((passage) => passage.used && passage.context !== undefined)
    .map((passage) => ({
      source: passage.source,
      ...(passage.title === undefined ? {} : { title: passage.title }),
      ...(passage.section === undefined ? {} : { section: passage.section }),
      score: passage.score,
      text: passage.context as string,
    }));
}

/**
 * The OpenAI-compatible routes of serving:
 * - `POST /v1/chat/completions`: `model` is a registry reference (`name@alias`, `name/7`, `name`),
 *   answered through the serving service (which hands the request's trace to its trace sink);
 *   non-streaming answers the completion with `llmops.citations`; `stream: true` answers server-sent
 *   events (`data: {chunk}` … `data: [DONE]`), and a stream stopped mid-way (a guardrail, a provider
 *   failure) ends with `event: error` and an OpenAI error body, never a silent truncation.
 *   A version whose answer fails with a retryable error before anything was sent is answered by its
 *   fallbacks (`llmops.fallback`, `x-llmops-fallback`).
 *   Headers: `x-llmops-model-version` (the version that answered), `x-llmops-cache: hit | miss | bypass` (a version
 *   with the cache on), and without streaming `x-llmops-cost-usd` (when the model has a price) and
 *   `x-llmops-overhead-ms` (time outside the provider call). `x-llmops-cache: bypass` or `cache-control: no-cache`
 *   skip the cache's lookup (the fresh answer is stored); `cache-control: no-store` skips lookup and storing.
 * - `GET /v1/models`: the registered models and their aliases; `GET /v1/models/:model` one of them by its id
 *   (OpenAI's `models.retrieve`), 404 `model_not_found` with `param: "model"` for an id the list does not hold
 *   (as for a `model` that resolves to nothing on chat completions and embeddings).
 * - `POST /v1/embeddings` (with `embeddings`): OpenAI's embeddings request and answer (float or
 *   base64), `model` a provider spec or a registry reference whose version has an embedder; the cost,
 *   when the embedder has a price, in `x-llmops-cost-usd`. The call goes through the version's serving steps
 *   (monitoring, the caller's limits, input guardrails, the response cache with `x-llmops-cache` and the same bypass
 *   headers as chat, fallbacks with `x-llmops-fallback`) and leaves a trace.
 */
export function openAiRoutes(options: OpenAiRoutesOptions): (server: FastifyInstance) => void {
  const { serving } = options;
  return (server) => {
    server.get('/v1/models', async () => toModelList(await serving.listModels()));
    // OpenAI's clients retrieve one model by its id (`client.models.retrieve(id)`), so each id of the list is
    // answered alone; an id the list does not hold is a 404 in OpenAI's shape, naming `model`.
    server.get<{ Params: { model: string } }>('/v1/models/:model', async (request, reply) => {
      const { model } = request.params;
      const found = toModelList(await serving.listModels()).data.find((entry) => entry.id === model);
      if (found) return found;
      const error = new LlmopsError(
        'not_found',
        `model ${JSON.stringify(model)} is not served here; GET /v1/models lists the models and aliases it serves`,
        { openaiCode: 'model_not_found' },
      );
      return sendError(reply, error, 'model');
    });

    const { embeddings } = options;
    if (embeddings) {
      server.post('/v1/embeddings', async (request, reply) => {
        const parsed = safeParseWithSchema(servedEmbeddingRequestSchema, request.body ?? {}, {
          where: 'invalid embeddings request',
        });
        if (!parsed.success) {
          const firstPath = (parsed.error.details as SchemaIssue[])[0]?.path ?? topLevelPath;
          return sendError(reply, parsed.error, firstPath === topLevelPath ? null : firstPath);
        }
        const controller = new AbortController();
        reply.raw.on('close', () => {
          if (!reply.raw.writableFinished)
            controller.abort(new LlmopsError('unavailable', 'the client closed the connection'));
        });
        try {
          const caller = callerOf(request);
          let cache: CacheStatus | undefined;
          const answer = await embeddings.embed(parsed.data, {
            signal: controller.signal,
            requestId: request.id,
            cacheDirective: cacheDirectiveOf(request.headers),
            onTrace: (trace) => (cache = trace.cache),
            ...(caller ? { caller } : {}),
          });
          if (cache) reply.header('x-llmops-cache', cache);
          markFallback(reply, answer.llmops.fallback);
          if (answer.llmops.cost_usd !== null) reply.header('x-llmops-cost-usd', formatCost(answer.llmops.cost_usd));
          request.log.info(
            {
              embeddings: {
                model: answer.model,
                embedder: answer.llmops.embedder,
                inputs: answer.data.length,
                usage: answer.usage,
              },
            },
            'embeddings',
          );
          return answer;
        } catch (thrown) {
          const error = LlmopsError.fromUnknown(thrown);
          const param = paramOf(error) ?? (error.code === 'not_found' ? 'model' : undefined);
          if (param !== undefined && error.code === 'not_found')
            return sendError(reply, error.withOpenAiCode('model_not_found'), param);
          if (param !== undefined && error.code === 'invalid_input') return sendError(reply, error, param);
          // Guardrail blocks (400), limits (429 with Retry-After) and provider failures: the server's error handler.
          throw thrown;
        }
      });
    }

    server.post('/v1/chat/completions', async (request, reply) => {
      const startedAt = performance.now();
      const parsed = parseServedChatRequest(request.body ?? {});
      if (!parsed.success) {
        const firstPath = (parsed.error.details as SchemaIssue[])[0]?.path ?? topLevelPath;
        return sendError(reply, parsed.error, firstPath === topLevelPath ? null : firstPath);
      }
      const parts = splitServedRequest(parsed.data);
      let included: ReturnType<typeof includedFieldsOf>;
      try {
        included = includedFieldsOf(request.headers);
      } catch (thrown) {
        return sendError(reply, LlmopsError.fromUnknown(thrown), null);
      }
      const withContext = included.has('retrieval_context') && !parts.stream;
      const cacheDirective = cacheDirectiveOf(request.headers);
      const controller = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished)
          controller.abort(new LlmopsError('unavailable', 'the client closed the connection'));
      });
      let resolved = false;
      const caller = callerOf(request);
      const callOptions = {
        ...(caller ? { caller } : {}),
        signal: controller.signal,
        requestId: request.id,
        includeUsage: parts.includeUsage,
        cacheDirective: withContext && cacheDirective === 'use' ? 'refresh' : cacheDirective,
        onResolved: (model: ServableModel) => {
          resolved = true;
          reply.header('x-llmops-model-version', `${model.name}/${model.version}`);
        },
      };
      // A reference that does not resolve (or a version that cannot be built) is the `model` parameter's fault.
      const failed = (thrown: unknown): FastifyReply => {
        const error = LlmopsError.fromUnknown(thrown);
        if (!resolved && error.code === 'not_found')
          return sendError(reply, error.withOpenAiCode('model_not_found'), 'model');
        if (!resolved && error.code === 'invalid_input') return sendError(reply, error, 'model');
        const param = paramOf(error);
        if (error.code === 'invalid_input' && param !== undefined) return sendError(reply, error, param);
        throw thrown;
      };

      if (!parts.stream) {
        let served: PipelineCompletion;
        try {
          served = await serving.complete(parts.reference, parts.request, callOptions);
        } catch (thrown) {
          return failed(thrown);
        }
        const { completion, trace } = served;
        if (trace.cache) reply.header('x-llmops-cache', trace.cache);
        markFallback(reply, completion.llmops.fallback);
        if (trace.costUsd !== null) reply.header('x-llmops-cost-usd', formatCost(trace.costUsd));
        reply.header(
          'x-llmops-overhead-ms',
          Math.max(0, performance.now() - startedAt - trace.latencyMs.generate).toFixed(2),
        );
        request.log.info({ trace: traceSummary(trace) }, 'chat completion');
        if (withContext)
          return { ...completion, llmops: { ...completion.llmops, retrieval_context: retrievalContextOf(trace) } };
        return completion;
      }

      let stream: PipelineStream;
      try {
        stream = await serving.stream(parts.reference, parts.request, callOptions);
      } catch (thrown) {
        return failed(thrown);
      }
      if (stream.cache) reply.header('x-llmops-cache', stream.cache);
      markFallback(reply, stream.fallback);
      reply.hijack();
      const raw = reply.raw;
      const iterator = stream.chunks[Symbol.asyncIterator]();
      const sse = new SseWriter(raw, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          if (raw.destroyed) {
            await iterator.return?.();
            break;
          }
          // With include_usage, OpenAI's every chunk but the usage chunk carries `usage: null` (its stream schema).
          const chunk =
            parts.includeUsage && next.value.usage === undefined ? { ...next.value, usage: null } : next.value;
          const full = sse.send(`data: ${JSON.stringify(chunk)}\n\n`);
          if (full) await full;
        }
        await sse.send('data: [DONE]\n\n');
      } catch (thrown) {
        const error = publicError(thrown, request.log);
        await sse.send(`event: error\ndata: ${JSON.stringify(toOpenAiErrorBody(error))}\n\n`);
      } finally {
        endKeepingAlive(sse, raw, server);
      }
      request.log.info({ trace: traceSummary(await stream.trace) }, 'chat completion stream');
      return reply;
    });
  };
}
