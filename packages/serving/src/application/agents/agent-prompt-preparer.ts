import type { ChatMessage } from '@llmops/kernel';
import type { PinnedPrompt } from '../../ports.js';
import { ChatPromptPreparer } from '../chat-pipeline.js';
import type { PreparedPrompt, PromptPreparer } from '../generation-pipeline.js';

/**
 * The agent pipeline's prompt: the chat pipeline's (the pinned prompt rendered with the request's
 * variables, before the conversation). The team reads its system messages as the instructions of
 * agents without their own.
 */
export class AgentPromptPreparer implements PromptPreparer {
  readonly kind = 'agent' as const;
  private readonly chat: ChatPromptPreparer;

  constructor(options: { prompt?: PinnedPrompt }) {
    this.chat = new ChatPromptPreparer(options);
  }

  prepare(input: { messages: ChatMessage[]; variables: Readonly<Record<string, string>> }): Promise<PreparedPrompt> {
    return this.chat.prepare(input);
  }
}
