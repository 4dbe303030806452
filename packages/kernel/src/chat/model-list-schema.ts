import { z } from 'zod';

/** One model of `GET /v1/models` (OpenAI's `Model` object); extra fields (such as `llmops`) pass. */
export const modelObjectSchema = z.looseObject({
  id: z.string(),
  object: z.literal('model'),
  /** Unix time in seconds. */
  created: z.number().int(),
  owned_by: z.string(),
});
/** One model of `GET /v1/models`. */
export type ModelObject = z.infer<typeof modelObjectSchema>;

/** The body of `GET /v1/models` (OpenAI's `ListModelsResponse`). */
export const modelListSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(modelObjectSchema),
});
/** The body of `GET /v1/models`. */
export type ModelList = z.infer<typeof modelListSchema>;
