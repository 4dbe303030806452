import { z } from 'zod';
import { errorResponseSchema, namePattern } from '@llmops/kernel';
import type { RouteDefinition } from './route-table.js';

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  /** `info.version`: the API's version. */
  version: string;
}

type JsonObject = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), as a request (`input`) or an answer (`output`). */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  // Refinements and transforms have no JSON Schema: they are left out (`any`), the route still checks them.
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  // The document names its dialect once (`jsonSchemaDialect`), not in every schema.
  delete json['$schema'];
  return json;
}

/** The schema of a path parameter, by its name: versions are whole numbers from 1, names follow the name rule. */
function pathParameterSchema(name: string): JsonObject {
  if (name === 'version') return { type: 'string', pattern: '^[1-9][0-9]{0,9}$' };
  if (name === 'name' || name === 'alias') return { type: 'string', pattern: namePattern.source, maxLength: 100 };
  if (name === 'id') return { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };
  return { type: 'string', minLength: 1, maxLength: 100 };
}

/** Query parameters: one per property of the query's object schema. */
function queryParameters(schema: z.ZodType): JsonObject[] {
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json['properties'] ?? {}) as Record<string, JsonObject>;
  const required = new Set((json['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}

function operationOf(route: RouteDefinition): JsonObject {
  const parameterNames = [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
  const parameters = [
    ...parameterNames.map((name) => ({ name, in: 'path', required: true, schema: pathParameterSchema(name) })),
    ...(route.query ? queryParameters(route.query) : []),
  ];
  const responses: JsonObject = {};
  for (const response of route.responses) {
    const contentType = response.contentType ?? 'application/json';
    const entry = (responses[String(response.status)] ?? { description: response.description }) as JsonObject;
    if (response.status !== 302) {
      const content = (entry['content'] ?? {}) as JsonObject;
      content[contentType] = response.schema ? { schema: jsonSchemaOf(response.schema, 'output') } : {};
      entry['content'] = content;
    }
    responses[String(response.status)] = entry;
  }
  const error = { $ref: '#/components/responses/Error' };
  responses['4XX'] = error;
  responses['5XX'] = error;
  return {
    operationId: `${route.method.toLowerCase()}${route.url.replace(/[/:{}.-]+(\w)?/g, (_match, next?: string) => (next ?? '').toUpperCase())}`,
    summary: route.summary,
    'x-llmops-access': route.access,
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the llmops API, generated from its route table: one operation per route, request bodies
 * and query parameters from the zod schemas the routes parse with (`z.toJSONSchema`, JSON Schema 2020-12), answers
 * from the table's response schemas, and every error (`4XX`, `5XX`) in OpenAI's shape. Routes needing a key declare
 * the bearer scheme and their role in `x-llmops-access` (`inference` or `admin`); public ones no security.
 */
export function createOpenApiDocument(routes: readonly RouteDefinition[], options: OpenApiDocumentOptions): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const item = (paths[path] ??= {});
    item[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'llmops API',
      version: options.version,
      description:
        'OpenAI-compatible inference under /v1 and the registry, evaluation, monitoring and key administration under /api/v1. Every error answers {error: {message, type, param, code}}.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An llmops API key (llmops keys create --role inference|reader|admin)',
        },
      },
      responses: {
        Error: {
          description: "An error, in OpenAI's shape",
          content: { 'application/json': { schema: jsonSchemaOf(errorResponseSchema, 'output') } },
        },
      },
    },
  };
}
