import { contentText, LlmopsError } from '@llmops/kernel';
import type { ChatCompletion, ChatMessage, ChatModel, GenerationParams } from '@llmops/kernel';
import { createChatModel } from '@llmops/providers';
import type { ModelFactoryOptions } from '@llmops/providers';
import type { TargetDescription } from '../../domain/evaluation-run.js';
import { exampleMessages } from '../../domain/example.js';
import type { Example } from '../../domain/example.js';
import type { Target, TargetCallOptions, TargetOutput } from '../../ports.js';

/** Settings of {@link ChatModelTarget}. */
export interface ChatModelTargetOptions {
  /** Overrides the description (name, model ref, params) logged with runs. */
  description?: Partial<TargetDescription>;
  /** A system message put before every example's messages. */
  systemPrompt?: string;
  /** Generation parameters of every call (temperature, max_tokens…). */
  generation?: GenerationParams;
  /**
   * Reads the retrieved passages from a completion. By default the llmops extension field
   * `llmops.retrieval_context` (a list of strings) is read when the endpoint sends it.
   */
  contextsOf?: (completion: ChatCompletion) => string[] | undefined;
}

/** Replaces `{{name}}` placeholders with the example's variables (unknown names stay as they are). */
export function fillVariables(text: string, variables: Readonly<Record<string, string>> | undefined): string {
  if (!variables) return text;
  return text.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, name: string) => variables[name] ?? whole);
}

function defaultContexts(completion: ChatCompletion): string[] | undefined {
  const extension = (completion as Record<string, unknown>)['llmops'];
  const contexts =
    typeof extension === 'object' && extension !== null
      ? (extension as Record<string, unknown>)['retrieval_context']
      : undefined;
  return Array.isArray(contexts) && contexts.every((item) => typeof item === 'string')
    ? (contexts as string[])
    : undefined;
}

/**
 * Evaluates any ChatModel: each example's messages (with `{{variable}}` placeholders filled in) are
 * sent as one chat request; the answer, the usage and the model come from the completion.
 * With the OpenAI-compatible ChatModel of `@llmops/providers` this evaluates any HTTP endpoint,
 * including systems llmops does not serve (see {@link createOpenAiCompatibleTarget}).
 */
export class ChatModelTarget implements Target {
  readonly description: TargetDescription;

  constructor(
    private readonly model: ChatModel,
    private readonly options: ChatModelTargetOptions = {},
  ) {
    this.description = {
      kind: 'chat-model',
      name: `${model.provider}/${model.modelId}`,
      params: { provider: model.provider, model: model.modelId },
      ...options.description,
    };
  }

  async invoke(example: Example, options: TargetCallOptions = {}): Promise<TargetOutput> {
    const messages: ChatMessage[] = exampleMessages(example).map((message) =>
      typeof message.content === 'string'
        ? ({ ...message, content: fillVariables(message.content, example.variables) } as ChatMessage)
        : message,
    );
    if (this.options.systemPrompt)
      messages.unshift({ role: 'system', content: fillVariables(this.options.systemPrompt, example.variables) });
    const completion = await this.model.generate({ ...this.options.generation, messages }, { signal: options.signal });
    const choice = completion.choices[0];
    if (!choice) throw new LlmopsError('upstream_error', `${this.description.name} answered with no choices`);
    const usage = completion.usage;
    const contexts = (this.options.contextsOf ?? defaultContexts)(completion);
    return {
      output: contentText(choice.message.content ?? ''),
      ...(contexts ? { retrievalContext: contexts } : {}),
      usage: usage ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } : null,
      model: completion.model || this.model.modelId,
    };
  }
}

/** Settings of {@link createOpenAiCompatibleTarget}. */
export interface OpenAiCompatibleTargetOptions extends ChatModelTargetOptions {
  /** The endpoint's base URL up to `/v1`, for example `http://localhost:11434/v1`. */
  baseUrl: string;
  /** The model at the endpoint, for example `llama3.1` or `support-bot@champion`. */
  model: string;
  /** The variable holding the API key (none needed for local servers without it). */
  apiKeyEnv?: string;
  /** Where the key is read, fetch, timeouts and retries (see `@llmops/providers`). */
  factory?: ModelFactoryOptions;
}

/**
 * A target for any OpenAI-compatible HTTP endpoint (base URL and model), through the
 * OpenAI-compatible ChatModel of `@llmops/providers` (the official `openai` client underneath).
 * @throws LlmopsError `invalid_input` for a bad URL or a missing API key variable.
 */
export function createOpenAiCompatibleTarget(options: OpenAiCompatibleTargetOptions): ChatModelTarget {
  const model = createChatModel(
    {
      provider: 'openai',
      model: options.model,
      baseUrl: options.baseUrl,
      ...(options.apiKeyEnv ? { apiKeyEnv: options.apiKeyEnv } : {}),
    },
    options.factory ?? {},
  );
  return new ChatModelTarget(model, {
    ...options,
    description: {
      kind: 'endpoint',
      name: `${options.baseUrl} ${options.model}`,
      params: { base_url: options.baseUrl, model: options.model },
      ...options.description,
    },
  });
}
