import { LlmopsError } from '@llmops/kernel';
import type { ChatCompletion, ChatCompletionChunk, FinishReason, ToolCall, Usage } from '@llmops/kernel';

interface ToolCallSlot {
  id: string;
  name: string;
  arguments: string;
}

interface ChoiceState {
  content: string | null;
  refusal: string | null;
  toolCalls: ToolCallSlot[];
  /** Stream `index` of a tool call → its position in `toolCalls`. */
  slots: Map<number, number>;
  finishReason: FinishReason | null;
}

/**
 * Assembles the chunks of a streamed chat completion into the completion a non-streamed call
 * would have answered: content and refusal concatenated per choice; tool calls assembled from
 * their deltas (fragments with the same `index` concatenate their `arguments`, the `id` and the
 * function `name` come with the first fragment; a fragment with a new `id` at a used `index`
 * starts a new call, as some servers number every call 0); the last `finish_reason` per choice;
 * usage from the chunk that carries it; `id`, `created` and `model` from the first chunk that has them.
 */
export class ChatCompletionAssembler {
  private id = '';
  private created = 0;
  private model = '';
  private systemFingerprint: string | null = null;
  private usage: Usage | undefined;
  private chunkCount = 0;
  private readonly choices = new Map<number, ChoiceState>();

  /** Adds the next chunk of the stream. */
  add(chunk: ChatCompletionChunk): void {
    this.chunkCount += 1;
    if (!this.id && chunk.id) this.id = chunk.id;
    if (!this.created && chunk.created) this.created = chunk.created;
    if (!this.model && chunk.model) this.model = chunk.model;
    if (this.systemFingerprint === null && chunk.system_fingerprint) this.systemFingerprint = chunk.system_fingerprint;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      const state = this.choiceState(choice.index);
      const { delta } = choice;
      if (typeof delta.content === 'string') state.content = (state.content ?? '') + delta.content;
      if (typeof delta.refusal === 'string') state.refusal = (state.refusal ?? '') + delta.refusal;
      for (const fragment of delta.tool_calls ?? []) {
        const position = state.slots.get(fragment.index);
        let slot = position === undefined ? undefined : state.toolCalls[position];
        if (slot === undefined || (fragment.id && slot.id && fragment.id !== slot.id)) {
          slot = { id: '', name: '', arguments: '' };
          state.slots.set(fragment.index, state.toolCalls.push(slot) - 1);
        }
        if (fragment.id) slot.id = fragment.id;
        if (fragment.function?.name) slot.name = fragment.function.name;
        if (fragment.function?.arguments) slot.arguments += fragment.function.arguments;
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }

  /**
   * The assembled completion.
   * @throws LlmopsError `invalid_input` when no chunk was added.
   */
  toCompletion(): ChatCompletion {
    if (this.chunkCount === 0)
      throw new LlmopsError(
        'invalid_input',
        'cannot assemble a chat completion from zero chunks; expected at least one',
      );
    const choices = [...this.choices.entries()]
      .sort(([left], [right]) => left - right)
      .map(([index, state]) => {
        const toolCalls: ToolCall[] = state.toolCalls.map((slot) => ({
          id: slot.id,
          type: 'function',
          function: { name: slot.name, arguments: slot.arguments },
        }));
        const finishReason: FinishReason = state.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
        return {
          index,
          message: {
            role: 'assistant' as const,
            content: state.content,
            refusal: state.refusal,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: finishReason,
          logprobs: null,
        };
      });
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices,
      ...(this.usage ? { usage: this.usage } : {}),
      system_fingerprint: this.systemFingerprint,
    };
  }

  private choiceState(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { content: null, refusal: null, toolCalls: [], slots: new Map(), finishReason: null };
      this.choices.set(index, state);
    }
    return state;
  }
}

/**
 * Assembles streamed chunks into the full completion (see {@link ChatCompletionAssembler}).
 * @throws LlmopsError `invalid_input` when there are no chunks.
 */
export function assembleChatCompletion(chunks: Iterable<ChatCompletionChunk>): ChatCompletion {
  const assembler = new ChatCompletionAssembler();
  for (const chunk of chunks) assembler.add(chunk);
  return assembler.toCompletion();
}

/**
 * Collects a stream (for example `model.stream(request)`) into the full completion.
 * @throws LlmopsError whatever the stream throws, or `invalid_input` when it yields no chunk.
 */
export async function collectChatCompletion(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletion> {
  const assembler = new ChatCompletionAssembler();
  for await (const chunk of chunks) assembler.add(chunk);
  return assembler.toCompletion();
}
