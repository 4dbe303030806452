import { contentText } from '@llmops/kernel';
import type { ChatMessage, ChatModelRequest, ToolCall } from '@llmops/kernel';

/** Arithmetic in a question: numbers joined by operators, with parentheses (`what is (12 * 7) / 3?`). */
const arithmetic = /[(\s]*[-+]?\d+(?:\.\d+)?[)\s]*(?:[-+*/%^×÷][(\s]*[-+]?\d+(?:\.\d+)?[)\s]*)+/;

function hasParameter(tool: NonNullable<ChatModelRequest['tools']>[number], name: string): boolean {
  const properties = tool.function.parameters?.['properties'];
  return typeof properties === 'object' && properties !== null && name in properties;
}

/** The messages after the last user message. */
function sinceLastUser(messages: readonly ChatMessage[]): ChatMessage[] {
  const index = messages.map((message) => message.role).lastIndexOf('user');
  return messages.slice(index + 1);
}

/**
 * The offline model's tool call, by rule (it is no language model): when tools are offered and no
 * tool has answered since the last user message, a question holding arithmetic calls the first tool
 * with an `expression` parameter with it; otherwise the first tool with a `query` parameter is called
 * with the whole question. No call otherwise (or with `tool_choice: "none"`).
 */
export function offlineToolCall(request: ChatModelRequest, newId: (name: string) => string): ToolCall | undefined {
  const tools = request.tools ?? [];
  if (tools.length === 0 || request.tool_choice === 'none') return undefined;
  if (sinceLastUser(request.messages).some((message) => message.role === 'tool')) return undefined;
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  const question = contentText(lastUser?.content).trim();
  if (question === '') return undefined;
  const expression = arithmetic.exec(question)?.[0].trim();
  const calculator = expression ? tools.find((tool) => hasParameter(tool, 'expression')) : undefined;
  if (calculator && expression) {
    const name = calculator.function.name;
    return { id: newId(name), type: 'function', function: { name, arguments: JSON.stringify({ expression }) } };
  }
  const search = tools.find((tool) => hasParameter(tool, 'query'));
  if (!search) return undefined;
  const name = search.function.name;
  return { id: newId(name), type: 'function', function: { name, arguments: JSON.stringify({ query: question }) } };
}

/** The text of the last tool result since the last user message, when there is one. */
export function lastToolResult(messages: readonly ChatMessage[]): string | undefined {
  const results = sinceLastUser(messages).filter((message) => message.role === 'tool');
  const last = results[results.length - 1];
  return last ? contentText(last.content).trim() : undefined;
}
