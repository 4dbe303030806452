import type { ChatMessage } from '@llmops/kernel';
import type { PinnedPrompt } from '../ports.js';
import type { PreparedPrompt, PromptPreparer } from './generation-pipeline.js';
import { assembleMessages } from './prompt-assembly.js';

/**
 * The chat pipeline's prompt: the version's pinned prompt rendered with the request's variables,
 * before the request's conversation (see `assembleMessages`); without a pinned prompt the
 * conversation is sent as it is.
 */
export class ChatPromptPreparer implements PromptPreparer {
  readonly kind = 'chat' as const;
  private readonly prompt: PinnedPrompt | undefined;

  constructor(options: { prompt?: PinnedPrompt }) {
    this.prompt = options.prompt;
  }

  async prepare(input: {
    messages: ChatMessage[];
    variables: Readonly<Record<string, string>>;
  }): Promise<PreparedPrompt> {
    const messages = assembleMessages({
      ...(this.prompt ? { prompt: this.prompt } : {}),
      messages: input.messages,
      variables: input.variables,
    });
    return { messages, passages: [] };
  }
}
