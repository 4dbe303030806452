import { chatMessageSchema, contentText } from '@llmops/kernel';
import type { ChatMessage } from '@llmops/kernel';
import { z } from 'zod';

/**
 * A value of an example's `variables`: text as it is, a number or a boolean as its JSON text (`3`, `true`), so a
 * template renders `{{n}}` the same from `"n": 3` and `"n": "3"` (and the dataset's hash is the same for both).
 */
const variableValueSchema = z
  .union([z.string(), z.number(), z.boolean()], {
    error: 'expected text, a number or true/false (an object, a list or null is not a variable value)',
  })
  .transform((value) => (typeof value === 'string' ? value : JSON.stringify(value)));

/**
 * One example of an evaluation dataset. `input` is a question (text) or a conversation (OpenAI chat
 * messages). `expected_output` and `reference_contexts` are the ground truth when there is one;
 * `output` and `retrieval_context` hold a recorded answer, for scoring outputs produced elsewhere.
 */
export const exampleSchema = z.strictObject({
  /** Unique within the dataset; numbers are read as their decimal text. */
  id: z.union([z.string().min(1, 'expected a non-empty id'), z.number().transform(String)]),
  /** The question, or the conversation whose last user message is the question. */
  input: z.union([
    z.string().min(1, 'expected a non-empty question'),
    z.array(chatMessageSchema).min(1, 'expected at least one message'),
  ]),
  /** The answer a correct system gives; for unanswerable questions usually "I don't know". */
  expected_output: z.string().optional(),
  /** The passages of the knowledge base the answer is in (ground truth for context precision and recall). */
  reference_contexts: z.array(z.string().min(1, 'expected non-empty passages')).optional(),
  /**
   * Values for the placeholders of the prompt template of the evaluated model: text, or a number or boolean read as
   * its JSON text (`3`, `0.5`, `true`), as promptfoo's `vars` render them.
   */
  variables: z.record(z.string(), variableValueSchema).optional(),
  /** Labels such as `answerable`, `unanswerable`, `adversarial`, `harmful`, `injection`. */
  tags: z.array(z.string().min(1)).optional(),
  /** A recorded answer (scored instead of calling a target when the target is the recorded outputs). */
  output: z.string().optional(),
  /** The passages the recorded answer was given, in rank order. */
  retrieval_context: z.array(z.string()).optional(),
  /** Free-form facts about the example (source, author, category); carried to the results untouched. */
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** One validated example of an evaluation dataset. */
export type Example = z.infer<typeof exampleSchema>;

/**
 * Tags of examples where the right behaviour is to refuse or to say "I don't know":
 * unanswerable questions and harmful or prompt-injection prompts.
 */
export const refusalTags: readonly string[] = [
  'unanswerable',
  'adversarial',
  'harmful',
  'injection',
  'prompt-injection',
  'jailbreak',
];

/** The question of an example: its text, or the text of the last user message of its conversation. */
export function exampleQuestion(example: Pick<Example, 'input'>): string {
  if (typeof example.input === 'string') return example.input;
  const lastUser = [...example.input].reverse().find((message) => message.role === 'user');
  return contentText((lastUser ?? example.input[example.input.length - 1])?.content);
}

/** The messages of an example: its conversation, or one user message with its text. */
export function exampleMessages(example: Pick<Example, 'input'>): ChatMessage[] {
  return typeof example.input === 'string' ? [{ role: 'user', content: example.input }] : [...example.input];
}

/** True when the example is tagged as one the system must refuse or answer with "I don't know". */
export function expectsRefusal(example: Pick<Example, 'tags'>, tags: readonly string[] = refusalTags): boolean {
  return (example.tags ?? []).some((tag) => tags.includes(tag.toLowerCase()));
}
