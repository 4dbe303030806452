import { LlmopsError } from '@llmops/kernel';
import type { Tool } from '@llmops/kernel';
import { z } from 'zod';
import type { ModelRerankReport } from '../retrieval/passage-retriever.js';

/** What a tool answers when it has more to say than its text: facts for the tool step's trace. */
export interface AgentToolOutput {
  /** The tool message the model reads. */
  text: string;
  /** A retrieval tool's model reranker (`reranker`): what it did, as a RAG request's `retrieval.reranker`. */
  reranker?: ModelRerankReport;
}

/** A tool an agent may call: what the model sees, how its arguments are checked, and what it does. */
export interface AgentTool {
  readonly name: string;
  /** The tool's kind in the spec (`calculator`, `retrieval`, `registry_lookup`, `http`) or `handoff`. */
  readonly kind: string;
  /** The OpenAI function tool offered to the model. */
  readonly definition: Tool;
  /** Checks the model's arguments (parsed from JSON) before `run`. */
  readonly arguments: z.ZodType;
  /**
   * Runs the tool with checked arguments; the text (or the output's `text`) is the tool message the model reads.
   * @throws LlmopsError when the tool fails (the error's message is fed back to the model).
   */
  run(args: unknown, options: { signal?: AbortSignal }): Promise<string | AgentToolOutput>;
}

/** An OpenAI function tool from a zod schema of its arguments. */
export function functionTool(options: { name: string; description: string; arguments: z.ZodType }): Tool {
  const { $schema: _schema, ...parameters } = z.toJSONSchema(options.arguments) as Record<string, unknown>;
  return { type: 'function', function: { name: options.name, description: options.description, parameters } };
}

/**
 * Reads a model's tool-call arguments: JSON text, checked with the tool's zod schema.
 * @throws LlmopsError `invalid_input` naming the tool and each bad argument.
 */
export function parseToolArguments(tool: AgentTool, text: string): unknown {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new LlmopsError('invalid_input', `tool ${tool.name}: the arguments are not JSON: ${text.slice(0, 200)}`);
  }
  const parsed = tool.arguments.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`);
  throw new LlmopsError('invalid_input', `tool ${tool.name}: bad arguments: ${issues.join('; ')}`);
}
