import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LlmopsError } from '@llmops/kernel';
import { promptTemplateSchema } from '@llmops/registry';
import type { PromotionPolicy, Registry, SubjectKind } from '@llmops/registry';
import { corpusOfSpec } from '../../registry/corpus-record.js';
import { isStoreOutage } from '../../serving/last-known-good-resolver.js';
import { parseBody, parseVersionParameter } from './request-parsing.js';

/** Options of {@link registryRoutes}. */
export interface RegistryRoutesOptions {
  registry: Registry;
  /** The policy `POST /api/v1/models/:name/promote` judges by; without one, only forced promotions pass. */
  promotionPolicy?: PromotionPolicy;
  /**
   * The workspace folder: a RAG spec's corpus is read from it on registration, and its content hash recorded
   * (`lineage.corpus`), as `llmops models register` does. Without it, no corpus is recorded.
   */
  cwd?: string;
  /** Further folders a spec's corpus may be in (`LLMOPS_DATA_ROOTS`). */
  dataRoots?: readonly string[];
}

const aliasesSchema = z.array(z.string()).default([]);
const tagsSchema = z.record(z.string(), z.string()).optional();

/** The body of `POST /api/v1/prompts/:name/versions`. */
export const promptVersionBodySchema = z.strictObject({
  template: promptTemplateSchema,
  message: z.string().max(5000).optional(),
  tags: tagsSchema,
  aliases: aliasesSchema,
});
/** The body of `POST /api/v1/prompts`. */
export const newPromptBodySchema = promptVersionBodySchema.extend({ name: z.string().min(1) });
/** The body of `POST /api/v1/models` and `POST /api/v1/models/:name/versions`. */
export const modelVersionBodySchema = z.strictObject({
  /** The model spec, as in confs/models/*.yaml. */
  spec: z.record(z.string(), z.unknown()),
  aliases: aliasesSchema,
});
/** The body of `PUT /api/v1/{prompts,models}/:name/aliases/:alias`. */
export const setAliasBodySchema = z.strictObject({
  version: z.number().int().min(1),
  /** Compare-and-set: the version the alias must point to now (null: must not be set). */
  expectedVersion: z.number().int().min(1).nullable().optional(),
  reason: z.string().max(2000).optional(),
});
/** The body of `DELETE /api/v1/{prompts,models}/:name/aliases/:alias`. */
export const deleteAliasBodySchema = z.strictObject({
  expectedVersion: z.number().int().min(1).nullable().optional(),
  reason: z.string().max(2000).optional(),
});
/** The body of `POST /api/v1/models/:name/promote`. */
export const promoteBodySchema = z.strictObject({
  version: z.number().int().min(1),
  alias: z.string().default('champion'),
  force: z.boolean().default(false),
  reason: z.string().max(2000).optional(),
});
/** The body of `POST /api/v1/models/:name/rollback`. */
export const rollbackBodySchema = z.strictObject({
  alias: z.string().default('champion'),
  reason: z.string().max(2000).optional(),
});

type NameParams = { Params: { name: string } };
type VersionParams = { Params: { name: string; version: string } };
type AliasParams = { Params: { name: string; alias: string } };

const collections: Record<SubjectKind, string> = { prompt: 'prompts', model: 'models' };

function list(data: readonly unknown[]) {
  return { object: 'list', data };
}

/**
 * Who the audit trail names: the `x-llmops-actor` header when it is a plain name, else the request's API key
 * (`key:<id>`), else `api-admin`.
 */
function actorOf(request: FastifyRequest): string {
  const header = request.headers['x-llmops-actor'];
  if (typeof header === 'string' && /^[\w.@-]{1,100}$/.test(header)) return `api:${header}`;
  return request.apiKey ? `key:${request.apiKey.id}` : 'api-admin';
}

function optional<Key extends string, Value>(key: Key, value: Value | undefined): Partial<Record<Key, Value>> {
  return value === undefined ? {} : ({ [key]: value } as Record<Key, Value>);
}

/** The registry's methods that change it: refused while its store is unreachable (never taken from memory). */
const changes = new Set<string | symbol>([
  'registerPrompt',
  'registerModel',
  'setAlias',
  'deleteAlias',
  'promote',
  'rollback',
]);

/**
 * The registry, with every change failing as LlmopsError `unavailable` (503) when the store cannot be reached
 * (`unavailable`, `timeout`, `upstream_error`): while serving rides out the outage from memory, a change is refused
 * plainly, never half made or queued.
 */
function refusingChangesInOutage(registry: Registry): Registry {
  return new Proxy(registry, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || !changes.has(key)) return value;
      return async (...parameters: unknown[]) => {
        try {
          return await (value as (...values: unknown[]) => Promise<unknown>).apply(target, parameters);
        } catch (error) {
          if (!isStoreOutage(error)) throw error;
          throw new LlmopsError(
            'unavailable',
            `the registry store is unreachable (${LlmopsError.fromUnknown(error).message}), so nothing was changed; retry once GET /readyz answers "ready"`,
            { cause: error },
          );
        }
      };
    },
  });
}

/**
 * The registry's REST routes under `/api/v1`: prompts and models, their versions and aliases, and
 * for models promotion, rollback and the audit trail. Who may call them (admin keys) is
 * the API server's access table's business. Bodies are validated with zod; errors are OpenAI-shaped (by the server's error handler).
 * Versions are immutable: PUT, PATCH and DELETE on a version answer 409.
 */
export function registryRoutes(options: RegistryRoutesOptions): (server: FastifyInstance) => void {
  const { cwd } = options;
  const registry = refusingChangesInOutage(options.registry);
  /** The corpus a registration records (RAG specs whose corpus can be read in the workspace). */
  const corpusOf = async (spec: unknown) =>
    cwd === undefined
      ? {}
      : corpusOfSpec(spec, { cwd, ...(options.dataRoots ? { dataRoots: options.dataRoots } : {}) });

  return (server) => {
    // Routes both prompts and models have.
    for (const kind of ['prompt', 'model'] as const) {
      const base = `/api/v1/${collections[kind]}`;
      const show = (reference: string) =>
        kind === 'prompt' ? registry.showPrompt(reference) : registry.showModel(reference);

      server.get(base, async () =>
        list(kind === 'prompt' ? await registry.listPrompts() : await registry.listModels()),
      );
      server.get<NameParams>(`${base}/:name`, async (request) =>
        kind === 'prompt' ? registry.getPrompt(request.params.name) : registry.getModel(request.params.name),
      );
      server.get<NameParams>(`${base}/:name/versions`, async (request) =>
        list(
          kind === 'prompt'
            ? await registry.listPromptVersions(request.params.name)
            : await registry.listModelVersions(request.params.name),
        ),
      );
      server.get<VersionParams>(`${base}/:name/versions/:version`, async (request) =>
        show(`${request.params.name}/${parseVersionParameter(request.params.version)}`),
      );
      const immutable = async (request: FastifyRequest<VersionParams>) => {
        throw new LlmopsError(
          'conflict',
          `version ${request.params.version} of ${kind} "${request.params.name}" is immutable; register a new version with POST ${base}/${request.params.name}/versions`,
        );
      };
      server.route<VersionParams>({
        method: ['PUT', 'PATCH', 'DELETE'],
        url: `${base}/:name/versions/:version`,
        handler: immutable,
      });
      server.get<AliasParams>(`${base}/:name/aliases/:alias`, async (request) =>
        show(`${request.params.name}@${request.params.alias}`),
      );
      server.put<AliasParams>(`${base}/:name/aliases/:alias`, async (request) => {
        const body = parseBody(setAliasBodySchema, request.body);
        return registry.setAlias({
          kind,
          name: request.params.name,
          alias: request.params.alias,
          version: body.version,
          actor: actorOf(request),
          ...optional('expectedVersion', body.expectedVersion),
          ...optional('reason', body.reason),
        });
      });
      server.delete<AliasParams>(`${base}/:name/aliases/:alias`, async (request) => {
        const body = parseBody(deleteAliasBodySchema, request.body);
        return registry.deleteAlias({
          kind,
          name: request.params.name,
          alias: request.params.alias,
          actor: actorOf(request),
          ...optional('expectedVersion', body.expectedVersion),
          ...optional('reason', body.reason),
        });
      });
      server.get<NameParams>(`${base}/:name/audit`, async (request) =>
        list(await registry.audit(kind, request.params.name)),
      );
    }

    const registered = <Version>(
      reply: FastifyReply,
      registration: { created: boolean; version: Version; aliases: unknown[] },
    ) => reply.status(registration.created ? 201 : 200).send(registration);

    const registerPrompt = (request: FastifyRequest, name: string, body: z.infer<typeof promptVersionBodySchema>) =>
      registry.registerPrompt({
        name,
        template: body.template,
        aliases: body.aliases,
        actor: actorOf(request),
        ...optional('message', body.message),
        ...optional('tags', body.tags),
      });
    server.post('/api/v1/prompts', async (request, reply) => {
      const body = parseBody(newPromptBodySchema, request.body);
      return registered(reply, await registerPrompt(request, body.name, body));
    });
    server.post<NameParams>('/api/v1/prompts/:name/versions', async (request, reply) => {
      const body = parseBody(promptVersionBodySchema, request.body);
      return registered(reply, await registerPrompt(request, request.params.name, body));
    });

    server.post('/api/v1/models', async (request, reply) => {
      const body = parseBody(modelVersionBodySchema, request.body);
      const corpus = await corpusOf(body.spec);
      return registered(
        reply,
        await registry.registerModel({ spec: body.spec, ...corpus, aliases: body.aliases, actor: actorOf(request) }),
      );
    });
    server.post<NameParams>('/api/v1/models/:name/versions', async (request, reply) => {
      const body = parseBody(modelVersionBodySchema, request.body);
      const specName = body.spec['name'];
      if (specName !== undefined && specName !== request.params.name) {
        throw new LlmopsError(
          'invalid_input',
          `body.spec.name "${String(specName)}" differs from the model "${request.params.name}" in the path`,
        );
      }
      const spec = { ...body.spec, name: request.params.name };
      const corpus = await corpusOf(spec);
      return registered(
        reply,
        await registry.registerModel({ spec, ...corpus, aliases: body.aliases, actor: actorOf(request) }),
      );
    });
    server.post<NameParams>('/api/v1/models/:name/promote', async (request) => {
      const body = parseBody(promoteBodySchema, request.body);
      return registry.promote({
        name: request.params.name,
        version: body.version,
        alias: body.alias,
        force: body.force,
        actor: actorOf(request),
        ...optional('policy', options.promotionPolicy),
        ...optional('reason', body.reason),
      });
    });
    server.post<NameParams>('/api/v1/models/:name/rollback', async (request) => {
      const body = parseBody(rollbackBodySchema, request.body);
      return registry.rollback({
        name: request.params.name,
        alias: body.alias,
        actor: actorOf(request),
        ...optional('reason', body.reason),
      });
    });
  };
}
