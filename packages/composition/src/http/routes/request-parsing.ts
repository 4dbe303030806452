import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LlmopsError, parseWithSchema } from '@llmops/kernel';

/**
 * Validates a request body with a schema.
 * @throws LlmopsError `invalid_input` with one `body.path: message` part per issue (kernel's `parseWithSchema`).
 */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  // Parsed under a `body` key so every path names it: `body.dataset`, or `body` for the body itself.
  const parsed: { body: z.infer<Schema> } = parseWithSchema(
    z.object({ body: schema as z.ZodType<z.infer<Schema>> }),
    { body: body ?? {} },
    { where: 'invalid request body' },
  );
  return parsed.body;
}

/**
 * Reads a `:version` path parameter: a whole number from 1.
 * @throws LlmopsError `invalid_input`.
 */
export function parseVersionParameter(text: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(text))
    throw new LlmopsError('invalid_input', `version "${text}" in the path is not a whole number from 1 upwards`);
  return Number(text);
}

/**
 * Validates a request's query string with a schema.
 * @throws LlmopsError `invalid_input` with one `query.name: message` part per issue.
 */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, request: FastifyRequest): z.infer<Schema> {
  const parsed: { query: z.infer<Schema> } = parseWithSchema(
    z.object({ query: schema as z.ZodType<z.infer<Schema>> }),
    { query: request.query ?? {} },
    { where: 'invalid query' },
  );
  return parsed.query;
}
