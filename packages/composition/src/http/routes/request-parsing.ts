import type { z } from 'zod';
import { formatIssuePath, LlmopsError } from '@llmops/kernel';

/**
 * Validates a request body with a schema.
 * @throws LlmopsError `invalid_input` with one `body.path: message` part per issue.
 */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const parts = result.error.issues.map(
    (issue) => `${['body', formatIssuePath(issue.path)].filter(Boolean).join('.')}: ${issue.message}`,
  );
  throw new LlmopsError('invalid_input', `invalid request body: ${parts.join('; ')}`, { details: result.error.issues });
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
