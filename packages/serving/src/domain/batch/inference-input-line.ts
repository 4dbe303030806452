import { createHash } from 'node:crypto';
import { z } from 'zod';
import { chatMessageSchema, jsonSyntaxProblem, LlmopsError, safeParseWithSchema } from '@llmops/kernel';
import type { ChatMessage } from '@llmops/kernel';

/**
 * One line of an inference input file: the conversation as OpenAI chat `messages`, or a single
 * question as `input` (or `question`), with an optional `id` and prompt `variables`. Other fields
 * (`expected_output`, `tags`… of an evaluation dataset) are ignored, so a dataset is a valid input.
 */
export const inferenceInputLineSchema = z
  .looseObject({
    id: z.union([z.string().min(1), z.number().int()]).optional(),
    messages: z.array(chatMessageSchema).min(1).optional(),
    input: z.string().min(1).optional(),
    question: z.string().min(1).optional(),
    variables: z.record(z.string(), z.string()).optional(),
  })
  .refine((line) => [line.messages, line.input, line.question].filter((value) => value !== undefined).length === 1, {
    error: 'expected exactly one of messages (OpenAI chat messages), input or question (text)',
  });

/** A line of the input as the job sees it: where it is, its id, and its request or why it cannot be read. */
export interface InferenceInputLine {
  /** 1-based line number in the input file. */
  line: number;
  /** The line's `id`, or `line-<n>-<first 12 hex of its SHA-256>` when it has none. */
  id: string;
  /** SHA-256 of the line's text (trimmed): an answer is reused on resume only for the same text. */
  inputSha256: string;
  /** The request to serve; absent when the line is malformed. */
  request?: { messages: ChatMessage[]; variables?: Record<string, string> };
  /** Why the line cannot be served (not JSON, not an object of the expected shape). */
  error?: { code: 'invalid_input'; message: string };
}

/** A parsed line and whether it was a JSON object at all (a file without one is not JSONL). */
interface ParsedLine {
  parsed: InferenceInputLine;
  jsonObject: boolean;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The id of a line without one: its number and a hash of its text, so an edited line gets a new id. */
export function anonymousLineId(line: number, inputSha256: string): string {
  return `line-${line}-${inputSha256.slice(0, 12)}`;
}

function parseLine(text: string, line: number, file: string): ParsedLine {
  const inputSha256 = sha256(text);
  const anonymous = { line, id: anonymousLineId(line, inputSha256), inputSha256 };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      parsed: {
        ...anonymous,
        error: { code: 'invalid_input', message: `${file} line ${line}: ${jsonSyntaxProblem(error)}` },
      },
      jsonObject: false,
    };
  }
  const jsonObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const result = safeParseWithSchema(inferenceInputLineSchema, value, { where: `${file} line ${line}` });
  if (!result.success) {
    return { parsed: { ...anonymous, error: { code: 'invalid_input', message: result.error.message } }, jsonObject };
  }
  const { id, messages, input, question, variables } = result.data;
  return {
    parsed: {
      line,
      id: id === undefined ? anonymous.id : String(id),
      inputSha256,
      request: {
        messages: messages ?? [{ role: 'user', content: (input ?? question) as string }],
        ...(variables ? { variables } : {}),
      },
    },
    jsonObject,
  };
}

/**
 * Parses the text of an inference input file (JSONL; blank lines are skipped). A malformed line is kept with its
 * error, to be recorded on its output line; a text where no line is a JSON object is refused as a whole, as are an
 * empty text and two lines with the same id.
 * @param file the file's name as messages show it.
 * @throws LlmopsError `invalid_input` naming the file (and the lines) and what is expected.
 */
export function parseInferenceInput(text: string, file: string): InferenceInputLine[] {
  const lines: InferenceInputLine[] = [];
  let jsonObjects = 0;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '') return;
    const { parsed, jsonObject } = parseLine(trimmed, index + 1, file);
    lines.push(parsed);
    if (jsonObject) jsonObjects += 1;
  });
  if (lines.length === 0) throw new LlmopsError('invalid_input', `input ${file} has no lines; expected JSONL`);
  if (jsonObjects === 0) {
    throw new LlmopsError(
      'invalid_input',
      `input ${file} is not JSONL: no line is a JSON object (${lines[0]?.error?.message}); expected one JSON object per line with messages, input or question`,
    );
  }
  const seen = new Map<string, number>();
  for (const line of lines) {
    const first = seen.get(line.id);
    if (first !== undefined) {
      throw new LlmopsError(
        'invalid_input',
        `${file} line ${line.line}: id "${line.id}" is already used by line ${first}; expected unique ids`,
      );
    }
    seen.set(line.id, line.line);
  }
  return lines;
}
