import { contentText } from '@llmops/kernel';
import type { ChatMessage } from '@llmops/kernel';
import { renderTemplate, templateVariables } from '../domain/prompts/prompt-template.js';
import type { PinnedPrompt } from '../ports.js';

/** The system prompt of a RAG pipeline whose model version pins no prompt. */
export const defaultRagInstructions = [
  "Answer the user's question using only the numbered context passages below.",
  'Cite every passage you use by its number in square brackets, like [1].',
  "If the context does not contain the answer, say that you don't know.",
  '',
  '{{context}}',
].join('\n');

/** The context block when retrieval found nothing. */
export const emptyContext = 'Context: (no relevant passages were found)';

/** What {@link assembleMessages} combines. */
export interface AssembleMessagesInput {
  prompt?: PinnedPrompt;
  /** The request's conversation (after input guardrails). */
  messages: readonly ChatMessage[];
  /** The request's prompt variables. */
  variables: Readonly<Record<string, string>>;
  /** RAG only: the formatted context block. */
  context?: string;
}

function lastUserIndex(messages: readonly ChatMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index -= 1) if (messages[index]?.role === 'user') return index;
  return -1;
}

/**
 * The messages sent to the model. Variables are the request's plus `question` (the last user
 * message's text) and, for RAG, `context`.
 * - A text template is rendered as a system message placed before the conversation.
 * - Chat-message templates are rendered and placed before the conversation; when they use
 *   `{{question}}`, they replace the last user message instead (the question is in them already).
 * - RAG without a prompt uses {@link defaultRagInstructions}; a prompt that does not place
 *   `{{context}}` gets the context appended to its (first) system message.
 * @throws LlmopsError `invalid_input` naming the variables the prompt needs and the request lacks.
 */
export function assembleMessages(input: AssembleMessagesInput): ChatMessage[] {
  const userIndex = lastUserIndex(input.messages);
  const question = userIndex >= 0 ? contentText(input.messages[userIndex]?.content) : '';
  const variables: Record<string, string> = { ...input.variables, question };
  if (input.context !== undefined) variables['context'] = input.context;
  const where = input.prompt ? `prompt ${input.prompt.reference}` : 'prompt';
  const template = input.prompt?.template ?? (input.context !== undefined ? defaultRagInstructions : undefined);
  if (template === undefined) return [...input.messages];
  if (typeof template === 'string') {
    let system = renderTemplate(template, variables, where);
    if (input.context !== undefined && !templateVariables(template).includes('context'))
      system = `${system}\n\n${input.context}`;
    return [{ role: 'system', content: system }, ...input.messages];
  }
  const usesContext = template.some((message) => templateVariables(message.content).includes('context'));
  const usesQuestion = template.some((message) => templateVariables(message.content).includes('question'));
  const rendered: ChatMessage[] = template.map(
    (message) => ({ role: message.role, content: renderTemplate(message.content, variables, where) }) as ChatMessage,
  );
  if (input.context !== undefined && !usesContext) {
    const systemIndex = rendered.findIndex((message) => message.role === 'system' || message.role === 'developer');
    if (systemIndex >= 0) {
      const system = rendered[systemIndex] as ChatMessage;
      rendered[systemIndex] = {
        ...system,
        content: `${contentText(system.content)}\n\n${input.context}`,
      } as ChatMessage;
    } else {
      rendered.unshift({ role: 'system', content: input.context });
    }
  }
  if (usesQuestion && userIndex >= 0) {
    return [...input.messages.slice(0, userIndex), ...rendered, ...input.messages.slice(userIndex + 1)];
  }
  return [...rendered, ...input.messages];
}
