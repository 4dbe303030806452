import { z } from 'zod';
import { LlmopsError, safeParseWithSchema } from '@llmops/kernel';

/**
 * One line of an inference output file: the answer to one input line, or why it has none.
 * `error` is set exactly when the line failed (then `answer` is null, or the guardrail's refusal).
 */
export const inferenceRecordSchema = z.object({
  id: z.string(),
  line: z.number().int(),
  input_sha256: z.string(),
  model: z.string(),
  model_version: z.string().optional(),
  answer: z.string().nullable(),
  finish_reason: z.string().nullable().optional(),
  citations: z.array(z.unknown()).optional(),
  usage: z
    .looseObject({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() })
    .nullable(),
  cost_usd: z.number().nullable().optional(),
  latency_ms: z.number(),
  error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
});
/** One line of an inference output file. */
export type InferenceRecord = z.infer<typeof inferenceRecordSchema>;

/** The output line format: one record as one line of JSON, ended by a newline. */
export function formatInferenceRecord(record: InferenceRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * Parses one complete output line.
 * @param where the file and line, as messages show them (`output answers.jsonl line 3`).
 * @throws LlmopsError `invalid_input` naming `where` when the line is not JSON or not a record.
 */
export function parseInferenceRecord(raw: string, where: string): InferenceRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new LlmopsError(
      'invalid_input',
      `${where} is not JSON; expected the records of an earlier run of this job (remove the line or choose another output)`,
    );
  }
  const parsed = safeParseWithSchema(inferenceRecordSchema, value, { where });
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}
