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
