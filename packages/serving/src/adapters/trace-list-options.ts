import { parseWithSchema } from '@llmops/kernel';
import { z } from 'zod';
import type { TraceListOptions } from '../ports.js';

const traceListOptionsSchema = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(100),
  model: z.string().min(1).optional(),
  offset: z.number().int().min(0).default(0),
  status: z.enum(['ok', 'error']).optional(),
  blocked: z.boolean().optional(),
  since: z.number().finite().min(0).optional(),
});

/** The options of a trace list with their defaults (limit 100, offset 0), as every trace reader takes them. */
export type ParsedTraceListOptions = z.output<typeof traceListOptionsSchema>;

/**
 * Checks a trace list's options and fills in the defaults.
 * @throws LlmopsError `invalid_input` for a limit, offset or time out of range, or an unknown option.
 */
export function parseTraceListOptions(options: TraceListOptions): ParsedTraceListOptions {
  return parseWithSchema(traceListOptionsSchema, options, { where: 'trace list options' });
}
