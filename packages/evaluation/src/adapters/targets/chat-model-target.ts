import { contentText, LlmopsError } from '@llmops/kernel';
import type { ChatCompletion, ChatMessage, ChatModel, GenerationParams } from '@llmops/kernel';
import { createChatModel } from '@llmops/providers';
import type { ModelFactoryOptions } from '@llmops/providers';
import type { TargetDescription } from '../../domain/evaluation-run.js';
import { exampleMessages } from '../../domain/example.js';
import { guardrailRefusalOutput, retrievalContextString } from '../../domain/served-output.js';
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
   * `llmops.retrieval_context` is read when the endpoint sends it: passages `{text, title?, section?}` (what an
   * llmops server answers to `x-llmops-include: retrieval_context`) or plain strings.
   */
  contextsOf?: (completion: ChatCompletion) => string[] | undefined;
}

/** Replaces `{{name}}` placeholders with the example's variables (unknown names stay as they are). */
export function fillVariables(text: string, variables: Readonly<Record<string, string>> | undefined): string {
  if (!variables) return text;
  return text.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, name: string) => variables[name] ?? whole);
}

/** One entry of `llmops.retrieval_context` as a context string, or undefined when it is neither a string nor a passage. */
function contextEntry(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { text, title, section } = entry as Record<string, unknown>;
  if (typeof text !== 'string') return undefined;
  return retrievalContextString({
    text,
    ...(typeof title === 'string' ? { title } : {}),
    ...(typeof section === 'string' ? { section } : {}),
  });
}

function defaultContexts(completion: ChatCompletion): string[] | undefined {
  const extension = (completion as Record<string, unknown>)['llmops'];
  const contexts =
    typeof extension === 'object' && extension !== null
      ? (extension as Record<string, unknown>)['retrieval_context']
      : undefined;
  if (!Array.isArray(contexts)) return undefined;
  const strings = contexts.map(contextEntry);
  return strings.every((item) => item !== undefined) ? (strings as string[]) : undefined;
}

/** Upstream error codes that mean a guardrail or content filter refused the request (llmops, OpenAI, Azure). */
const blockCodes: readonly string[] = ['guardrail_blocked', 'content_filter', 'content_policy_violation'];

/** The reason of a guardrail block an endpoint answered with (an HTTP 400 with one of {@link blockCodes}), if it is one. */
function blockReason(error: unknown): string | undefined {
  if (!LlmopsError.isInstance(error)) return undefined;
  if (error.code === 'guardrail_blocked') return error.message;
  const upstreamCode = (error.details as { upstreamCode?: unknown } | undefined)?.upstreamCode;
  if (error.code !== 'invalid_input' || typeof upstreamCode !== 'string' || !blockCodes.includes(upstreamCode))
    return undefined;
  // The provider's message is `<endpoint>: the request was rejected (400): <the server's own message>`.
  return error.message.replace(/^.*?: the request was rejected \(\d{3}\): /, '');
}

/**
 * Evaluates any ChatModel: each example's messages (with `{{variable}}` placeholders filled in) are
 * sent as one chat request; the answer, the usage and the model come from the completion. A request the endpoint
 * refuses with a guardrail block (HTTP 400 `guardrail_blocked`, or a `content_filter` / `content_policy_violation`
 * code) is recorded as a refusal output with the block's reason, not as a target error.
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
    let completion: ChatCompletion;
    try {
      completion = await this.model.generate({ ...this.options.generation, messages }, { signal: options.signal });
    } catch (error) {
      const reason = blockReason(error);
      if (reason === undefined) throw error;
      return { output: guardrailRefusalOutput(reason), retrievalContext: [], usage: null, model: this.model.modelId };
    }
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
  /**
   * Ask for the retrieval context with `x-llmops-include: retrieval_context` (true by default): an llmops server then
   * answers the passages it put in the prompt, so contextual relevancy and faithfulness can be computed. Other
   * endpoints ignore the header.
   */
  includeRetrievalContext?: boolean;
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
    {
      ...options.factory,
      ...(options.includeRetrievalContext === false
        ? {}
        : { headers: { ...options.factory?.headers, 'x-llmops-include': 'retrieval_context' } }),
    },
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
